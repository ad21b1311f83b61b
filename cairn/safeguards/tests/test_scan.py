from datetime import timedelta
from io import StringIO
from typing import Any
from unittest.mock import patch

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.notifications.models import Notification
from cairn.safeguards.access import corrected_event_ids
from cairn.safeguards.actions import do_review_ring, do_scan_organisation
from cairn.safeguards.models import Correction, RingFlag
from cairn.testing import CairnTestCase, make_person


def happened(verb, actor, subject, hours_ago: float, value=None):  # noqa: ANN001, ANN201
    with transaction.atomic():
        return record(
            verb,
            actor=actor,
            subject=subject,
            value=value,
            time=timezone.now() - timedelta(hours=hours_ago),
        )


class SerialThanksTest(CairnTestCase):
    def test_a_hundred_thanks_from_one_person_in_a_day_are_corrected_once(self):
        events = [happened(Verb.THANKED, self.bob, self.carol, 20 - i * 0.2) for i in range(100)]
        done = do_scan_organisation(self.acme)
        self.assertEqual(done["corrected"], 97)
        correction = Correction.objects.get()
        self.assertEqual((correction.actor, correction.subject), (self.bob, self.carol))
        self.assertEqual(correction.reason, Correction.Reason.SERIAL)
        self.assertEqual(corrected_event_ids(self.acme), {e.pk for e in events[3:]})
        corrected = Event.objects.get(verb=Verb.EVIDENCE_CORRECTED)
        self.assertEqual(corrected.subject, self.carol)
        self.assertEqual(len(corrected.context["events"]), 97)
        # Idempotent: the nightly job may run again and again.
        self.assertEqual(do_scan_organisation(self.acme)["corrected"], 0)
        call_command("safeguards_scan", stdout=StringIO())
        self.assertEqual(Correction.objects.count(), 1)

    def test_ordinary_thanks_are_left_alone(self):
        for day in range(5):
            happened(Verb.THANKED, self.bob, self.carol, 24 * day + 1)
            happened(Verb.THANKED, self.carol, self.bob, 24 * day + 2)
        self.assertEqual(do_scan_organisation(self.acme)["corrected"], 0)
        self.assertEqual(corrected_event_ids(self.acme), set())

    def test_other_organisations_are_not_touched(self):
        oscar_friend = make_person(self.globex, "Olga Other")
        for i in range(10):
            happened(Verb.THANKED, self.oscar, oscar_friend, 5 - i * 0.1)
        do_scan_organisation(self.acme)
        self.assertEqual(Correction.objects.count(), 0)
        do_scan_organisation(self.globex)
        self.assertEqual(corrected_event_ids(self.acme), set())
        self.assertEqual(len(corrected_event_ids(self.globex)), 7)


class RingTest(CairnTestCase):
    ring: list[Any]
    ring_events: list[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ring = [make_person(cls.acme, f"Ring {n}") for n in range(4)]
        cls.ring_events = []
        for day in range(6):
            for a in cls.ring:
                for b in cls.ring:
                    if a != b:
                        cls.ring_events.append(happened(Verb.THANKED, a, b, 24 * day + 1))
                        cls.ring_events.append(
                            happened(Verb.RATED, a, b, 24 * day + 1.5, value=1.0)
                        )
        happened(Verb.THANKED, cls.bob, cls.carol, 3)

    def test_a_ring_of_fresh_accounts_is_flagged_and_stops_counting(self):
        with self.captureOnCommitCallbacks(execute=True):
            done = do_scan_organisation(self.acme)
        self.assertEqual(done["rings"], 1)
        flag = RingFlag.objects.get()
        self.assertEqual(set(flag.members.all()), set(self.ring))
        self.assertIn("4 accounts", flag.evidence)
        self.assertEqual(corrected_event_ids(self.acme), {e.pk for e in self.ring_events})
        self.assertTrue(Notification.objects.filter(recipient=self.alice).exists())
        self.assertFalse(Notification.objects.filter(recipient=self.bob).exists())
        # Flagged once, however often the job runs.
        self.assertEqual(
            do_scan_organisation(self.acme), {"corrected": 0, "corrections": 0, "rings": 0}
        )
        self.assertEqual(RingFlag.objects.count(), 1)

    def test_an_event_both_in_a_burst_and_in_a_ring_is_corrected_once(self) -> None:
        with patch("cairn.safeguards.actions.BURST_LIMIT", 2):  # every ring member bursts
            done = do_scan_organisation(self.acme)
        self.assertEqual(done["rings"], 1)
        self.assertEqual(corrected_event_ids(self.acme), {e.pk for e in self.ring_events})

    def test_a_dismissed_ring_counts_again_and_a_confirmed_one_does_not(self):
        do_scan_organisation(self.acme)
        flag = RingFlag.objects.get()
        do_review_ring(self.alice, flag, "confirmed")
        self.assertEqual(len(corrected_event_ids(self.acme)), len(self.ring_events))
        do_review_ring(self.alice, flag, "dismissed", "A new team")
        self.assertEqual(corrected_event_ids(self.acme), set())
        happened(Verb.THANKED, self.ring[0], self.ring[1], 0.5)
        do_scan_organisation(self.acme)
        self.assertEqual(corrected_event_ids(self.acme), set())

    def join(self, newcomer) -> None:  # noqa: ANN001
        """The newcomer trades praise with every member."""
        for member in self.ring:
            happened(Verb.THANKED, newcomer, member, 2)
            happened(Verb.THANKED, member, newcomer, 2)

    def test_a_dismissed_ring_stays_dismissed_when_one_member_joins(self):
        do_scan_organisation(self.acme)
        do_review_ring(self.alice, RingFlag.objects.get(), "dismissed", "A new team")
        self.join(make_person(self.acme, "Ring 4"))
        self.assertEqual(do_scan_organisation(self.acme)["rings"], 0)
        self.assertEqual(RingFlag.objects.count(), 1)
        self.assertEqual(corrected_event_ids(self.acme), set())

    def test_a_ring_that_changed_materially_is_flagged_afresh(self):
        do_scan_organisation(self.acme)
        do_review_ring(self.alice, RingFlag.objects.get(), "dismissed", "A new team")
        newcomers = [make_person(self.acme, f"Ring {n}") for n in range(4, 8)]
        for newcomer in newcomers:
            self.join(newcomer)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(do_scan_organisation(self.acme)["rings"], 1)
        flag = RingFlag.objects.filter(status=RingFlag.Status.OPEN).get()
        self.assertEqual(set(flag.members.all()), {*self.ring, *newcomers})
        self.assertEqual(flag.outsiders, 0)
        self.assertIn("and nobody else did", flag.evidence)
