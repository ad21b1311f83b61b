"""One question every app asks of any object: may this person see it?

Each model with a visibility rule says it once, as ``Model.objects.visible_to(user)``; this asks
that query about one object (for generic relations, whose model is only known at run time).
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef


def can_see(user: Any, obj: models.Model | None) -> bool:
    """Return whether ``user`` may see ``obj`` by its model's ``visible_to`` (one query);
    an object whose model has no rule is hidden."""
    if obj is None:
        return False
    manager = type(obj)._default_manager
    if not hasattr(manager, "visible_to"):
        return False
    return bool(manager.visible_to(user).filter(pk=obj.pk).exists())


def viewers(obj: models.Model | None, users: Iterable[Any]) -> set[int]:
    """Return the ids of those of ``users`` who may see ``obj``, in one query for them all."""
    users = list(users)
    if obj is None or not users:
        return set()
    manager = type(obj)._default_manager
    if not hasattr(manager, "visible_to"):
        return {user.pk for user in users if can_see(user, obj)}
    seen_by = {
        f"seen_by_{user.pk}": Exists(manager.visible_to(user).filter(pk=OuterRef("pk")))
        for user in users
    }
    row = manager.filter(pk=obj.pk).annotate(**seen_by).values(*seen_by).first() or {}
    return {user.pk for user in users if row.get(f"seen_by_{user.pk}")}


def any_member(organisation_id: int) -> Any:
    """Return a stand-in for a member of the organisation with no ties to anyone: no goals,
    relationships, memberships or requests of their own (a primary key no row has).

    What every member may see is what this person sees through ``visible_to``: the view for
    things that leave Cairn for a whole organisation or a channel (webhooks, chat).
    """
    from cairn.people.models import User

    return User(pk=0, organisation_id=organisation_id, role=User.Role.MEMBER, is_active=True)
