"""One question every app asks of any object: may this person see it?

Each model with a visibility rule says it once, as ``Model.objects.visible_to(user)``; this asks
that query about one object (for generic relations, whose model is only known at run time).
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.db import models
from django.db.models import Exists, OuterRef


def built_once_per_viewer[Rule: Callable[..., Any]](rule: Rule) -> Rule:
    """Decorate a queryset's ``visible_to`` so that each viewer's rule is built once and then
    copied.

    A request asks the same rule about the same person many times (the home page about thirty:
    its lists, the feed's objects, and rules nested in other rules), and building one costs
    Django a millisecond or two, several times what the database then takes to run it. The
    built rule is kept on the user object (``request.user`` lives for one request), keyed by
    what rules read of the person in Python; every rule is a lazy query, so each copy reads the
    database afresh when it runs, except for the facts about the person a rule holds as a list
    of ids (:func:`kept_for_viewer`). Only a manager's plain queryset is kept: one already
    filtered, ordered, sliced or shaped is asked the rule anew.
    """

    @functools.wraps(rule)
    def visible_to(rows: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
        if not getattr(user, "is_authenticated", False) or not _is_plain(rows):
            return rule(rows, user)
        kept: dict[tuple[Any, ...], models.QuerySet[Any]]
        kept = user.__dict__.setdefault("_visibility_rules", {})
        key = (
            type(rows),
            rows.model,
            rows.db,
            user.pk,
            user.organisation_id,
            getattr(user, "role", None),
            user.is_active,
        )
        if key not in kept:
            kept[key] = rule(rows, user)
        return kept[key].all()

    return cast(Rule, visible_to)


def kept_for_viewer[Fact](user: Any, key: str, read: Callable[[], Fact]) -> Fact:
    """Return what ``read`` returns about ``user``, read once per user object and kept beside
    the rules built from it.

    For the few facts about a person that rules would otherwise ask the database for in a
    subquery of every rule (which communities they may not read, which they facilitate):
    read once, they enter each rule as a short list of ids, which Django builds and compiles,
    and PostgreSQL plans, several times faster than the subqueries. An action that changes
    such a fact calls :func:`forget_rules` on the person's user object.
    """
    kept: dict[Any, Any] = user.__dict__.setdefault("_visibility_rules", {})
    if key not in kept:
        kept[key] = read()
    return cast(Fact, kept[key])


def forget_rules(user: Any) -> None:
    """Forget the rules and facts kept on this user object, so that what the rest of the
    request asks sees a change an action has just made to what they may see."""
    user.__dict__.pop("_visibility_rules", None)


def _is_plain(rows: Any) -> bool:
    """Return whether ``rows`` is a manager's queryset as it comes, nothing asked of it yet."""
    query = rows.query
    return not (
        query.where
        or query.is_sliced
        or query.order_by
        or query.select_related
        or query.annotations
        or query.distinct
        or query.combinator
        or query.extra
        or rows._fields is not None
        or rows._prefetch_related_lookups
        or rows._result_cache is not None
    )


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
