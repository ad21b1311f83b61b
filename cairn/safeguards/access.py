"""Permission-aware reads of corrections and ring flags, and the events that no longer count."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cairn.people.models import User
from cairn.safeguards.models import CorrectedEvent, Correction, RingFlag


def corrected_events(organisation) -> QuerySet:  # noqa: ANN001
    """Return the ids of the organisation's ledger events that no longer count in trust, as a
    query to use inside another (``exclude(pk__in=...)``).

    Corrections of a ring an admin dismissed count again.
    """
    organisation_id = getattr(organisation, "pk", organisation)
    return (
        CorrectedEvent.objects.filter(organisation_id=organisation_id)
        .exclude(correction__ring__status=RingFlag.Status.DISMISSED)
        .values("event_id")
    )


def corrected_event_ids(organisation) -> set[int]:  # noqa: ANN001
    """Return the ids of the organisation's ledger events that no longer count in trust."""
    return {row["event_id"] for row in corrected_events(organisation)}


def corrections_for(user: User) -> QuerySet[Correction]:
    """Return the corrections that concern ``user``: evidence they gave or received."""
    return Correction.objects.visible_to(user).select_related(
        "actor__profile", "subject__profile", "ring"
    )


def is_admin(user: User) -> bool:
    """Return whether ``user`` administers their organisation."""
    return user.is_authenticated and user.role == User.Role.ADMIN


def rings_for(user: User) -> QuerySet[RingFlag]:
    """Return the organisation's ring flags for an admin; 404 for anyone else."""
    if not is_admin(user):
        raise Http404("No such page.")
    return (
        RingFlag.objects.visible_to(user)
        .prefetch_related("members__profile")
        .select_related("reviewed_by__profile")
    )


def ring_for(user: User, ring_id: int) -> RingFlag:
    """Return one ring flag of the admin's organisation, or raise 404."""
    return get_object_or_404(rings_for(user), pk=ring_id)
