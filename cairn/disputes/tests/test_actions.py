from cairn.disputes.actions import do_open_dispute, do_resolve_dispute
from cairn.disputes.models import Dispute
from cairn.disputes.tests.helpers import MissedCommitmentCase
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb


class OpenDisputeTest(MissedCommitmentCase):
    def test_the_person_concerned_disputes_a_missed_commitment(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it on time, by email.")
        self.assertEqual(dispute.reviewer, self.carol)
        self.assertTrue(dispute.is_open())
        event = Event.objects.get(verb=Verb.DISPUTE_OPENED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.carol))

    def test_a_rating_is_reviewed_by_admins_only_so_its_giver_stays_hidden(self) -> None:
        dispute = do_open_dispute(self.bob, self.rated, "We never worked together.")
        self.assertIsNone(dispute.reviewer)
        self.assertIsNone(Event.objects.get(verb=Verb.DISPUTE_OPENED).subject)
        self.assertFalse(dispute.can_review(self.carol))
        self.assertTrue(dispute.can_review(self.alice))

    def test_a_double_submission_opens_one_dispute(self) -> None:
        first = do_open_dispute(self.bob, self.missed, "Sent it.")
        second = do_open_dispute(self.bob, self.missed, "Sent it.")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Dispute.objects.count(), 1)

    def test_it_refuses_evidence_about_someone_else(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_open_dispute(self.carol, self.missed, "Not fair")
        self.assertEqual(caught.exception.field, "event")

    def test_it_refuses_evidence_that_cannot_be_disputed(self) -> None:
        committed = Event.objects.get(verb=Verb.COMMITTED)
        with self.assertRaises(ActionError):
            do_open_dispute(self.bob, committed, "Hm")

    def test_it_wants_a_reason(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_open_dispute(self.bob, self.missed, "   ")
        self.assertEqual(caught.exception.field, "reason")

    def test_an_outsider_cannot_dispute(self) -> None:
        with self.assertRaises(ActionError):
            do_open_dispute(self.oscar, self.missed, "x")


def overturned_event_ids(organisation) -> set[int]:  # noqa: ANN001
    return Event.objects.filter(organisation=organisation).overturned_ids()


class ResolveDisputeTest(MissedCommitmentCase):
    dispute: Dispute

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dispute = do_open_dispute(cls.bob, cls.missed, "I sent it on time.")

    def test_the_counterpart_overturns_and_the_miss_stops_counting(self) -> None:
        self.assertEqual(overturned_event_ids(self.acme), set())
        with self.captureOnCommitCallbacks(execute=True):
            dispute = do_resolve_dispute(self.dispute, self.carol, "overturned", "Found it.")
        self.assertEqual(dispute.status, Dispute.Status.OVERTURNED)
        self.assertEqual(overturned_event_ids(self.acme), {self.missed.pk})
        self.assertEqual(overturned_event_ids(self.globex), set())
        event = Event.objects.get(verb=Verb.DISPUTE_RESOLVED)
        self.assertEqual((event.actor, event.subject), (self.carol, self.bob))
        self.assertEqual(event.context["outcome"], "overturned")

    def test_an_admin_may_uphold(self) -> None:
        dispute = do_resolve_dispute(self.dispute, self.alice, "upheld", "Nothing arrived.")
        self.assertEqual(dispute.status, Dispute.Status.UPHELD)
        self.assertEqual(overturned_event_ids(self.acme), set())

    def test_the_person_who_disputes_cannot_decide(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_resolve_dispute(self.dispute, self.bob, "overturned", "Mine")
        self.assertEqual(caught.exception.status, 403)

    def test_an_outsider_cannot_decide(self) -> None:
        with self.assertRaises(ActionError):
            do_resolve_dispute(self.dispute, self.oscar, "overturned", "x")

    def test_bad_outcome_and_missing_reason_are_field_errors(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_resolve_dispute(self.dispute, self.carol, "maybe", "x")
        self.assertEqual(caught.exception.field, "outcome")
        with self.assertRaises(ActionError) as caught:
            do_resolve_dispute(self.dispute, self.carol, "upheld", "")
        self.assertEqual(caught.exception.field, "reason")

    def test_a_double_click_resolves_once_and_a_second_reviewer_is_refused(self) -> None:
        do_resolve_dispute(self.dispute, self.carol, "upheld", "It was late.")
        do_resolve_dispute(self.dispute, self.carol, "upheld", "It was late.")
        self.assertEqual(Event.objects.filter(verb=Verb.DISPUTE_RESOLVED).count(), 1)
        with self.assertRaises(ActionError) as caught:
            do_resolve_dispute(self.dispute, self.alice, "overturned", "No")
        self.assertEqual(caught.exception.status, 409)
