"""Template helpers of the learning app: ``{% load learning %}``."""

from django import template

from cairn.learning.models import Relationship

register = template.Library()


@register.filter
def goal_title(relationship: Relationship, user) -> str:
    """Return the title of the relationship's goal if ``user`` may read it here, else ""."""
    return relationship.goal_title_for(user)
