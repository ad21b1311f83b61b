"""cairn send_digests: one email per person per period, by their preferences."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cairn.errors import ActionError
from cairn.notifications.actions import (
    Note,
    do_notify,
    do_send_digests,
    do_update_email_settings,
    period_key,
)
from cairn.notifications.models import Category, Notification
from cairn.testing import CairnTestCase


@override_settings(
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
)
class DigestTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_notify(
            cls.acme.pk,
            [
                Note(cls.alice.pk, "a1", Category.COMMITMENTS, "Bob made you a commitment", "/c/"),
                Note(cls.alice.pk, "a2", Category.PEOPLE, "Carol thanked you", "/t/"),
                Note(cls.bob.pk, "b1", Category.PEOPLE, "Alice followed you", ""),
            ],
        )

    def test_weekly_is_the_default_and_sends_plain_and_html(self) -> None:
        self.assertEqual(do_send_digests("weekly"), 2)
        alice = next(m for m in mail.outbox if m.to == ["alice.archer@acme.example"])
        self.assertIn("Carol thanked you", alice.body)
        self.assertIn("/c/", alice.body)
        assert isinstance(alice, mail.EmailMultiAlternatives)
        html, kind = alice.alternatives[0]
        self.assertEqual(kind, "text/html")
        self.assertIn("Bob made you a commitment", str(html))

    def test_a_second_run_in_the_same_period_sends_nothing(self) -> None:
        do_send_digests("weekly")
        do_notify(self.acme.pk, [Note(self.alice.pk, "a3", Category.PEOPLE, "Later", "")])
        self.assertEqual(do_send_digests("weekly"), 0)
        self.assertEqual(len(mail.outbox), 2)

    def test_the_next_period_sends_what_is_new(self) -> None:
        do_send_digests("weekly")
        do_notify(self.acme.pk, [Note(self.alice.pk, "a3", Category.PEOPLE, "Later", "")])
        next_week = timezone.now() + timedelta(days=7)
        self.assertEqual(do_send_digests("weekly", now=next_week), 1)
        self.assertIn("Later", mail.outbox[-1].body)
        self.assertNotIn("Carol thanked you", mail.outbox[-1].body)

    def test_preferences_choose_the_period_and_the_kinds(self) -> None:
        do_update_email_settings(self.alice, digest="daily", categories=["commitments"])
        do_update_email_settings(self.bob, digest="never", categories=["people"])
        self.assertEqual(do_send_digests("weekly"), 0)
        self.assertEqual(do_send_digests("daily"), 1)
        self.assertIn("commitment", mail.outbox[0].body)
        self.assertNotIn("thanked", mail.outbox[0].body)

    def test_read_notifications_are_not_emailed(self) -> None:
        Notification.objects.update(read_at=timezone.now())
        self.assertEqual(do_send_digests("weekly"), 0)

    def test_period_keys(self) -> None:
        now = timezone.now().replace(year=2026, month=11, day=26)
        self.assertEqual(period_key("daily", now), "2026-11-26")
        self.assertEqual(period_key("weekly", now), "2026-W48")

    def test_a_bad_period_is_refused(self) -> None:
        with self.assertRaises(ActionError):
            do_send_digests("hourly")

    def test_the_command(self) -> None:
        out = StringIO()
        call_command("send_digests", "--period", "weekly", stdout=out)
        self.assertIn("2 digests sent.", out.getvalue())
