"""One question every app asks of any object: may this person see it?

Each model with a visibility rule says it once, as ``Model.objects.visible_to(user)``; this asks
that query about one object (for generic relations, whose model is only known at run time).
"""

from typing import Any

from django.db import models


def can_see(user: Any, obj: models.Model | None) -> bool:
    """Return whether ``user`` may see ``obj`` by its model's ``visible_to`` (one query);
    an object whose model has no rule is hidden."""
    if obj is None:
        return False
    manager = type(obj)._default_manager
    if hasattr(manager, "visible_to"):
        return bool(manager.visible_to(user).filter(pk=obj.pk).exists())
    check = getattr(obj, "is_visible_to", None)  # an app not migrated to visible_to yet
    return bool(callable(check) and check(user))
