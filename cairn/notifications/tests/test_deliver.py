"""Notifications: the ledger listener tells the people an event concerns."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_renegotiate
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.notifications.actions import do_deliver_event
from cairn.notifications.models import Category, Notification
from cairn.testing import CairnTestCase


class DeliverTest(CairnTestCase):
    def emit(self, verb, actor, **kwargs):
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            return record(verb, actor=actor, **kwargs)

    def test_the_subject_hears_with_a_link_to_the_object(self) -> None:
        self.emit(Verb.THANKED, self.bob, subject=self.alice, obj=self.bob.profile)
        note = Notification.objects.get()
        self.assertEqual(note.recipient, self.alice)
        self.assertEqual(note.text, "Bob Baker thanked you")
        self.assertEqual(note.url, "/people/bob.baker/")
        self.assertEqual(note.category, Category.PEOPLE)

    def test_a_new_date_comes_with_its_reason(self) -> None:
        due = timezone.now() + timedelta(days=2)
        commitment = do_commit(self.bob, self.alice, "Send the deck", due)
        with self.captureOnCommitCallbacks(execute=True):
            do_renegotiate(commitment, self.bob, due + timedelta(days=2), "Waiting for data")
        note = Notification.objects.get(recipient=self.alice)
        self.assertEqual(
            note.text,
            "Bob Baker moved a commitment to you to a new date: “Send the deck” — Waiting for data",
        )

    def test_people_named_by_the_action_hear_too_but_never_the_actor(self) -> None:
        self.emit(
            Verb.COMMENTED,
            self.bob,
            context={"notify": [self.alice.pk, self.carol.pk, self.bob.pk]},
        )
        self.assertEqual(
            set(Notification.objects.values_list("recipient_id", flat=True)),
            {self.alice.pk, self.carol.pk},
        )

    def test_everyone_a_request_is_directed_to_hears(self) -> None:
        self.emit(Verb.ASKED, self.bob, context={"directed_to": [self.alice.pk, self.carol.pk]})
        self.assertEqual(Notification.objects.count(), 2)

    def test_someone_who_may_not_see_the_object_hears_without_its_title(self) -> None:
        commitment = do_commit(self.bob, self.alice, "Between us", timezone.now() + timedelta(1))
        self.emit(Verb.THANKED, self.bob, subject=self.carol, obj=commitment)
        note = Notification.objects.get(recipient=self.carol)
        self.assertEqual((note.text, note.url), ("Bob Baker thanked you", ""))

    def test_nobody_outside_the_organisation_hears(self) -> None:
        self.emit(Verb.COMMENTED, self.bob, context={"notify": [self.oscar.pk]})
        self.assertFalse(Notification.objects.exists())

    def test_feedback_is_never_attributed(self) -> None:
        self.emit(Verb.RATED, self.bob, subject=self.alice, obj=self.bob.profile, value=1)
        note = Notification.objects.get()
        self.assertNotIn("Bob", note.text)
        self.assertEqual(note.url, "")

    def test_delivering_twice_notifies_once(self) -> None:
        event = self.emit(Verb.THANKED, self.bob, subject=self.alice)
        do_deliver_event(event)
        self.assertEqual(Notification.objects.count(), 1)

    def test_an_event_concerning_nobody_costs_no_query(self) -> None:
        with transaction.atomic():
            event = record(Verb.SHARED, actor=self.bob)
        with self.assertNumQueries(0):
            do_deliver_event(event)

    def test_delivery_takes_a_constant_number_of_queries(self) -> None:
        with transaction.atomic():
            event = record(
                Verb.COMMENTED,
                actor=self.bob,
                subject=self.alice,
                obj=self.bob.profile,
                context={"notify": [self.carol.pk]},
            )
        # recipients, who of them may see it, one insert: the object and the actor's name are
        # the ones the action recorded the event with
        with self.assertNumQueries(3):
            do_deliver_event(event)
        Notification.objects.all().delete()
        # read back from the database: the object and the actor's name are read too
        read_back = Event.objects.get(pk=event.pk)
        with self.assertNumQueries(5):
            self.assertEqual(do_deliver_event(read_back), 2)
