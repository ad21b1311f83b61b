"""Resolve the objects events point at, in bulk: one query per kind of object, not per event."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import reverse

from cairn.ledger.models import Event

log = logging.getLogger(__name__)

#: Objects that carry no is_visible_to() but are visible to everyone in their organisation.
ORGANISATION_WIDE = {"people.profile"}


def model_for(object_type: str) -> type[models.Model] | None:
    """Return the model named by an event's ``object_type`` ("app_label.modelname"), or None."""
    try:
        app_label, model_name = object_type.split(".", 1)
        return apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        return None


def load_objects(events: Iterable[Event]) -> dict[tuple[str, str], models.Model]:
    """Return the objects of these events keyed by (object_type, object_id), one query per type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    found: dict[tuple[str, str], models.Model] = {}
    for object_type, ids in wanted.items():
        model = model_for(object_type)
        if model is None:
            continue
        try:
            objects = model._default_manager.in_bulk(list(ids))
        except (ValueError, TypeError):
            continue
        for pk, obj in objects.items():
            found[(object_type, str(pk))] = obj
    return found


def url_of(obj: models.Model | None) -> str:
    """Return the object's page, or "" when it has none."""
    if obj is None:
        return ""
    if obj._meta.label_lower == "people.profile":  # people's models carry no URL of their own
        return reverse("profile", args=[obj.handle])  # type: ignore[attr-defined]
    if not hasattr(obj, "get_absolute_url"):
        return ""
    try:
        return str(obj.get_absolute_url())
    except Exception:  # a neighbour's URL not wired yet must not break a notification
        log.warning("No URL for %r", obj, exc_info=True)
        return ""


def is_visible(obj: models.Model | None, object_type: str, user: Any) -> bool:
    """Return whether ``user`` may see ``obj``; objects without a visibility rule stay hidden."""
    if obj is None:
        return False
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is not None and organisation_id != user.organisation_id:
        return False
    check = getattr(obj, "is_visible_to", None)
    if callable(check):
        return bool(check(user))
    return object_type in ORGANISATION_WIDE
