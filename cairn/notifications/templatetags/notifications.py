"""The bell in the header and the follow button, usable from any template."""

from typing import Any

from django import template

from cairn.notifications.access import is_following, unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def bell(context: dict[str, Any]) -> dict[str, Any]:
    """Render the bell with the signed-in person's unread count."""
    user = context.get("user")
    unread = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"unread": unread, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def follows(context: dict[str, Any], other: Any) -> bool:
    """Return whether the signed-in person follows ``other`` (a user)."""
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and is_following(user, other))
