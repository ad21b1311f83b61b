"""Permission-aware reads for moderation: what can be flagged, the queue, and what trust drops.

Each flaggable kind is described once in :data:`KINDS` (its author field, the way to its
community, the text a moderator may edit); the objects themselves are always read through their
model's ``visible_to``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cairn.moderation.models import (
    FLAGGABLE,
    Flag,
    ModeratedItem,
    ModeratedItemQuerySet,
    facilitated_by,
)
from cairn.people.models import User


@dataclass(frozen=True)
class Kind:
    """How moderation reads one flaggable model."""

    label: str
    author: str
    #: The attribute path from an object to its community id ("" where there is none).
    community: str
    #: The text fields a moderator may edit to take private information out.
    text_fields: tuple[str, ...]


KINDS = {
    kind.label: kind
    for kind in (
        Kind("exchange.post", "author_id", "community_id", ("title", "body", "learned")),
        Kind("exchange.comment", "author_id", "post.community_id", ("body",)),
        Kind("exchange.helprequest", "asker_id", "community_id", ("title", "details")),
        Kind("exchange.response", "responder_id", "help_request.community_id", ("body",)),
        Kind("communities.thread", "author_id", "community_id", ("title", "body")),
        Kind("communities.resource", "shared_by_id", "community_id", ("title", "url", "note")),
    )
}
assert set(KINDS) == set(FLAGGABLE)  # noqa: S101 - one list of what can be flagged


def model_of(label: str) -> type[models.Model]:
    """Return the model of a flaggable label, or raise 404 for anything else."""
    if label not in KINDS:
        raise Http404("That cannot be flagged.")
    return apps.get_model(label)


def visible_of(label: str, user: User) -> QuerySet[models.Model]:
    """Return the objects of a flaggable label that ``user`` may see, by its ``visible_to``."""
    # Every model in KINDS has a manager with visible_to; the checker sees only type[Model].
    manager: Any = model_of(label)._default_manager
    return manager.visible_to(user)


def label_of(obj: models.Model) -> str:
    """Return the label moderation and the ledger name ``obj``'s model by."""
    return obj._meta.label_lower


def author_id_of(obj: models.Model) -> int:
    """Return the id of the person who wrote ``obj``."""
    return int(getattr(obj, KINDS[label_of(obj)].author))


def community_id_of(obj: models.Model) -> int | None:
    """Return the id of the community ``obj`` sits in, or None."""
    value: object = obj
    for step in KINDS[label_of(obj)].community.split("."):
        value = getattr(value, step)
        if value is None:
            return None
    return int(value)  # type: ignore[call-overload]


def flaggable_for(user: User, label: str, target_id: int) -> models.Model:
    """Return something ``user`` may see and flag, or raise 404."""
    return get_object_or_404(visible_of(label, user), pk=target_id)


def is_moderator(user: User) -> bool:
    """Return whether ``user`` moderates anything: an admin, or a facilitator.

    A member's answer is one query, asked once per user object (``request.user`` lives for one
    request, as Django keeps its permissions cache): every page's header asks it, and a page of
    something flaggable asks it again for the notice."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if user.is_org_admin:
        return True
    return bool(facilitated_by(user))


def queue_for(user: User) -> ModeratedItemQuerySet:
    """Return the items ``user`` moderates, with what the queue shows; 403 for non-moderators."""
    if not is_moderator(user):
        raise PermissionDenied("Only admins and community facilitators moderate.")
    return ModeratedItem.objects.visible_to(user).select_related(
        "author__profile", "community", "decided_by__profile"
    )


def item_for(user: User, item_id: int) -> ModeratedItem:
    """Return one item ``user`` moderates, or raise 404."""
    return get_object_or_404(
        ModeratedItem.objects.visible_to(user).select_related("author__profile", "community"),
        pk=item_id,
    )


def waiting_count(user: User) -> int:
    """Return how many items wait for ``user``'s review: 0 for non-moderators, whom it spares
    the count (every page's header asks, and on Meridian 44 of 10,000 people moderate)."""
    if not is_moderator(user):
        return 0
    return ModeratedItem.objects.visible_to(user).waiting().count()


def flags_on(user: User, item: ModeratedItem) -> QuerySet[Flag]:
    """Return the flags on an item ``user`` moderates, with their flaggers."""
    return Flag.objects.visible_to(user).filter(item=item).select_related("flagger__profile")


def targets_of(user: User, items: Iterable[ModeratedItem]) -> dict[int, models.Model]:
    """Return what each item is about, by item id, read through ``visible_to`` (one query per
    kind of object)."""
    wanted: dict[str, dict[int, int]] = defaultdict(dict)
    for item in items:
        wanted[item.target_type][item.target_id] = item.pk
    found: dict[int, models.Model] = {}
    for label, by_target in wanted.items():
        rows = visible_of(label, user).in_bulk(list(by_target))
        for target_id, obj in rows.items():
            found[by_target[target_id]] = obj
    return found


def notice_for(user: User, obj: models.Model) -> ModeratedItem | None:
    """Return the moderation of ``obj`` its author or a moderator should see on its page: the
    item while hidden or waiting, else None (one query, none for a reader who neither wrote
    ``obj`` nor moderates anything: there is nothing they should be told)."""
    if not getattr(user, "is_authenticated", False) or label_of(obj) not in KINDS:
        return None
    if author_id_of(obj) != user.pk and not is_moderator(user):
        return None
    mine = Q(author_id=user.pk, hidden=True)
    moderating = Q(pk__in=ModeratedItem.objects.visible_to(user).values("pk")) & (
        Q(hidden=True) | Q(status=ModeratedItem.Status.WAITING)
    )
    return (
        ModeratedItem.objects.filter(target_type=label_of(obj), target_id=obj.pk)
        .filter(mine | moderating)
        .select_related("hidden_event__dispute")
        .first()
    )
