"""Template helpers for the account pages."""

from typing import Any

from django import template

from cairn.people.adapters import pending_invitation, pending_organisation
from cairn.people.models import Invitation

register = template.Library()


@register.simple_tag(takes_context=True)
def invitation_in_session(context: template.Context) -> Invitation | None:
    """Return the usable invitation this browser followed a link for, if any."""
    return pending_invitation(context.get("request"))


@register.simple_tag(takes_context=True)
def organisation_in_session(context: template.Context) -> dict[str, Any] | None:
    """Return the organisation this browser is starting (name, slug), if any."""
    return pending_organisation(context.get("request"))
