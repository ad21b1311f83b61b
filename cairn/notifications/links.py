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


def model_for(object_type: str) -> type[models.Model] | None:
    """Return the model named by an event's ``object_type`` ("app_label.modelname"), or None."""
    try:
        app_label, model_name = object_type.split(".", 1)
        return apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        return None


def load_objects(
    events: Iterable[Event], viewer: Any = None
) -> dict[tuple[str, str], models.Model]:
    """Return the objects of these events keyed by (object_type, object_id), one query per type.

    With a ``viewer``, only those the viewer may see, read through each model's
    ``objects.visible_to(viewer)`` in the same query; anything without such a rule is hidden.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    found: dict[tuple[str, str], models.Model] = {}
    for object_type, ids in wanted.items():
        model = model_for(object_type)
        if model is None:
            continue
        # Follow foreign keys within the model's own app (a comment's post, a thread's
        # community), which URLs and visibility rules read.
        near = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one
            and f.related_model is not None
            and f.related_model._meta.app_label == model._meta.app_label
        ]
        manager = model._default_manager
        if viewer is None:
            rows = manager.all()
        elif hasattr(manager, "visible_to"):
            rows = manager.visible_to(viewer)
        else:
            continue
        try:
            objects = (rows.select_related(*near) if near else rows).in_bulk(list(ids))
        except (ValueError, TypeError):
            continue
        for pk, obj in objects.items():
            found[(object_type, str(pk))] = obj
    return found


def object_of(event: Event) -> models.Model | None:
    """Return the object an event points at: the one it was just recorded with, while that still
    is the row the event names (not deleted since), else read from the database."""
    recorded = event.recorded_object
    if recorded is not None and str(recorded.pk) == event.object_id:
        return recorded
    return load_objects([event]).get((event.object_type, event.object_id))


def title_of(obj: models.Model | None) -> str:
    """Return the words a sentence about an event names its object by: the object's
    ``headline()`` where its ``__str__`` is for the admin ("Response 5 to 3" reads as the
    request it answers), else ``str(obj)``; "" for a person, whom the sentence already names."""
    if obj is None or obj._meta.label_lower == "people.profile":
        return ""
    headline = getattr(obj, "headline", None)
    return str(headline() if callable(headline) else obj)


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
