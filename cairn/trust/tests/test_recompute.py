"""Live recompute: the ledger listener, the debounced task, and `cairn trust recompute`."""

import io
from datetime import timedelta
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from cairn import __main__ as cairn_main
from cairn.commitments.actions import do_commit, do_confirm
from cairn.ledger.models import Verb
from cairn.testing import IMMEDIATE_TASKS, CairnTestCase, dummy_tasks, make_person
from cairn.trust import actions
from cairn.trust.models import TrustProfile, TrustState
from cairn.trust.tests.helpers import happened, praise_ring, working_history

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
class LiveRecomputeTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        working_history(cls.alice, cls.bob, cls.carol)
        actions.do_recompute("acme")

    def test_a_kept_commitment_raises_the_committers_integrity_once_the_task_runs(self) -> None:
        before = TrustProfile.objects.get(user=self.bob).integrity
        for n in range(4):
            commitment = do_commit(
                self.bob, self.alice, f"Send the notes #{n}", timezone.now() + timedelta(days=1)
            )
            with self.captureOnCommitCallbacks(execute=True):
                do_confirm(commitment, self.alice, "kept")
        after = TrustProfile.objects.get(user=self.bob)
        self.assertGreater(after.integrity, before)
        integrity = next(d for d in after.dimensions() if d["name"] == "integrity")
        self.assertIn("kept 4 of 4 commitments confirmed by others", integrity["evidence"])
        self.assertFalse(TrustState.objects.get(organisation=self.acme).queued)

    def test_a_ring_of_mutual_thanks_between_fresh_accounts_changes_nothing_visible(self) -> None:
        ring = [make_person(self.acme, f"Ring {n}") for n in range(4)]
        outsiders_before = {
            p.user_id: (round(p.trust, 6), p.standing()) for p in TrustProfile.objects.all()
        }
        praise_ring(ring, 20, Verb.THANKED, Verb.CREDITED, Verb.RATED, day_fraction=0.1)
        # The loop wrote the ledger without the listener (as an import would), so the pass
        # after the last event is asked for in full.
        with self.captureOnCommitCallbacks(execute=True):
            happened(Verb.THANKED, ring[0], ring[1], days=0)
            actions.do_queue_recompute(self.acme.pk, change="full")
        for member in ring:
            profile = TrustProfile.objects.get(user=member)
            self.assertEqual(profile.standing(), "not yet known", member)
            self.assertLess(profile.trust, 0.1)
        after = {p.user_id: (round(p.trust, 6), p.standing()) for p in TrustProfile.objects.all()}
        for user_id, (_, words) in outsiders_before.items():
            self.assertEqual(after[user_id][1], words)

    def test_platform_events_do_not_queue_a_recompute(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            happened(Verb.GOAL_SET, self.bob)
        with mock.patch.object(actions, "do_queue_recompute") as queue:
            with self.captureOnCommitCallbacks(execute=True):
                happened(Verb.GOAL_SET, self.bob)
            queue.assert_not_called()


@override_settings(TASKS=DUMMY_TASKS)
class DebounceTest(CairnTestCase):
    def test_a_burst_of_events_queues_one_recompute(self) -> None:
        dummy_tasks().clear()
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(5):
                happened(Verb.THANKED, self.bob, self.alice)
        self.assertEqual(len(dummy_tasks().results), 1)
        result = dummy_tasks().results[0]
        self.assertEqual(result.args[0], self.acme.pk)
        self.assertIsNotNone(result.task.run_after)
        state = TrustState.objects.get(organisation=self.acme)
        self.assertTrue(state.queued)
        self.assertEqual(state.input_version, 5)  # every event moved the input on
        self.assertTrue(state.is_stale())

    def test_events_after_the_pass_started_queue_the_next_one(self) -> None:
        from cairn.trust.tasks import recompute_trust

        dummy_tasks().clear()
        self.assertTrue(actions.do_queue_recompute(self.acme.pk))
        self.assertFalse(actions.do_queue_recompute(self.acme.pk))
        recompute_trust.call(self.acme.pk)
        self.assertTrue(actions.do_queue_recompute(self.acme.pk))

    def test_a_failed_enqueue_lets_the_next_event_try_again(self) -> None:
        from cairn.trust import tasks

        with mock.patch.object(type(tasks.recompute_trust), "enqueue", side_effect=OSError("down")):
            with self.assertLogs(tasks.log), self.captureOnCommitCallbacks(execute=True):
                happened(Verb.THANKED, self.bob, self.alice)
        self.assertFalse(TrustState.objects.get(organisation=self.acme).queued)
        self.assertTrue(actions.do_queue_recompute(self.acme.pk))

    def test_a_failing_queue_never_breaks_the_action(self) -> None:
        with mock.patch.object(actions, "do_queue_recompute", side_effect=RuntimeError("down")):
            with self.assertLogs(actions.log), self.captureOnCommitCallbacks(execute=True):
                happened(Verb.THANKED, self.bob, self.alice)


class RecomputeCommandTest(CairnTestCase):
    def test_it_recomputes_an_organisation_with_progress(self) -> None:
        working_history(self.alice, self.bob, self.carol)
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "trust", "recompute", "--org", "acme", "--progress", "yes", stdout=out, stderr=err
        )
        self.assertIn("Recomputed the trust of 3 people from 108 events", out.getvalue())
        self.assertIn("explaining 3/3", err.getvalue())
        self.assertEqual(TrustProfile.objects.filter(organisation=self.acme).count(), 3)
        self.assertFalse(TrustProfile.objects.filter(organisation=self.globex).exists())

    def test_it_names_an_unknown_organisation(self) -> None:
        with self.assertRaisesMessage(CommandError, "There is no organisation 'nowhere'"):
            call_command("trust", "recompute", "--org", "nowhere", stdout=io.StringIO())

    def test_cairn_routes_recompute_to_django_and_the_file_tools_to_the_cli(self) -> None:
        self.assertTrue(cairn_main._is_django_subcommand(["cairn", "trust", "recompute"]))
        for tool in ("scores", "predict", "explain"):
            self.assertFalse(cairn_main._is_django_subcommand(["cairn", "trust", tool]))
        with mock.patch("cairn.trust.cli.main", return_value=0) as cli:
            with self.assertRaises(SystemExit):
                cairn_main.main(["cairn", "trust", "explain", "events.csv", "bob"])
        cli.assert_called_once_with(["explain", "events.csv", "bob"])
