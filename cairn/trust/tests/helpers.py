"""Helpers for the trust tests: a small working history in Acme, recorded straight to the ledger."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User
from cairn.testing import CairnTestCase
from cairn.trust import adapter


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def happened(verb: Verb, actor: User, subject: User | None = None, days: float = 1, **kw):
    """Record one event as if it happened ``days`` ago."""
    with transaction.atomic():
        return record(verb, actor=actor, subject=subject, time=days_ago(days), **kw)


def working_history(alice: User, bob: User, carol: User) -> None:
    """Alice, Bob and Carol have worked together for a few months."""
    for week in range(12):
        d = 90 - 7 * week
        happened(Verb.ASKED, bob, alice, d + 0.5)
        happened(Verb.RESPONDED, alice, bob, d + 0.4, value=3.0)
        happened(Verb.HELPED, alice, bob, d + 0.3, value=1.0)
        happened(Verb.THANKED, bob, alice, d + 0.2)
        happened(Verb.HELPED, carol, alice, d + 0.1, value=1.0)
        happened(Verb.THANKED, alice, carol, d)
        happened(Verb.CREDITED, alice, carol, d)
        happened(Verb.RATED, bob, carol, d, value=0.8)
        happened(Verb.RATED, alice, bob, d, value=0.6)


def praise_ring(ring: list[User], days: int, *verbs: Verb, day_fraction: float = 0.0) -> None:
    """Each member of ``ring`` praises each other with every one of ``verbs`` (a rating at its
    best) once a day for ``days`` days, ``day_fraction + n`` days ago: a ring of mutual praise."""
    for day in range(days):
        for a in ring:
            for b in ring:
                if a != b:
                    for verb in verbs:
                        value = 1.0 if verb == Verb.RATED else None
                        happened(verb, a, b, days=day + day_fraction, value=value)


class WorkedTogetherTestCase(CairnTestCase):
    """Acme after :func:`working_history`, its trust computed once; each test starts with
    nothing read or stored in this process."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        working_history(cls.alice, cls.bob, cls.carol)
        adapter.recompute_organisation(cls.acme)

    def setUp(self) -> None:
        adapter.forget_results()
