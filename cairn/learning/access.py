"""Permission-aware getters for goals, relationships and sessions: what a person may not see is
a 404, never a leak. Each is one lookup over the model's ``visible_to`` query."""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cairn.learning.models import (
    CheckIn,
    Feedback,
    Goal,
    GoalQuerySet,
    Milestone,
    Relationship,
    RelationshipMember,
    RelationshipQuerySet,
    Session,
    SessionProposal,
)
from cairn.people.models import User


def _partner_ids(user: User, statuses: tuple[str, ...]) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    mine = RelationshipMember.objects.filter(user=user, relationship__status__in=statuses).values(
        "relationship_id"
    )
    return set(
        RelationshipMember.objects.filter(relationship_id__in=mine)
        .exclude(user_id=user.pk)
        .values_list("user_id", flat=True)
    )


#: What :func:`relationship_statuses_of` says of a request waiting for the person's own answer
#: (a request they made reads as ``Relationship.Status.REQUESTED``).
ASKED_OF_ME = "asked of me"


def relationship_statuses_of(user: User) -> set[str]:
    """Return the statuses of the relationships ``user`` is a member of, a request made of
    them as :data:`ASKED_OF_ME` (one query): a page can leave out the lists that need a status
    the person has none of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = RelationshipMember.objects.filter(user_id=user.pk)
    return {
        ASKED_OF_ME
        if status == Relationship.Status.REQUESTED and addressee_id == user.pk
        else status
        for status, addressee_id in rows.values_list(
            "relationship__status", "relationship__addressee_id"
        ).distinct()
    }


def partner_ids(user: User) -> set[int]:
    """Return the user ids of people in active or completed relationships with ``user``."""
    return _partner_ids(user, Relationship.UNDER_WAY)


def _goal_query() -> GoalQuerySet:
    return Goal.objects.select_related("owner__profile").prefetch_related(
        "skills",
        "communities",
        Prefetch("milestones", queryset=Milestone.objects.order_by("created_at", "pk")),
    )


def goal_for(user: User, goal_id: int) -> Goal:
    """Return a goal ``user`` may see, or raise 404."""
    return get_object_or_404(_goal_query().visible_to(user), pk=goal_id)


def own_goal_for(user: User, goal_id: int) -> Goal:
    """Return one of ``user``'s own goals, or raise 404 (only the owner changes a goal)."""
    return get_object_or_404(_goal_query().filter(owner_id=getattr(user, "pk", None)), pk=goal_id)


def milestone_for(user: User, goal_id: int, milestone_id: int) -> Milestone:
    """Return a milestone of one of ``user``'s own goals, or raise 404."""
    return get_object_or_404(
        Milestone.objects.select_related("goal").filter(goal__owner_id=getattr(user, "pk", None)),
        goal_id=goal_id,
        pk=milestone_id,
    )


def _relationship_query(user: User) -> RelationshipQuerySet:
    return (
        Relationship.objects.with_goal_visible(user)
        .select_related("goal", "requested_by__profile", "addressee__profile")
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user__profile"))
        )
    )


def my_relationships(user: User) -> QuerySet[Relationship]:
    """Return the relationships ``user`` takes part in, with members and goals loaded."""
    return _relationship_query(user).of_member(user)


def relationship_for(user: User, relationship_id: int) -> Relationship:
    """Return a relationship ``user`` may see, with members loaded, or raise 404."""
    return get_object_or_404(_relationship_query(user).visible_to(user), pk=relationship_id)


def member_relationship_for(user: User, relationship_id: int) -> Relationship:
    """Return a relationship ``user`` takes part in, or raise 404."""
    return get_object_or_404(my_relationships(user), pk=relationship_id)


def session_for(user: User, session_id: int) -> Session:
    """Return a session ``user`` may see, its relationship loaded as :func:`relationship_for`
    does, or raise 404."""
    session = get_object_or_404(Session.objects.visible_to(user), pk=session_id)
    session.relationship = relationship_for(user, session.relationship_id)
    return session


def proposal_for(user: User, proposal_id: int) -> SessionProposal:
    """Return a proposed session of a relationship ``user`` takes part in, or raise 404."""
    return get_object_or_404(
        SessionProposal.objects.visible_to(user).select_related("relationship"), pk=proposal_id
    )


def own_check_in_for(user: User, check_in_id: int) -> CheckIn:
    """Return a check-in ``user`` was asked, or raise 404 (admins read answers elsewhere)."""
    return get_object_or_404(
        CheckIn.objects.visible_to(user).filter(person_id=user.pk).select_related("relationship"),
        pk=check_in_id,
    )


def goals_in_progress(user: User, limit: int) -> list[Goal]:
    """Return up to ``limit`` of the person's open goals, the nearest target date first (then
    the newest), with their milestones loaded for the next step and the progress."""
    return list(
        Goal.objects.filter(owner_id=user.pk, status=Goal.Status.OPEN)
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("created_at", "pk"))
        )
        .order_by(F("target_date").asc(nulls_last=True), "-created_at", "-pk")[:limit]
    )


def _with_members(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Return session proposals with their relationship's members and profiles loaded."""
    return rows.select_related("relationship", "proposed_by__profile").prefetch_related(
        Prefetch(
            "relationship__members",
            queryset=RelationshipMember.objects.select_related("user__profile"),
        )
    )


def sessions_ahead(user: User, limit: int, now: datetime | None = None) -> list[SessionProposal]:
    """Return up to ``limit`` sessions of the person's active relationships that want something
    of them, soonest first: accepted ones whose time came (log how it went), accepted ones
    ahead, and proposals still open; with the members loaded to name them."""
    now = now or timezone.now()
    rows = SessionProposal.objects.visible_to(user).filter(
        Q(status=SessionProposal.Status.ACCEPTED)
        | Q(status=SessionProposal.Status.PROPOSED, starts_at__gt=now),
        relationship__status=Relationship.Status.ACTIVE,
    )
    return list(_with_members(rows).order_by("starts_at", "pk")[:limit])


def mentoring_requests_to(user: User, limit: int) -> list[Relationship]:
    """Return up to ``limit`` requests for mentoring or partnership waiting for the person's
    answer, oldest first (the nearest to expiring)."""
    return list(
        _relationship_query(user)
        .of_member(user)
        .filter(status=Relationship.Status.REQUESTED, addressee_id=user.pk)
        .order_by("created_at", "pk")[:limit]
    )


def quiet_relationships_of(user: User, limit: int) -> list[Relationship]:
    """Return up to ``limit`` of the person's active relationships that missed a meeting of
    their rhythm (slowing or stalled), the quietest first."""
    quiet = _relationship_query(user).of_member(user).quiet_for(1)
    # The stubs do not see the annotation quiet_for() adds.
    return list(quiet.order_by("latest_activity", "pk")[:limit])  # type: ignore[misc]


def attention_count(user: User) -> int:
    """Return how many of the organisation's relationships need an admin's attention (0 for
    anyone who is not an admin)."""
    return Relationship.objects.overseen_by(user).needing_attention().count()


def attention_list(user: User) -> QuerySet[Relationship]:
    """Return, for an admin, the organisation's relationships that need attention; 404 for
    anyone else."""
    if not user.is_org_admin:
        raise Http404("No such page.")
    return (
        Relationship.objects.overseen_by(user)
        .needing_attention()
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user__profile"))
        )
        # The stubs do not see the annotation quiet_for() adds behind needing_attention().
        .order_by("latest_activity", "pk")  # type: ignore[misc]
    )


#: What feedback can be about: "app_label.model" as in the URL.
FEEDBACK_CONTEXTS = ("learning.session", "learning.relationship", "exchange.response")


def feedback_context_for(user: User, context_type: str, context_id: int) -> Any:
    """Return the object feedback is about, if ``user`` worked on it, or raise 404."""
    obj: Any  # a session, a relationship or a response: each has feedback_parties()
    if context_type == "learning.session":
        obj = session_for(user, context_id)
    elif context_type == "learning.relationship":
        obj = relationship_for(user, context_id)
    elif context_type in FEEDBACK_CONTEXTS:
        try:
            model = apps.get_model(context_type)
        except LookupError:
            raise Http404("No such thing.") from None
        obj = get_object_or_404(model._default_manager.visible_to(user), pk=context_id)
    else:
        raise Http404("No such thing.")
    if user.pk not in obj.feedback_parties():
        raise Http404("No such thing.")
    return obj


def feedback_sent(giver: User, receiver: User, context_object: Model) -> Feedback | None:
    """Return the feedback ``giver`` already gave ``receiver`` about ``context_object``, if any
    (only the giver ever reads it back like this: the receiver sees averages)."""
    return Feedback.objects.filter(
        giver=giver,
        receiver=receiver,
        content_type=ContentType.objects.get_for_model(context_object),
        object_id=context_object.pk,
    ).first()
