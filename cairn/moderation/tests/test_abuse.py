"""Mass-flagging by one person, and a ring flagging one victim, are caught with the
safeguards' detectors: the flags are queued, marked, and hide nothing."""

from datetime import timedelta

from django.utils import timezone

from cairn.exchange.actions import do_share_post
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.moderation.abuse import ring_flaggers
from cairn.moderation.actions import do_flag
from cairn.moderation.models import Flag, ModeratedItem
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.safeguards.models import RingFlag
from cairn.testing import make_person


def praise(actor, subject, times: int = 2) -> None:
    """Record ``times`` thanks from ``actor`` to ``subject`` in the last few days."""
    from django.db import transaction

    with transaction.atomic():
        for i in range(times):
            record(
                Verb.THANKED, actor=actor, subject=subject, time=timezone.now() - timedelta(days=i)
            )


class MassFlaggingTest(ModerationTestCase):
    def test_a_fourth_flag_on_one_colleagues_work_in_a_day_is_serial(self):
        posts = [do_share_post(self.bob, f"Tip {i}", "x") for i in range(3)]
        for post in [self.post, *posts]:
            do_flag(self.dave, post, "spam")
        suspicions = list(Flag.objects.order_by("pk").values_list("suspicion", flat=True))
        self.assertEqual(suspicions, ["", "", "", "serial"])

    def test_a_burst_of_flags_from_one_person_is_caught(self):
        authors = [make_person(self.acme, f"Author {i}") for i in range(6)]
        for author in authors:
            do_flag(self.dave, do_share_post(author, "Hello", "x"), "spam")
        self.assertEqual(Flag.objects.order_by("-pk").first().suspicion, "burst")
        self.assertEqual(Flag.objects.exclude(suspicion="").count(), 1)

    def test_serial_flags_do_not_count_towards_hiding(self):
        for i in range(3):
            do_flag(self.dave, do_share_post(self.bob, f"Tip {i}", "x"), "spam")
        do_flag(self.dave, self.post, "spam")  # the fourth on bob today
        do_flag(self.erin, self.post, "spam")
        do_flag(self.frank, self.post, "spam")
        item = ModeratedItem.objects.get(target_type="exchange.post", target_id=self.post.pk)
        self.assertFalse(item.hidden)
        self.assertTrue(item.is_waiting())


class RingFlaggingTest(ModerationTestCase):
    def test_a_ring_of_mutual_praise_flagging_one_victim_hides_nothing(self):
        ring = (self.dave, self.erin, self.frank)
        for a in ring:
            for b in ring:
                if a != b:
                    praise(a, b)
        for person in ring:
            do_flag(person, self.post, "inappropriate")
        item = ModeratedItem.objects.get()
        self.assertFalse(item.hidden)
        self.assertEqual(set(item.flags.values_list("suspicion", flat=True)), {"ring"})
        self.assertTrue(item.is_waiting())

    def test_praise_from_many_others_is_no_ring(self):
        ring = (self.dave, self.erin, self.frank)
        for a in ring:
            for b in ring:
                if a != b:
                    praise(a, b, times=1)
        others = [make_person(self.acme, f"Colleague {i}") for i in range(5)]
        for other in others:
            for person in ring:
                praise(other, person, times=1)
        self.assertEqual(ring_flaggers(self.acme.pk, [p.pk for p in ring]), set())

    def test_members_of_a_ring_the_safeguards_flagged_are_caught_too(self):
        flagged = RingFlag.objects.create(organisation=self.acme, key="x", evidence="x")
        flagged.members.set([self.dave, self.erin])
        self.assertEqual(
            ring_flaggers(self.acme.pk, [self.dave.pk, self.erin.pk, self.frank.pk]),
            {self.dave.pk, self.erin.pk},
        )
        flagged.status = RingFlag.Status.DISMISSED
        flagged.save()
        self.assertEqual(ring_flaggers(self.acme.pk, [self.dave.pk, self.erin.pk]), set())
