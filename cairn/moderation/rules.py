"""The one rule for hidden content, which each flaggable model's ``visible_to`` applies.

Hidden content is gone for everyone except its author (who sees it marked hidden) and its
moderators: the organisation's admins, and the facilitators of the community it sits in.
"""

from django.db.models import Exists, OuterRef, Q

from cairn.moderation.models import ModeratedItem, facilitated_by


def hidden_mark(label: str) -> Exists:
    """Return whether moderators hid a ``label`` row, as an expression (to filter with, or to
    annotate lists that authors and moderators see, so they can mark what is hidden)."""
    return Exists(
        ModeratedItem.objects.filter(target_type=label, target_id=OuterRef("pk"), hidden=True)
    )


def shown_to(user, label: str, author: str, community: str | None) -> Q:
    """Return the condition a ``label`` row must meet to be shown to ``user``: not hidden, or
    written by them (``author`` names the author's id field), or moderated by them
    (``community`` names the path to its community, None where it has none)."""
    if getattr(user, "is_org_admin", False):
        return Q()
    shown = ~hidden_mark(label) | Q(**{author: user.pk})
    facilitated = facilitated_by(user) if community is not None else ()
    if facilitated:
        shown |= Q(**{f"{community}__in": facilitated})
    return shown
