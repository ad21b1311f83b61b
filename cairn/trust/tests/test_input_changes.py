"""The engine's input changes with trust events and with decisions about evidence (overturned
disputes, corrections, ring reviews); pages read the stored result and never compute."""

from unittest import mock

from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from cairn.commitments.models import Commitment
from cairn.disputes.actions import do_open_dispute, do_resolve_dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.ledger.models import Event, Verb
from cairn.safeguards.actions import do_review_ring, do_scan_organisation
from cairn.safeguards.models import RingFlag
from cairn.safeguards.tests.test_pages import make_ring
from cairn.safeguards.tests.test_scan import happened as praised
from cairn.testing import IMMEDIATE_TASKS, CairnTestCase, dummy_tasks
from cairn.trust import adapter, engine
from cairn.trust.engine.events import KIND_CODE
from cairn.trust.models import TrustProfile, TrustState
from cairn.trust.tests.helpers import happened
from cairn.trust.tests.test_api_trust import TrustApiCase

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def stored_missed(organisation_id: int) -> int:
    """Return how many "missed" events the stored engine result holds."""
    result = adapter.stored_result(organisation_id).result
    return int((result.events.kind == KIND_CODE["missed"]).sum())


def input_version(organisation_id: int) -> int:
    return TrustState.objects.get(organisation_id=organisation_id).input_version


@override_settings(TASKS=IMMEDIATE_TASKS)
class OverturnedDisputeTest(CairnTestCase):
    commitment: Commitment
    missed: Event

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.commitment, cls.missed = missed_commitment(cls.bob, cls.alice, "Ship the report")

    def setUp(self) -> None:
        adapter.forget_results()

    def test_the_next_stored_result_leaves_the_overturned_miss_out(self) -> None:
        adapter.recompute_organisation(self.acme)
        before = TrustProfile.objects.get(user=self.bob).integrity
        self.assertEqual(stored_missed(self.acme.pk), 1)
        dispute = do_open_dispute(self.bob, self.missed, "I shipped it.")
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            do_resolve_dispute(dispute, self.alice, "overturned", "It was shipped.")
        self.assertEqual(stored_missed(self.acme.pk), 0)
        self.assertFalse(adapter.stored_result(self.acme.pk).stale)
        profile = TrustProfile.objects.get(user=self.bob)
        self.assertGreater(profile.integrity, before)
        self.assertNotIn("missed", str(profile.explanation["dimensions"]["integrity"]))

    def test_an_upheld_dispute_changes_no_input(self) -> None:
        adapter.recompute_organisation(self.acme)
        version = input_version(self.acme.pk)
        dispute = do_open_dispute(self.bob, self.missed, "I shipped it.")
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            do_resolve_dispute(dispute, self.alice, "upheld", "It was late.")
        self.assertEqual(input_version(self.acme.pk), version)
        self.assertEqual(stored_missed(self.acme.pk), 1)


@override_settings(TASKS=IMMEDIATE_TASKS)
class SafeguardsDecisionsTest(CairnTestCase):
    def setUp(self) -> None:
        adapter.forget_results()

    def test_corrected_thanks_are_not_read_by_the_trust_engine(self) -> None:
        for i in range(100):
            praised(Verb.THANKED, self.bob, self.carol, 20 - i * 0.2)
        self.assertEqual(len(adapter.ledger_events(self.acme.pk) or ()), 100)
        with self.captureOnCommitCallbacks(execute=True):
            do_scan_organisation(self.acme)
        self.assertEqual(len(adapter.ledger_events(self.acme.pk) or ()), 3)
        self.assertEqual(len(adapter.stored_result(self.acme.pk).result.events), 3)

    def test_a_ring_of_fresh_accounts_changes_nobodys_trust_once_corrected(self) -> None:
        praised(Verb.THANKED, self.bob, self.carol, 30)
        praised(Verb.KEPT, self.alice, self.bob, 29)
        adapter.recompute_organisation(self.acme)
        before = {p.user_id: round(p.trust, 6) for p in TrustProfile.objects.all()}
        ring = make_ring(self.acme, 4)
        with self.captureOnCommitCallbacks(execute=True):
            do_scan_organisation(self.acme)
        after = {p.user_id: round(p.trust, 6) for p in TrustProfile.objects.all()}
        for user_id, trust in before.items():
            self.assertEqual(after[user_id], trust)
        for member in ring:
            self.assertEqual(TrustProfile.objects.get(user=member).standing(), "not yet known")

    def test_dismissing_a_ring_puts_its_praise_back_in_the_stored_result(self) -> None:
        praised(Verb.THANKED, self.bob, self.carol, 30)
        make_ring(self.acme, 3)
        with self.captureOnCommitCallbacks(execute=True):
            do_scan_organisation(self.acme)
        corrected = len(adapter.stored_result(self.acme.pk).result.events)
        version = input_version(self.acme.pk)
        flag = RingFlag.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            do_review_ring(self.alice, flag, RingFlag.Status.DISMISSED)
        self.assertGreater(input_version(self.acme.pk), version)
        self.assertGreater(len(adapter.stored_result(self.acme.pk).result.events), corrected)


@override_settings(TASKS=DUMMY_TASKS)
class PagesNeverComputeTest(TrustApiCase):
    def setUp(self) -> None:
        super().setUp()
        dummy_tasks().clear()

    def ask(self) -> dict:
        self.client.force_login(self.bob)
        page = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertEqual(page.status_code, 200)
        return self.client.get("/api/v1/people/dana.dune/trust/pairwise").json()

    def test_a_current_result_is_read_without_the_engine_or_a_recompute(self) -> None:
        with mock.patch.object(engine, "compute_trust", side_effect=AssertionError("computed")):
            body = self.ask()
        self.assertEqual(set(body["via"]), {"carol.chen", "alice.archer"})
        self.assertFalse(body["updating"])
        self.assertEqual(dummy_tasks().results, [])

    def test_a_stale_result_is_shown_as_being_updated_and_one_recompute_is_queued(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            happened(Verb.THANKED, self.bob, self.dana)
        dummy_tasks().clear()
        TrustState.objects.filter(organisation=self.acme).update(queued=False)
        with (
            mock.patch.object(engine, "compute_trust", side_effect=AssertionError("computed")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            body = self.ask()
            page = self.client.get(reverse("person_trust", args=["dana.dune"]))
        self.assertTrue(body["updating"])
        self.assertEqual(set(body["via"]), {"carol.chen", "alice.archer"})
        self.assertContains(page, "still being counted")
        self.assertEqual(len(dummy_tasks().results), 1)

    def test_before_the_first_pass_nothing_is_known_and_a_pass_is_queued(self) -> None:
        TrustState.objects.filter(organisation=self.acme).delete()
        with (
            mock.patch.object(engine, "compute_trust", side_effect=AssertionError("computed")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            body = self.ask()
        self.assertEqual(
            (body["words"], body["via"], body["updating"]), ("not yet known", [], True)
        )
        self.assertEqual(len(dummy_tasks().results), 1)

    def test_the_stored_result_answers_as_the_engine_did(self) -> None:
        result, _ = adapter.compute(self.acme.pk)
        stored = adapter.stored_result(self.acme.pk).result
        viewer, person = str(self.bob.pk), str(self.dana.pk)
        now = engine.pairwise_trust(result, viewer, person)
        then = engine.pairwise_trust(stored, viewer, person)  # computed a moment earlier
        self.assertEqual([p.people for p in then.paths], [p.people for p in now.paths])
        self.assertAlmostEqual(then.score, now.score, places=6)
