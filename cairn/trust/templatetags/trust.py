"""Trust on pages, in words first and on one numeric scale (0 to 100) wherever numbers show.

``{% trust_card person as card %}`` is what the signed-in viewer may see of someone's trust;
``{% trust_badge person %}`` is the one-line standing on a directory card; ``{{ score|of_100 }}``
turns an engine score in [0, 1] into the scale every page uses ("68 of 100").
"""

from typing import Any, TypeGuard

from django import template

from cairn.people.models import User
from cairn.trust.access import TrustCard, trust_card_for

register = template.Library()


def _sees(user: Any, person: Any) -> TypeGuard[User]:
    """Return whether ``user`` is signed in to the organisation ``person`` is in."""
    return (
        user is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and person.organisation_id == user.organisation_id
    )


@register.simple_tag(takes_context=True)
def trust_card(context: dict[str, Any], person: Any) -> TrustCard | None:
    """Return the viewer's card for ``person``, or None for a visitor."""
    user = context.get("user")
    if not _sees(user, person):
        return None
    return trust_card_for(user, person)


@register.filter
def of_100(score: float | None) -> str:
    """Return a score in [0, 1] on the one scale people read: "68 of 100"."""
    return f"{round(100 * float(score or 0.0))} of 100"


@register.inclusion_tag("trust/_badge.html", takes_context=True)
def trust_badge(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """Return the standing of ``person`` in words (and number, if the viewer may see numbers),
    from the viewer's card (:func:`~cairn.trust.access.trust_card_for`)."""
    user = context.get("user")
    if not _sees(user, person):
        return {"shown": False}
    card = trust_card_for(user, person)
    return {
        "shown": True,
        "standing": card.standing(),
        "score": card.profile.trust if card.profile is not None else None,
        "show_numbers": card.show_numbers,
    }
