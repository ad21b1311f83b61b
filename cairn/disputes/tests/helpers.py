"""Evidence to dispute, built through the real actions."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.commitments.models import Commitment
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.people.models import User
from cairn.testing import CairnTestCase


def missed_commitment(committer: User, counterpart: User, text: str) -> tuple[Commitment, Event]:
    """Return a commitment the counterpart marked missed, and its "missed" event."""
    now = timezone.now()
    commitment = do_commit(
        committer, counterpart, text, now - timedelta(days=1), now=now - timedelta(days=5)
    )
    do_confirm(commitment, counterpart, "missed")
    event = Event.objects.get(verb=Verb.MISSED, object_id=str(commitment.pk))
    return commitment, event


def rating(giver: User, receiver: User, value: float = -0.5) -> Event:
    """Return a "rated" event, as feedback on a response records it."""
    with transaction.atomic():
        return record(
            Verb.RATED,
            actor=giver,
            subject=receiver,
            value=value,
            context={"context": "exchange.response"},
        )


class MissedCommitmentCase(CairnTestCase):
    """Bob committed to Carol to review the deck, and Carol marked it missed; then she rated him
    badly. Both are events he may dispute."""

    commitment: Commitment
    missed: Event
    rated: Event

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.commitment, cls.missed = missed_commitment(cls.bob, cls.carol, "Review the deck")
        cls.rated = rating(cls.carol, cls.bob)
