"""Trust over time: weekly snapshots copied from stored trust, past weeks computed from the
ledger as it stood, and groups compared between two weeks."""

from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from cairn.ledger.models import Verb
from cairn.testing import CairnTestCase
from cairn.trust import adapter
from cairn.trust.history import (
    backfill,
    known_share_bars,
    take_snapshots,
    trust_before_after,
    trust_rows,
    week_of,
)
from cairn.trust.models import TrustProfile, TrustSnapshot
from cairn.trust.tests.helpers import WorkedTogetherTestCase, days_ago, happened


def test_a_week_is_keyed_by_its_monday() -> None:
    assert week_of(date(2026, 12, 4)) == date(2026, 11, 30)  # a Friday
    assert week_of(date(2026, 11, 30)) == date(2026, 11, 30)
    assert week_of(date(2026, 12, 6)) == date(2026, 11, 30)  # the Sunday after


class SnapshotTest(WorkedTogetherTestCase):
    def test_the_weekly_job_copies_stored_trust_once_a_week(self) -> None:
        written = take_snapshots(self.acme.pk)
        self.assertEqual(written, 3)
        alice = TrustProfile.objects.get(user=self.alice)
        snapshot = TrustSnapshot.objects.get(user=self.alice)
        self.assertEqual(snapshot.week, week_of(timezone.localdate()))
        self.assertAlmostEqual(snapshot.trust, alice.trust)
        self.assertEqual(snapshot.known, alice.standing() != "not yet known")
        TrustProfile.objects.filter(user=self.alice).update(trust=0.0)
        take_snapshots(self.acme.pk)  # the same week again: overwritten, not doubled
        self.assertEqual(TrustSnapshot.objects.filter(user=self.alice).count(), 1)
        self.assertEqual(TrustSnapshot.objects.get(user=self.alice).trust, 0.0)
        self.assertFalse(TrustSnapshot.objects.filter(organisation=self.globex).exists())

    def test_the_scheduled_command_snapshots_every_organisation(self) -> None:
        call_command("trust_snapshots", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(TrustSnapshot.objects.filter(organisation=self.acme).count(), 3)

    def test_a_past_week_sees_only_the_events_up_to_its_end(self) -> None:
        self.assertIsNone(adapter.compute(self.acme.pk, at=days_ago(200))[0])
        moment = days_ago(60)
        early, seen = adapter.compute(self.acme.pk, at=moment)
        late, everything = adapter.compute(self.acme.pk)
        assert early is not None and late is not None and seen and everything
        self.assertLessEqual(seen.time.max(), moment.timestamp())
        self.assertEqual(len(seen), (everything.time <= moment.timestamp()).sum())
        self.assertLess(len(seen), len(everything))

    def test_backfill_writes_the_past_weeks_as_they_stood(self) -> None:
        written = backfill(self.acme.pk, weeks=20)
        self.assertEqual(written, 20 * 3)
        weeks = sorted(set(TrustSnapshot.objects.values_list("week", flat=True)))
        self.assertEqual(len(weeks), 20)
        self.assertEqual(weeks[-1], week_of(timezone.localdate()) - timedelta(weeks=1))
        first = TrustSnapshot.objects.filter(week=weeks[0])
        self.assertFalse(first.filter(known=True).exists())  # before the history began
        last = TrustSnapshot.objects.filter(week=weeks[-1])
        self.assertEqual(sum(first.values_list("trust", flat=True)), 0.0)
        self.assertGreater(sum(last.values_list("trust", flat=True)), 0.0)


class GroupTrustTest(CairnTestCase):
    then = date(2026, 6, 1)
    now = date(2026, 11, 30)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for week, values in (
            (cls.then, {cls.alice: (0.6, True), cls.bob: (0.0, False), cls.carol: (0.0, False)}),
            (cls.now, {cls.alice: (0.7, True), cls.bob: (0.5, True), cls.carol: (0.3, True)}),
        ):
            for user, (trust, known) in values.items():
                TrustSnapshot.objects.create(
                    organisation=cls.acme,
                    user=user,
                    week=week,
                    trust=trust,
                    confidence=0.9 if known else 0.1,
                    known=known,
                )

    def test_each_side_is_read_in_the_latest_week_at_or_before_the_day(self) -> None:
        (_, before, after), (_, rest_before, _) = trust_before_after(
            self.acme.pk, [self.bob.pk, self.carol.pk], date(2026, 9, 9), date(2027, 1, 1)
        )
        self.assertEqual((before.week, before.people, before.known), (self.then, 2, 0))
        self.assertEqual((after.week, after.people, after.known), (self.now, 2, 2))
        self.assertEqual((rest_before.people, rest_before.known), (1, 1))
        self.assertEqual(rest_before.known_percent, 100)

    def test_before_and_after_compares_the_group_with_everyone_else(self) -> None:
        comparison = trust_before_after(
            self.acme.pk, [self.bob.pk, self.carol.pk], self.then, self.now
        )
        (who, before, after), (rest, rest_before, rest_after) = comparison
        self.assertEqual((who, rest), ("participants", "everyone else"))
        assert before and after and rest_before and rest_after
        self.assertEqual((before.known_percent, after.known_percent), (0, 100))
        self.assertEqual((before.average, after.average), (0.0, 40.0))
        self.assertEqual((rest_before.average, rest_after.average), (60.0, 70.0))
        rows = dict(trust_rows(comparison))
        self.assertEqual(rows["Trust known, participants, after (%)"], 100)
        self.assertEqual(rows["Average trust, everyone else, before (of 100)"], 60.0)
        self.assertEqual(
            known_share_bars(comparison)[:2],
            [("Participants, before", 0), ("Participants, after", 100)],
        )

    def test_nothing_is_compared_before_the_first_snapshot(self) -> None:
        self.assertEqual(
            trust_before_after(self.acme.pk, [self.bob.pk], date(2026, 1, 5), self.now), []
        )

    def test_the_comparison_takes_a_constant_number_of_queries(self) -> None:
        with self.assertNumQueries(4):
            trust_before_after(self.acme.pk, [self.bob.pk], self.then, self.now)
        happened(Verb.THANKED, self.bob, self.alice)
        with self.assertNumQueries(4):
            trust_before_after(
                self.acme.pk, [self.bob.pk, self.carol.pk, self.alice.pk], self.then, self.now
            )
