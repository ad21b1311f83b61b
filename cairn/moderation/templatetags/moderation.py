"""Moderation on every page: the queue count in the header, a "Flag" link, and the notice
an author or a moderator sees on hidden content."""

from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from cairn.moderation.access import KINDS, author_id_of, label_of, notice_for, waiting_count

register = template.Library()


@register.inclusion_tag("moderation/_queue_link.html", takes_context=True)
def moderation_queue(context: dict[str, Any]) -> dict[str, Any]:
    """Render the link to the queue with its count, for moderators with items waiting."""
    user = context.get("user")
    request = context.get("request")
    return {"waiting": waiting_count(user) if user is not None else 0, "request": request}


@register.simple_tag(takes_context=True)
def flag_url(context: dict[str, Any], obj: models.Model) -> str:
    """Return where the signed-in person flags ``obj`` ("" for its author or a visitor)."""
    user = context.get("user")
    label = label_of(obj)
    if user is None or not user.is_authenticated or label not in KINDS:
        return ""
    if author_id_of(obj) == user.pk:
        return ""
    return reverse("flag", args=[label, obj.pk])


@register.inclusion_tag("moderation/_notice.html", takes_context=True)
def moderation_notice(context: dict[str, Any], obj: models.Model) -> dict[str, Any]:
    """Render what the author or a moderator should know about ``obj``'s moderation."""
    user = context.get("user")
    item = notice_for(user, obj) if user is not None else None
    is_author = item is not None and user is not None and item.author_id == user.pk
    return {"item": item, "is_author": is_author}
