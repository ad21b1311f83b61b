"""Template helpers to show and give credits on any object: ``{% load exchange %}``."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from cairn.exchange.actions import credit_owner_ids
from cairn.exchange.models import Credit

register = template.Library()


@register.simple_tag
def credits_for(target: models.Model):
    """Return the credits given on ``target``, with the people's profiles."""
    if target is None:
        return Credit.objects.none()
    return Credit.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("recipient__profile")


@register.simple_tag
def credit_url(target: models.Model) -> str:
    """Return the page where credits on ``target`` are given and shown."""
    content_type = ContentType.objects.get_for_model(target)
    return reverse("credit", args=[content_type.pk, target.pk])


@register.filter
def can_credit(user, target: models.Model) -> bool:
    """Return whether ``user`` may give credits on ``target``."""
    return getattr(user, "pk", None) in credit_owner_ids(target)
