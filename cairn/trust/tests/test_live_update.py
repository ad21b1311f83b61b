"""The worker's incremental pass: pending trust events folded into the stored result, the
rule for falling back to a full recompute, and a burst of events as one update."""

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import numpy as np
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.demo.simulated_org import simulated_organisation
from cairn.ledger.models import Verb
from cairn.people.models import Organisation, User
from cairn.testing import IMMEDIATE_TASKS, CairnTestCase, dummy_tasks
from cairn.trust import adapter
from cairn.trust.models import StoredTrustResult, TrustProfile, TrustState
from cairn.trust.tasks import recompute_trust, write_trust_bytes
from cairn.trust.tests.helpers import WorkedTogetherTestCase, happened

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def run_pass(organisation_id: int) -> dict[str, Any]:
    """Run the worker's task in this process and return its summary."""
    summary = recompute_trust.call(organisation_id)
    assert summary is not None
    return summary


def no_full_recompute() -> mock._patch:
    return mock.patch.object(adapter, "recompute_organisation", side_effect=AssertionError)


@override_settings(TASKS=IMMEDIATE_TASKS)
class IncrementalPassTest(WorkedTogetherTestCase):
    def test_a_kept_commitment_reaches_the_profile_page_without_a_full_recompute(self) -> None:
        before = TrustProfile.objects.get(user=self.bob).integrity
        commitment = do_commit(
            self.bob, self.alice, "Send the notes", timezone.now() + timedelta(days=1)
        )
        with no_full_recompute(), self.captureOnCommitCallbacks(execute=True):
            do_confirm(commitment, self.alice, "kept")
        self.assertGreater(TrustProfile.objects.get(user=self.bob).integrity, before)
        state = TrustState.objects.get(organisation=self.acme)
        self.assertEqual((state.pending, state.stored_version), ([], state.input_version))
        self.client.force_login(self.carol)
        page = self.client.get(reverse("profile", args=[self.bob.profile.handle]))
        self.assertContains(page, "Kept 1 of 1 commitment confirmed by others")

    def test_the_stored_result_goes_on_from_the_update(self) -> None:
        with no_full_recompute(), self.captureOnCommitCallbacks(execute=True):
            happened(Verb.THANKED, self.carol, self.bob, days=0)
        result = adapter.stored_result(self.acme.pk).result
        self.assertEqual(result.folded, 1)
        self.assertEqual(
            float(result.trust[result.index(str(self.bob.pk))]),
            TrustProfile.objects.get(user=self.bob).trust,
        )

    def test_a_decision_about_evidence_makes_the_next_pass_full(self) -> None:
        with mock.patch.object(
            adapter, "recompute_organisation", wraps=adapter.recompute_organisation
        ) as full:
            with self.captureOnCommitCallbacks(execute=True):
                happened(Verb.EVIDENCE_CORRECTED, self.alice, self.bob, days=0)
            full.assert_called_once()
        self.assertFalse(TrustState.objects.get(organisation=self.acme).full_due)

    def test_too_many_pending_events_make_the_pass_full(self) -> None:
        with override_settings(TASKS=DUMMY_TASKS), mock.patch.object(adapter, "MAX_PENDING", 2):
            with self.captureOnCommitCallbacks(execute=True):
                for _ in range(3):
                    happened(Verb.THANKED, self.carol, self.bob, days=0)
            state = TrustState.objects.get(organisation=self.acme)
            self.assertEqual((state.pending, state.full_due), ([], True))
            self.assertEqual(run_pass(self.acme.pk)["mode"], "full")

    def test_an_old_stored_result_makes_the_pass_full(self) -> None:
        with override_settings(TASKS=DUMMY_TASKS):
            with self.captureOnCommitCallbacks(execute=True):
                happened(Verb.THANKED, self.carol, self.bob, days=0)
            with mock.patch.object(adapter, "INCREMENTAL_HOURS", 0):
                summary = run_pass(self.acme.pk)
        self.assertEqual(
            (summary["mode"], summary["reason"]), ("full", "the stored result is too old")
        )


@override_settings(TASKS=DUMMY_TASKS)
class BurstTest(WorkedTogetherTestCase):
    def test_a_burst_of_events_is_one_update_and_a_duplicate_task_does_nothing(self) -> None:
        dummy_tasks().clear()
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(20):
                happened(Verb.THANKED, (self.alice, self.carol)[n % 2], self.bob, days=0)
        self.assertEqual(len(dummy_tasks().results), 1)
        self.assertEqual(len(TrustState.objects.get(organisation=self.acme).pending), 20)
        with no_full_recompute():
            first = run_pass(self.acme.pk)
            again = run_pass(self.acme.pk)
        self.assertEqual((first["mode"], first["events"]), ("incremental", 20))
        self.assertEqual(again["mode"], "nothing to do")

    def test_a_trust_event_never_touches_the_stored_result(self) -> None:
        # Every trust event's request locks the state row; the result (tens of megabytes at
        # organisation size) is apart, so neither reading it nor a pass storing it holds it up.
        with (
            CaptureQueriesContext(connection) as queries,
            self.captureOnCommitCallbacks(execute=True),
        ):
            happened(Verb.THANKED, self.alice, self.bob, days=0)
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        self.assertIn('FROM "trust_truststate"', sql)
        self.assertNotIn("storedtrustresult", sql)
        self.assertNotIn('"result"', sql)

    def test_the_next_pass_goes_on_from_the_result_this_process_stored(self) -> None:
        def thank(sender: User, recipient: User) -> None:
            with self.captureOnCommitCallbacks(execute=True):
                happened(Verb.THANKED, sender, recipient, days=0)

        def passes_reading_the_stored_bytes() -> int:
            with (
                no_full_recompute(),
                mock.patch.object(adapter, "_stored_blob", wraps=adapter._stored_blob) as read,
            ):
                self.assertEqual(run_pass(self.acme.pk)["mode"], "incremental")
            return read.call_count

        thank(self.alice, self.bob)
        self.assertEqual(passes_reading_the_stored_bytes(), 1)
        thank(self.carol, self.bob)
        self.assertEqual(passes_reading_the_stored_bytes(), 0)
        adapter.forget_results()  # as in another process: the pass reads the stored bytes
        # (kept by the last pass: that pass's events are folded into them again)
        thank(self.alice, self.carol)
        self.assertEqual(passes_reading_the_stored_bytes(), 1)


@override_settings(TASKS=DUMMY_TASKS)
class ResultBytesTest(WorkedTogetherTestCase):
    """A pass with another queued behind it may keep the stored bytes (tens of megabytes at
    organisation size) for the next one to write; they never stay behind for good."""

    def thank(self, sender: User, recipient: User) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            happened(Verb.THANKED, sender, recipient, days=0)

    def versions(self) -> tuple[int, int]:
        """Return the stored bytes' version and the profiles' (the state's stored version)."""
        state = TrustState.objects.get(organisation=self.acme)
        kept = StoredTrustResult.objects.get(organisation=self.acme)
        return kept.version, state.stored_version

    def test_bytes_are_due_a_minute_after_this_process_last_wrote_them(self) -> None:
        self.assertTrue(adapter._bytes_due(self.acme.pk))
        self.thank(self.alice, self.bob)
        run_pass(self.acme.pk)
        self.assertFalse(adapter._bytes_due(self.acme.pk))
        with mock.patch.object(adapter, "RESULT_BYTES_EVERY_SECONDS", 0):
            self.assertTrue(adapter._bytes_due(self.acme.pk))

    def test_kept_bytes_read_as_being_updated_and_the_worker_writes_them_later(self) -> None:
        self.thank(self.alice, self.bob)
        run_pass(self.acme.pk)
        self.thank(self.carol, self.bob)
        dummy_tasks().clear()
        with no_full_recompute():
            summary = run_pass(self.acme.pk)
        self.assertEqual((summary["mode"], summary["bytes_kept"]), ("incremental", True))
        self.assert_pages_read(behind=True, events_folded=1)
        # One write is asked for, however many passes keep the bytes before it runs.
        self.thank(self.alice, self.carol)
        run_pass(self.acme.pk)
        asked = [r.task.name for r in dummy_tasks().results]
        self.assertEqual(asked.count("write_trust_bytes"), 1)
        with no_full_recompute():
            self.assertEqual(write_trust_bytes.call(self.acme.pk), {"mode": "written"})
        self.assert_pages_read(behind=False, events_folded=3)
        self.assertEqual(write_trust_bytes.call(self.acme.pk), {"mode": "current"})

    def test_a_pass_that_finds_nothing_new_writes_kept_bytes(self) -> None:
        self.thank(self.alice, self.bob)
        with mock.patch.object(adapter, "_bytes_due", return_value=False):
            run_pass(self.acme.pk)
        with no_full_recompute():
            self.assertEqual(run_pass(self.acme.pk)["mode"], "nothing to do")
        self.assert_pages_read(behind=False, events_folded=1)

    def test_another_process_folds_the_kept_passes_into_the_stored_bytes(self) -> None:
        self.thank(self.alice, self.bob)
        with mock.patch.object(adapter, "_bytes_due", return_value=False):
            run_pass(self.acme.pk)
            self.thank(self.carol, self.bob)
            run_pass(self.acme.pk)
        own = adapter._last_stored[self.acme.pk][2]
        kept = StoredTrustResult.objects.get(organisation=self.acme)
        self.assertEqual(len(kept.folded_since), 2)
        adapter.forget_results()  # as in another worker process
        with no_full_recompute():
            self.assertEqual(write_trust_bytes.call(self.acme.pk), {"mode": "written"})
        self.assert_pages_read(behind=False, events_folded=2)
        rebuilt = adapter.stored_result(self.acme.pk).result
        np.testing.assert_array_equal(rebuilt.trust, own.trust)
        np.testing.assert_array_equal(rebuilt.dimensions, own.dimensions)
        self.assertEqual(StoredTrustResult.objects.get(organisation=self.acme).folded_since, [])

    def assert_pages_read(self, behind: bool, events_folded: int) -> None:
        """Assert whether the bytes are behind the profiles, that pages then read them as
        being updated, and how many incremental updates the result they read took in."""
        kept, profiles = self.versions()
        self.assertEqual(kept < profiles, behind)
        shown = adapter.stored_result(self.acme.pk)
        self.assertEqual(shown.stale, behind)
        self.assertEqual(shown.result.folded, events_folded)


class SameAsFullRecomputeTest(CairnTestCase):
    """On a simulated organisation of 60 people and 90 days, each incremental pass stores what
    a full recompute at the same reference time stores, within 0.02 on every score of
    everyone. The update rescores only the people an event concerns (the engine's documented
    approximation: global figures such as the rater reliability and the reference medians wait
    for the next full recompute), so the differences add up over many events: that is why the
    pass recomputes in full after ``MAX_PENDING`` events or ``INCREMENTAL_HOURS``."""

    sim: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sim = simulated_organisation("sim", people=60, days=90)

    @override_settings(TASKS=DUMMY_TASKS)
    @mock.patch.object(adapter, "RESULT_BYTES_EVERY_SECONDS", 0)  # pages read each pass's
    def test_each_incremental_pass_matches_a_full_recompute(self) -> None:
        people = list(User.objects.filter(organisation=self.sim).order_by("pk"))
        for verb, actor, subject in [
            (Verb.THANKED, people[3], people[12]),
            (Verb.KEPT, people[22], people[12]),
            (Verb.HELPED, people[5], people[30]),
        ]:
            adapter.recompute_organisation(self.sim)
            with self.captureOnCommitCallbacks(execute=True):
                happened(verb, actor, subject, days=0.01)
            with no_full_recompute():
                self.assertEqual(run_pass(self.sim.pk)["mode"], "incremental")
            result = adapter.stored_result(self.sim.pk).result
            full, _ = adapter.compute(self.sim.pk, at=datetime.fromtimestamp(result.at, UTC))
            rows = full.trust[[full.index(p) for p in result.people]]
            with self.subTest(verb=verb):
                self.assertLessEqual(float(np.abs(result.trust - rows).max()), 0.02)
                dims = full.dimensions[[full.index(p) for p in result.people]]
                self.assertLessEqual(float(np.abs(result.dimensions - dims).max()), 0.02)
                stored_trust = TrustProfile.objects.get(user=subject).trust
                self.assertEqual(stored_trust, float(result.trust[result.index(str(subject.pk))]))
