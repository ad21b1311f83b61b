"""Permission-aware getters: anything a person may not see is a 404, never a leak."""

from django.db.models import Q, QuerySet
from django.http import Http404

from cairn.communities.models import Community, Membership, Thread
from cairn.people.models import User


def communities_for(user: User) -> QuerySet[Community]:
    """Return the communities of the user's organisation (names and descriptions are public)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Community.objects.none()
    return Community.objects.filter(organisation_id=user.organisation_id)


def community_ids_of(user: User) -> set[int]:
    """Return the ids of the communities the user is an active member of."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user_id=user.pk,
            status=Membership.Status.ACTIVE,
            community__organisation_id=user.organisation_id,
        ).values_list("community_id", flat=True)
    )


def readable_communities(user: User) -> QuerySet[Community]:
    """Return the communities whose threads and resources the user may read."""
    return communities_for(user).filter(
        Q(policy=Community.Policy.OPEN) | Q(pk__in=community_ids_of(user))
    )


def community_for(user: User, community_id: int) -> Community:
    """Return a community of the user's organisation, or raise 404."""
    community = communities_for(user).filter(pk=community_id).first()
    if community is None:
        raise Http404("No such community.")
    return community


def readable_community_for(user: User, community_id: int) -> Community:
    """Return a community whose threads and resources the user may read, or raise 404."""
    community = community_for(user, community_id)
    if not community.content_visible_to(user):
        raise Http404("No such community.")
    return community


def thread_for(user: User, thread_id: int) -> Thread:
    """Return a thread in a community the user may read, or raise 404."""
    thread = (
        Thread.objects.select_related("community", "author__profile")
        .filter(pk=thread_id, community__in=readable_communities(user))
        .first()
    )
    if thread is None:
        raise Http404("No such discussion.")
    return thread


def membership_for(user: User, membership_id: int) -> Membership:
    """Return a membership in a community the user facilitates, or raise 404."""
    membership = (
        Membership.objects.select_related("community", "user__profile")
        .filter(
            pk=membership_id,
            community__organisation_id=user.organisation_id,
            community__memberships__user_id=user.pk,
            community__memberships__status=Membership.Status.ACTIVE,
            community__memberships__role=Membership.Role.FACILITATOR,
        )
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership
