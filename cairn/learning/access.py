"""Permission-aware getters for goals, relationships and sessions: what a person may not see is
a 404, never a leak. The rules themselves are written once, in the model docstrings."""

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cairn.learning.models import Goal, Milestone, Relationship, RelationshipMember, Session
from cairn.people.models import User

UNDER_WAY = (Relationship.Status.ACTIVE, Relationship.Status.COMPLETED)


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


def partner_ids(user: User) -> set[int]:
    """Return the user ids of people in active or completed relationships with ``user``."""
    return _partner_ids(user, UNDER_WAY)


def active_partner_ids(user: User) -> set[int]:
    """Return the user ids of people in active relationships with ``user``."""
    return _partner_ids(user, (Relationship.Status.ACTIVE,))


def visible_goals(user: User) -> QuerySet[Goal]:
    """Return every goal ``user`` may see: their own, the organisation's, and their partners'
    goals shared with "my mentors and partners"."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Goal.objects.none()
    shares_active = RelationshipMember.objects.filter(
        user_id=OuterRef("owner_id"),
        relationship__status=Relationship.Status.ACTIVE,
        relationship__members__user_id=user.pk,
    )
    return Goal.objects.filter(organisation_id=user.organisation_id).filter(
        Q(owner_id=user.pk)
        | Q(visibility=Goal.Visibility.ORGANISATION)
        | (Q(visibility=Goal.Visibility.PARTNERS) & Exists(shares_active))
    )


def _goal_query() -> QuerySet[Goal]:
    return Goal.objects.select_related("owner__profile").prefetch_related(
        "skills",
        "communities",
        Prefetch("milestones", queryset=Milestone.objects.order_by("created_at", "pk")),
    )


def goal_for(user: User, goal_id: int) -> Goal:
    """Return a goal ``user`` may see, or raise 404."""
    goal = _goal_query().filter(pk__in=visible_goals(user).values("pk"), pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def own_goal_for(user: User, goal_id: int) -> Goal:
    """Return one of ``user``'s own goals, or raise 404 (only the owner changes a goal)."""
    goal = _goal_query().filter(owner_id=getattr(user, "pk", None), pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def milestone_for(user: User, goal_id: int, milestone_id: int) -> Milestone:
    """Return a milestone of one of ``user``'s own goals, or raise 404."""
    milestone = (
        Milestone.objects.select_related("goal")
        .filter(goal__owner_id=getattr(user, "pk", None), goal_id=goal_id, pk=milestone_id)
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


def visible_relationships(user: User) -> QuerySet[Relationship]:
    """Return the relationships ``user`` may see (see :class:`Relationship`)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Relationship.objects.none()
    member = RelationshipMember.objects.filter(relationship_id=OuterRef("pk"), user_id=user.pk)
    return Relationship.objects.filter(organisation_id=user.organisation_id).filter(
        Exists(member) | Q(status__in=UNDER_WAY, goal__in=visible_goals(user).values("pk"))
    )


def my_relationships(user: User) -> QuerySet[Relationship]:
    """Return the relationships ``user`` takes part in, with members and goals loaded."""
    if not getattr(user, "is_authenticated", False):
        return Relationship.objects.none()
    return (
        Relationship.objects.filter(members__user_id=user.pk)
        .select_related("goal", "requested_by__profile", "addressee__profile")
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user__profile"))
        )
    )


def relationship_for(user: User, relationship_id: int) -> Relationship:
    """Return a relationship ``user`` may see, with members loaded, or raise 404."""
    relationship = (
        visible_relationships(user)
        .select_related("goal", "requested_by__profile", "addressee__profile")
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user__profile"))
        )
        .filter(pk=relationship_id)
        .first()
    )
    if relationship is None:
        raise Http404("No such relationship.")
    return relationship


def member_relationship_for(user: User, relationship_id: int) -> Relationship:
    """Return a relationship ``user`` takes part in, or raise 404."""
    relationship = relationship_for(user, relationship_id)
    if not relationship.is_member(user):
        raise Http404("No such relationship.")
    return relationship


def session_for(user: User, session_id: int) -> Session:
    """Return a session ``user`` may see, or raise 404."""
    session = (
        Session.objects.filter(
            relationship__in=visible_relationships(user).values("pk"), pk=session_id
        )
        .select_related("relationship")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    session.relationship = relationship_for(user, session.relationship_id)
    return session


#: What feedback can be about: "app_label.model" as in the URL.
FEEDBACK_CONTEXTS = ("learning.session", "learning.relationship", "exchange.response")


def feedback_context_for(user, context_type: str, context_id: int):  # type: ignore[no-untyped-def]
    """Return the object feedback is about, if ``user`` worked on it, or raise 404."""
    if context_type == "learning.session":
        obj = session_for(user, context_id)
    elif context_type == "learning.relationship":
        obj = relationship_for(user, context_id)
    elif context_type in FEEDBACK_CONTEXTS:
        try:
            model = apps.get_model(context_type)
        except LookupError:
            raise Http404("No such thing.") from None
        obj = model._default_manager.filter(pk=context_id).first()
    else:
        raise Http404("No such thing.")
    if obj is None or user.pk not in obj.feedback_parties():
        raise Http404("No such thing.")
    return obj
