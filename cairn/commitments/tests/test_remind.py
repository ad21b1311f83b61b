"""cairn remind_commitments: due, overdue and after the grace period, once each."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from cairn.commitments.actions import do_renegotiate, do_send_reminders
from cairn.commitments.models import Commitment
from cairn.commitments.tests.helpers import CommitmentTestCase
from cairn.ledger.models import Event, Verb
from cairn.notifications.models import Notification


@override_settings(CAIRN_COMMITMENT_GRACE_DAYS=3)
class RemindTest(CommitmentTestCase):
    due_in = timedelta(days=2)

    def notes(self, user) -> list[str]:
        return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))

    def test_nothing_while_it_is_far_off(self) -> None:
        self.assertEqual(do_send_reminders(now=self.due - timedelta(days=2)), 0)

    def test_the_committer_is_reminded_once_the_day_before(self) -> None:
        now = self.due - timedelta(hours=20)
        self.assertEqual(do_send_reminders(now=now), 1)
        self.assertEqual(do_send_reminders(now=now + timedelta(hours=1)), 0)
        [text] = self.notes(self.bob)
        self.assertIn("Due soon", text)

    def test_once_due_the_counterpart_is_asked_and_after_grace_asked_again(self) -> None:
        do_send_reminders(now=self.due + timedelta(hours=1))
        do_send_reminders(now=self.due + timedelta(hours=2))
        self.assertEqual(len(self.notes(self.alice)), 1)
        do_send_reminders(now=self.due + timedelta(days=3, hours=1))
        do_send_reminders(now=self.due + timedelta(days=4))
        texts = self.notes(self.alice)
        self.assertEqual(len(texts), 2)
        self.assertTrue(any("Still waiting" in t for t in texts))

    def test_it_is_never_counted_as_missed_without_the_counterpart(self) -> None:
        do_send_reminders(now=self.due + timedelta(days=30))
        self.commitment.refresh_from_db()
        self.assertEqual(self.commitment.status, Commitment.Status.OPEN)
        self.assertFalse(Event.objects.filter(verb=Verb.MISSED).exists())

    def test_a_new_date_brings_new_reminders(self) -> None:
        do_send_reminders(now=self.due - timedelta(hours=20))
        do_renegotiate(
            self.commitment,
            self.bob,
            self.due + timedelta(days=5),
            "Waiting on data",
            now=self.due - timedelta(hours=19),
        )
        self.assertEqual(do_send_reminders(now=self.due + timedelta(days=4, hours=5)), 1)
        self.assertEqual(len(self.notes(self.bob)), 2)

    def test_closed_commitments_are_left_alone(self) -> None:
        Commitment.objects.filter(pk=self.commitment.pk).update(status="kept")
        self.assertEqual(do_send_reminders(now=self.due + timedelta(days=9)), 0)

    def test_the_command_says_how_many(self) -> None:
        out = StringIO()
        call_command("remind_commitments", stdout=out)
        self.assertIn("0 reminders sent.", out.getvalue())
