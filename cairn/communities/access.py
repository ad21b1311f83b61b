"""Permission-aware getters: anything a person may not see is a 404, never a leak. Each is one
lookup over ``visible_to`` / ``readable_by`` of the community models."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cairn.communities.models import Community, Membership, Thread
from cairn.people.models import User


def community_ids_of(user: User) -> set[int]:
    """Return the ids of the communities the user is an active member of."""
    if not user.is_authenticated or user.organisation_id is None:
        return set()
    return set(
        Membership.objects.filter(
            user_id=user.pk,
            status=Membership.Status.ACTIVE,
            community__organisation_id=user.organisation_id,
        ).values_list("community_id", flat=True)
    )


def community_for(user: User, community_id: int) -> Community:
    """Return a community of the user's organisation, or raise 404."""
    return get_object_or_404(Community.objects.visible_to(user), pk=community_id)


def readable_community_for(user: User, community_id: int) -> Community:
    """Return a community whose threads and resources the user may read, or raise 404."""
    return get_object_or_404(Community.objects.readable_by(user), pk=community_id)


def thread_for(user: User, thread_id: int) -> Thread:
    """Return a thread in a community the user may read, or raise 404."""
    return get_object_or_404(
        Thread.objects.visible_to(user).select_related("community", "author__profile"),
        pk=thread_id,
    )


def membership_for(user: User, membership_id: int) -> Membership:
    """Return a membership in a community the user facilitates, or raise 404."""
    if user.organisation_id is None:
        raise Http404("No organisation.")
    return get_object_or_404(
        Membership.objects.select_related("community", "user__profile").filter(
            community__organisation_id=user.organisation_id,
            community__memberships__user_id=user.pk,
            community__memberships__status=Membership.Status.ACTIVE,
            community__memberships__role=Membership.Role.FACILITATOR,
        ),
        pk=membership_id,
    )
