"""``{% trust_card person as card %}``: what the signed-in viewer may see of someone's trust."""

from typing import Any

from django import template

from cairn.trust.access import TrustCard, trust_card_for

register = template.Library()


@register.simple_tag(takes_context=True)
def trust_card(context: dict[str, Any], person: Any) -> TrustCard | None:
    """Return the viewer's card for ``person``, or None for a visitor."""
    user = context.get("user")
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return None
    if person.organisation_id != user.organisation_id:
        return None
    return trust_card_for(user, person)
