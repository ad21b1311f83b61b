"""Permission-aware getters for disputes.

Which evidence no longer counts is read from the ledger's record of each decision
(:meth:`cairn.ledger.models.EventQuerySet.overturned_ids`).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cairn.commitments.access import commitment_for
from cairn.disputes.models import Dispute
from cairn.ledger.models import Event, Verb
from cairn.people.models import User

#: The kinds of evidence a person may contest.
DISPUTABLE = (Verb.MISSED, Verb.RATED, Verb.CONTENT_HIDDEN)


def disputes_for(user: User) -> QuerySet[Dispute]:
    """Return the disputes a person may see: their own, those they review, all for admins."""
    return Dispute.objects.visible_to(user).select_related(
        "event", "opened_by__profile", "reviewer__profile"
    )


def dispute_for(user: User, dispute_id: int) -> Dispute:
    """Return a dispute the person may see, or raise 404."""
    return get_object_or_404(disputes_for(user), pk=dispute_id)


def disputable_events(user: User) -> QuerySet[Event]:
    """Return the evidence about a person they may contest (missed commitments, ratings)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Event.objects.none()
    return Event.objects.filter(
        organisation_id=user.organisation_id, subject=user, verb__in=DISPUTABLE
    ).select_related("actor__profile")


def disputable_event_for(user: User, event_id: int) -> Event:
    """Return one item of evidence about the person that they may contest, or raise 404."""
    return get_object_or_404(disputable_events(user), pk=event_id)


def missed_event_for(user: User, commitment_id: int) -> Event:
    """Return the "missed" event of a commitment the person made, or raise 404."""
    commitment = commitment_for(user, commitment_id)
    found = (
        disputable_events(user)
        .filter(
            verb=Verb.MISSED,
            object_type="commitments.commitment",
            object_id=str(commitment.pk),
        )
        .order_by("-pk")
        .first()
    )
    if found is None:
        raise Http404("This commitment was not marked missed.")
    return found
