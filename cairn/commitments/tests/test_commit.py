"""Commitments: making, confirming, renegotiating and cancelling them (the actions)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cairn.commitments.access import context_for, context_ref
from cairn.commitments.actions import do_cancel, do_commit, do_confirm, do_renegotiate
from cairn.commitments.models import Commitment
from cairn.errors import ActionError
from cairn.learning.actions import do_accept, do_request_relationship, do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.notifications.models import Notification
from cairn.testing import CairnTestCase


class CommitmentCase(CairnTestCase):
    def setUp(self) -> None:
        self.now = timezone.now()
        self.due = self.now + timedelta(days=3)

    def commit(self, **kwargs: Any) -> Commitment:
        args: dict[str, Any] = {"text": "I'll review your draft", "due_at": self.due}
        args.update(kwargs)
        return do_commit(self.bob, self.alice, **args)


class CommitTest(CommitmentCase):
    def test_it_opens_a_commitment_and_records_committed_with_the_due_time(self) -> None:
        commitment = self.commit()
        self.assertEqual(commitment.status, Commitment.Status.OPEN)
        event = Event.objects.get(verb=Verb.COMMITTED)
        self.assertEqual(event.actor, self.bob)
        self.assertEqual(event.subject, self.alice)
        self.assertEqual(event.value, self.due.timestamp())
        self.assertEqual(event.object_id, str(commitment.pk))

    def test_a_double_submission_creates_one_commitment(self) -> None:
        first = self.commit()
        second = self.commit()
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Commitment.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.COMMITTED).count(), 1)

    def test_it_notifies_the_counterpart(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            commitment = self.commit()
        note = Notification.objects.get(recipient=self.alice)
        self.assertIn("Bob Baker made you a commitment", note.text)
        self.assertEqual(note.url, commitment.get_absolute_url())
        self.assertFalse(Notification.objects.filter(recipient=self.bob).exists())

    def test_it_rejects_someone_from_another_organisation(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_commit(self.bob, self.oscar, "Spy for you", self.due)
        self.assertEqual(caught.exception.field, "counterpart")

    def test_it_rejects_a_commitment_to_oneself(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_commit(self.bob, self.bob, "Be better", self.due)
        self.assertEqual(caught.exception.field, "counterpart")

    def test_it_rejects_a_date_in_the_past_and_empty_text(self) -> None:
        with self.assertRaises(ActionError) as caught:
            self.commit(due_at=self.now - timedelta(hours=1))
        self.assertEqual(caught.exception.field, "due_at")
        with self.assertRaises(ActionError) as caught:
            self.commit(text="   ")
        self.assertEqual(caught.exception.field, "text")

    def test_it_rejects_a_context_not_visible_to_both(self) -> None:
        other = do_commit(self.carol, self.alice, "Something between us", self.due)
        with self.assertRaises(ActionError) as caught:
            self.commit(context=other)
        self.assertEqual(caught.exception.field, "context")

    def test_it_keeps_a_context_visible_to_both(self) -> None:
        earlier = do_commit(self.alice, self.bob, "Send the data", self.due)
        commitment = self.commit(context=earlier)
        self.assertEqual(commitment.context, earlier)
        event = Event.objects.get(verb=Verb.COMMITTED, actor=self.bob)
        self.assertEqual(event.context["within"], "commitments.commitment")

    def test_it_can_be_made_within_a_relationship_of_both(self) -> None:
        goal = do_set_goal(self.bob, "Learn SQL", visibility="private")
        relationship = do_request_relationship(self.bob, self.alice, "mentoring", goal, "Help?")
        do_accept(self.alice, relationship)
        commitment = self.commit(context=relationship)
        self.assertEqual(commitment.context, relationship)
        with self.assertRaises(ActionError):  # Carol cannot see their private partnership
            do_commit(self.carol, self.alice, "Join in", self.due, context=relationship)

    def test_the_page_form_names_the_context(self) -> None:
        goal = do_set_goal(self.bob, "Learn SQL", visibility="private")
        relationship = do_request_relationship(self.bob, self.alice, "mentoring", goal, "Help?")
        do_accept(self.alice, relationship)
        self.assertEqual(context_for(self.bob, context_ref(relationship)), relationship)
        for bad in ("learning.relationship:999", "nope", "people.user:1"):
            with self.assertRaises(ActionError):
                context_for(self.bob, bad)
        with self.assertRaises(ActionError):
            context_for(self.carol, context_ref(relationship))

    def test_the_demo_can_replay_history_through_it(self) -> None:
        then = self.now - timedelta(days=90)
        commitment = self.commit(due_at=then + timedelta(days=2), now=then)
        self.assertEqual(commitment.created_at, then)
        self.assertEqual(Event.objects.get(verb=Verb.COMMITTED).time, then)

    def test_only_the_two_people_can_see_it(self) -> None:
        commitment = self.commit()
        mine = {commitment.pk}
        expected = {self.bob: mine, self.alice: mine, self.carol: set(), self.oscar: set()}
        seen = {
            user: set(Commitment.objects.visible_to(user).values_list("pk", flat=True))
            for user in expected
        }
        self.assertEqual(seen, expected)


class ConfirmTest(CommitmentCase):
    def test_the_counterpart_confirms_it_kept(self) -> None:
        commitment = do_confirm(self.commit(), self.alice, "kept")
        self.assertEqual(commitment.status, "kept")
        event = Event.objects.get(verb=Verb.KEPT)
        self.assertEqual((event.actor, event.subject), (self.alice, self.bob))

    def test_confirming_the_same_way_twice_is_one_confirmation(self) -> None:
        commitment = self.commit()
        do_confirm(commitment, self.alice, "kept")
        do_confirm(commitment, self.alice, "kept")
        self.assertEqual(Event.objects.filter(verb=Verb.KEPT).count(), 1)

    def test_only_the_counterpart_can_confirm(self) -> None:
        commitment = self.commit()
        for someone in (self.bob, self.carol):
            with self.assertRaises(ActionError) as caught:
                do_confirm(commitment, someone, "kept")
            self.assertEqual(caught.exception.status, 403)

    def test_it_cannot_be_called_missed_before_it_is_due(self) -> None:
        with self.assertRaises(ActionError):
            do_confirm(self.commit(), self.alice, "missed")

    def test_the_counterpart_confirms_it_missed_once_due(self) -> None:
        commitment = self.commit()
        do_confirm(commitment, self.alice, "missed", now=self.due + timedelta(minutes=1))
        event = Event.objects.get(verb=Verb.MISSED)
        self.assertEqual((event.actor, event.subject), (self.alice, self.bob))

    def test_two_confirmations_at_once_end_in_one_state(self) -> None:
        # Both requests loaded the open commitment before either wrote: the second waits for the
        # row lock, re-reads, finds it closed and is refused.
        commitment = self.commit()
        stale_a = Commitment.objects.get(pk=commitment.pk)
        stale_b = Commitment.objects.get(pk=commitment.pk)
        later = self.due + timedelta(hours=1)
        do_confirm(stale_a, self.alice, "kept", now=later)
        with self.assertRaises(ActionError) as caught:
            do_confirm(stale_b, self.alice, "missed", now=later)
        self.assertEqual(caught.exception.status, 409)
        commitment.refresh_from_db()
        self.assertEqual(commitment.status, "kept")
        verbs = list(Event.objects.filter(verb__in=[Verb.KEPT, Verb.MISSED]).values_list("verb"))
        self.assertEqual(verbs, [("kept",)])


class RenegotiateTest(CommitmentCase):
    def test_the_committer_moves_the_date_before_it_is_due_and_history_is_kept(self) -> None:
        commitment = self.commit()
        new_due = self.due + timedelta(days=2)
        do_renegotiate(commitment, self.bob, new_due, "The data came late")
        commitment.refresh_from_db()
        self.assertEqual(commitment.due_at, new_due)
        change = commitment.renegotiations.get()
        self.assertEqual((change.old_due_at, change.reason), (self.due, "The data came late"))
        event = Event.objects.get(verb=Verb.COMMITMENT_RENEGOTIATED)
        self.assertEqual(event.subject, self.alice)
        self.assertFalse(Event.objects.filter(verb=Verb.MISSED).exists())

    def test_the_same_change_twice_is_one_change(self) -> None:
        commitment = self.commit()
        new_due = self.due + timedelta(days=2)
        do_renegotiate(commitment, self.bob, new_due, "The data came late")
        do_renegotiate(commitment, self.bob, new_due, "The data came late")
        self.assertEqual(commitment.renegotiations.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.COMMITMENT_RENEGOTIATED).count(), 1)

    def test_it_cannot_be_renegotiated_once_due(self) -> None:
        with self.assertRaises(ActionError):
            do_renegotiate(
                self.commit(),
                self.bob,
                self.due + timedelta(days=5),
                "Too late",
                now=self.due + timedelta(seconds=1),
            )

    def test_only_the_committer_renegotiates_with_a_reason(self) -> None:
        commitment = self.commit()
        with self.assertRaises(ActionError):
            do_renegotiate(commitment, self.alice, self.due + timedelta(days=1), "Mine")
        with self.assertRaises(ActionError) as caught:
            do_renegotiate(commitment, self.bob, self.due + timedelta(days=1), " ")
        self.assertEqual(caught.exception.field, "reason")


class CancelTest(CommitmentCase):
    def test_the_committer_withdraws_before_it_is_due(self) -> None:
        commitment = do_cancel(self.commit(), self.bob, "Alice found someone else")
        self.assertEqual(commitment.status, "cancelled")
        event = Event.objects.get(verb=Verb.COMMITMENT_CANCELLED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_cancelling_twice_is_one_cancellation(self) -> None:
        commitment = self.commit()
        do_cancel(commitment, self.bob, "Not needed")
        do_cancel(commitment, self.bob, "Not needed")
        self.assertEqual(Event.objects.filter(verb=Verb.COMMITMENT_CANCELLED).count(), 1)

    def test_the_committer_cannot_cancel_once_due(self) -> None:
        with self.assertRaises(ActionError):
            do_cancel(self.commit(), self.bob, "Oops", now=self.due + timedelta(hours=1))

    def test_the_counterpart_may_release_the_committer_any_time(self) -> None:
        commitment = do_cancel(self.commit(), self.alice, now=self.due + timedelta(days=9))
        self.assertEqual(commitment.status, "cancelled")

    def test_a_stranger_cannot_cancel(self) -> None:
        with self.assertRaises(ActionError):
            do_cancel(self.commit(), self.carol, "No")


class CommitmentListQueriesTest(CommitmentCase):
    """The list page and the API cost the same number of queries with 2 rows as with 8."""

    def add_commitments(self, n: int) -> None:
        Commitment.objects.bulk_create(
            Commitment(
                organisation=self.acme,
                committer=self.bob,
                counterpart=self.alice,
                text="Promised",
                due_at=self.due,
                status=Commitment.Status.KEPT,
            )
            for _ in range(n)
        )

    def test_list_page(self) -> None:
        self.assertPageListConstant(self.alice, "/commitments/", ">Promised<", self.add_commitments)

    def test_list_api(self) -> None:
        self.assertApiListConstant(self.alice, "/commitments?status=kept", self.add_commitments)
