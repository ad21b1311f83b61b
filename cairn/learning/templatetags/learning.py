"""Template helpers of the learning app: ``{% load learning %}``."""

from django import template

from cairn.learning.models import Relationship

register = template.Library()


@register.filter
def goal_title(relationship: Relationship, user) -> str:
    """Return the title of the relationship's goal if ``user`` may read it here, else ""."""
    return relationship.goal_title_for(user)


@register.filter
def others(relationship: Relationship, user) -> str:
    """Return the names of the members other than ``user``, "Bob Baker and Carol Chen" (reads
    prefetched members and their profiles)."""
    names = [m.user.profile.name for m in relationship.members.all() if m.user_id != user.pk]
    if len(names) <= 1:
        return "".join(names) or "nobody yet"
    return f"{', '.join(names[:-1])} and {names[-1]}"
