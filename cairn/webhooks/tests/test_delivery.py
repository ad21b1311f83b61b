"""Webhooks reach a local receiver signed (Standard Webhooks), once each, in order; nothing is
lost while the receiver is down, slow or unreachable, and one failing for a day is switched off
with its admins told."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from cairn.audit.models import Action, AuditEntry
from cairn.exchange.actions import do_ask, do_share_post
from cairn.learning.actions import do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.notifications.models import Notification
from cairn.webhooks.actions import (
    BUSY,
    do_add_webhook,
    do_change_webhook,
    prune_log,
    send_pending,
    send_test,
)
from cairn.webhooks.models import Delivery, Endpoint
from cairn.webhooks.payloads import message_id
from cairn.webhooks.tasks import send_webhooks
from cairn.webhooks.tests.receiver import ReceiverTestCase

CLOSED_PORT = "http://127.0.0.1:9/hook"
WANTED = [Verb.ASKED, Verb.LESSON_SHARED, Verb.GOAL_SET]


@override_settings(
    CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True,
    SITE_URL="https://cairn.test",
    CAIRN_WEBHOOK_TIMEOUT_SECONDS=1,
)
class WebhookDeliveryTest(ReceiverTestCase):
    endpoint: Endpoint
    secret: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True):
            cls.endpoint, cls.secret = do_add_webhook(
                cls.alice, url=cls.receiver.url, event_types=WANTED, description="Intranet"
            )
        do_ask(cls.bob, "How do I read a query plan?", skills=["SQL"])
        do_set_goal(cls.carol, "Learn Figma variants", visibility="organisation")
        do_share_post(cls.carol, "Ship smaller", "It broke", kind="lesson", learned="Small steps")
        do_share_post(cls.carol, "Know-how, not wanted", "x")

    def wanted_events(self) -> list[Event]:
        return list(Event.objects.filter(organisation=self.acme, verb__in=WANTED).order_by("pk"))

    def verified(self) -> list[dict]:
        """Return the bodies the receiver got, each checked against its signature."""
        hook = Webhook(self.secret)
        return [hook.verify(r.body, r.headers) for r in self.receiver.received]

    def test_each_event_arrives_signed_once_in_order_with_an_id_from_the_ledger(self) -> None:
        report = send_pending(self.endpoint.pk)
        self.assertEqual((report.sent, report.error), (3, ""))
        bodies = self.verified()
        events = self.wanted_events()
        self.assertEqual([b["type"] for b in bodies], [e.verb for e in events])
        self.assertEqual(
            [r.headers["webhook-id"] for r in self.receiver.received],
            [message_id(e.pk) for e in events],
        )
        asked = bodies[0]["data"]
        self.assertEqual(
            asked["summary"], "Bob Baker asked for help with “How do I read a query plan?”"
        )
        self.assertEqual(asked["tags"], ["SQL"])
        self.assertEqual(asked["actor"]["name"], "Bob Baker")
        self.assertTrue(asked["object"]["url"].startswith("https://cairn.test/"))
        self.assertEqual(send_pending(self.endpoint.pk).sent, 0)  # nothing twice
        self.assertEqual(len(self.receiver.received), 3)
        log = Delivery.objects.filter(endpoint=self.endpoint, status="sent")
        self.assertEqual(log.count(), 3)
        self.assertTrue(all(d.http_status == 200 for d in log))

    def test_a_forged_signature_does_not_verify(self) -> None:
        send_pending(self.endpoint.pk)
        first = self.receiver.received[0]
        with self.assertRaises(Exception):  # noqa: B017 - any verification error
            Webhook("whsec_" + "A" * 43).verify(first.body, first.headers)
        tampered = first.body.replace(b"query plan", b"query plot")
        with self.assertRaises(Exception):  # noqa: B017
            Webhook(self.secret).verify(tampered, first.headers)

    def test_a_receiver_that_is_down_gets_everything_later_in_order_with_the_same_ids(
        self,
    ) -> None:
        self.receiver.answers = [503, 500, 502]
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            for tries in range(1, 4):
                report = send_pending(self.endpoint.pk)
                self.assertIn("answered 50", report.error)
                self.assertEqual(send_pending(self.endpoint.pk).error, BUSY)  # backing off
                endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
                self.assertEqual(endpoint.failures, tries)
                assert endpoint.next_attempt_at is not None
                clock.move_to(endpoint.next_attempt_at + timedelta(seconds=1))
            report = send_pending(self.endpoint.pk)
        self.assertEqual((report.sent, report.error), (3, ""))
        first = message_id(self.wanted_events()[0].pk)
        ids = [r.headers["webhook-id"] for r in self.receiver.received]
        self.assertEqual(ids[:4], [first] * 4)  # three retries of the same message, then it
        self.assertEqual(ids[3:], [message_id(e.pk) for e in self.wanted_events()])
        failed = Delivery.objects.filter(endpoint=self.endpoint, status="failed")
        self.assertEqual(sorted(failed.values_list("http_status", flat=True)), [500, 502, 503])
        endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
        self.assertEqual((endpoint.failures, endpoint.failing_since), (0, None))

    def test_a_slow_receiver_times_out_with_a_clear_message_and_nothing_is_lost(self) -> None:
        self.receiver.delay = 1.5
        report = send_pending(self.endpoint.pk)
        self.assertEqual(report.error, "The webhook endpoint did not answer within 1 s.")
        endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
        self.assertEqual(endpoint.sent_through_event_id, self.endpoint.sent_through_event_id)
        failed = Delivery.objects.get(endpoint=self.endpoint, status="failed")
        self.assertGreaterEqual(failed.elapsed_ms, 1000)

    def test_an_unreachable_address_says_so_and_the_task_tries_again_after_the_back_off(
        self,
    ) -> None:
        Endpoint.objects.filter(pk=self.endpoint.pk).update(url=CLOSED_PORT)
        result = send_webhooks.call(self.endpoint.pk)
        self.assertIn("The webhook endpoint cannot be reached", str(result["error"]))
        retry = DBTaskResult.objects.get(task_path=send_webhooks.module_path)
        endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
        self.assertEqual(retry.run_after, endpoint.next_attempt_at)
        self.assertEqual(retry.args_kwargs["args"], [self.endpoint.pk])

    def test_one_failing_for_a_day_is_switched_off_its_admins_told_and_resumes_when_on(
        self,
    ) -> None:
        Endpoint.objects.filter(pk=self.endpoint.pk).update(url=CLOSED_PORT)
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            while Endpoint.objects.get(pk=self.endpoint.pk).enabled:
                send_pending(self.endpoint.pk)
                endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
                assert endpoint.next_attempt_at is not None
                clock.move_to(endpoint.next_attempt_at + timedelta(seconds=1))
            endpoint = Endpoint.objects.get(pk=self.endpoint.pk)
            assert endpoint.switched_off_at is not None
            self.assertGreaterEqual(endpoint.switched_off_at - start, timedelta(days=1))
            self.assertEqual(send_pending(self.endpoint.pk).error, BUSY)  # off: not tried
        told = Notification.objects.get(recipient=self.alice, key__startswith="webhook-off:")
        self.assertIn("was switched off after failing for a day", told.text)
        self.assertIn("cannot be reached", told.text)
        self.assertFalse(Notification.objects.filter(recipient=self.bob).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.WEBHOOK_SWITCHED_OFF).exists())
        do_change_webhook(
            self.alice, endpoint, url=self.receiver.url, event_types=WANTED, enabled=True
        )
        self.assertEqual(send_pending(self.endpoint.pk).sent, 3)  # everything that waited
        self.assertEqual(len(self.verified()), 3)

    def test_the_test_button_sends_a_signed_test_message(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.post(
            reverse("webhook", args=[self.endpoint.pk]), {"action": "test"}, follow=True
        )
        self.assertContains(page, "The test was delivered: 200")
        self.assertContains(page, "Latest deliveries")
        (body,) = self.verified()
        self.assertEqual(body["type"], "cairn.test")
        Endpoint.objects.filter(pk=self.endpoint.pk).update(url=CLOSED_PORT)
        page = self.client.post(
            reverse("webhook", args=[self.endpoint.pk]), {"action": "test"}, follow=True
        )
        self.assertContains(page, "The test failed: The webhook endpoint cannot be reached")
        self.assertEqual(Endpoint.objects.get(pk=self.endpoint.pk).failures, 0)

    def test_the_log_keeps_thirty_days(self) -> None:
        send_test(self.alice, self.endpoint)
        self.assertEqual(prune_log(timezone.now() + timedelta(days=29)), 0)
        self.assertEqual(prune_log(timezone.now() + timedelta(days=31)), 1)
        self.assertFalse(Delivery.objects.exists())

    def test_the_periodic_command_sends_what_is_owed(self) -> None:
        out = StringIO()
        call_command("webhooks", "send", "--org", "acme", stdout=out)
        self.assertIn("acme: http://127.0.0.1:", out.getvalue())
        self.assertIn(": 3 sent", out.getvalue())
        self.assertEqual(len(self.verified()), 3)
