"""Commitments on other apps' pages: ``{% include "commitments/_within.html" with within=obj %}``
on a relationship, request or community page lists the viewer's commitments made there and
offers to make one (optionally ``to=handle`` to preselect the colleague)."""

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models

from cairn.commitments.access import commitments_of, context_ref

register = template.Library()


@register.simple_tag(takes_context=True)
def commitments_within(context: dict[str, Any], obj: models.Model) -> list:
    """Return the viewer's own commitments made within ``obj`` (others' stay private)."""
    user = context.get("user")
    if obj is None or user is None or not user.is_authenticated:
        return []
    ct = ContentType.objects.get_for_model(obj)
    return list(
        commitments_of(user).filter(context_type=ct, context_id=str(obj.pk)).order_by("due_at")
    )


@register.filter
def as_context(obj: models.Model) -> str:
    """Return the "app_label.model:id" reference of ``obj`` for the commitment form."""
    return context_ref(obj)
