"""Learning records reach a real Ralph LRS, once each, and nothing is lost while it is down."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.communities.actions import do_create_community, do_join
from cairn.errors import ActionError
from cairn.exchange.actions import do_ask, do_respond, do_share_post
from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.ledger.models import Event
from cairn.testing import CairnTestCase
from cairn.xapi.actions import check_lrs, do_backfill, do_configure_lrs, send_pending
from cairn.xapi.models import Delivery, LrsConnection
from cairn.xapi.statements import SENT_VERBS, statement_id
from cairn.xapi.tests.ralph_lrs import PASSWORD, USER, RalphLrs

CLOSED_PORT = "http://127.0.0.1:9/xAPI"


@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True, SITE_URL="https://cairn.test")
class RalphLrsTest(CairnTestCase):
    connection: LrsConnection

    lrs: RalphLrs

    @classmethod
    def setUpClass(cls) -> None:
        cls.lrs = RalphLrs()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.lrs.stop()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True):
            cls.connection = do_configure_lrs(
                cls.alice, endpoint=cls.lrs.endpoint, key=USER, secret=PASSWORD
            )
        goal = do_set_goal(cls.bob, "Write good SQL", visibility="private")
        rel = do_request_relationship(cls.bob, cls.alice, "mentoring", goal, "Hi")
        do_accept(cls.alice, rel)
        do_log_session(cls.bob, rel, timezone.now() - timedelta(hours=1), 45, "Joins", "")
        request = do_ask(cls.bob, "How do I read a query plan?", directed_to=[cls.alice])
        do_respond(cls.alice, request, "Start from the innermost node.")
        do_share_post(cls.carol, "Figma lesson", "x", kind="lesson", learned="y")
        do_join(cls.bob, do_create_community(cls.alice, "Data circle", policy="open"))
        past = timezone.now() - timedelta(days=5)
        promise = do_commit(cls.bob, cls.alice, "Send the plan", past, now=past - timedelta(days=1))
        do_confirm(promise, cls.alice, "kept")

    def setUp(self) -> None:
        self.lrs.clear()

    def sendable(self) -> list[Event]:
        return list(
            Event.objects.filter(organisation=self.acme, verb__in=SENT_VERBS).order_by("pk")
        )

    def test_the_lrs_receives_each_learning_activity_once(self) -> None:
        report = send_pending(self.connection.pk)
        self.assertEqual(report.error, "")
        stored = {s["id"]: s for s in self.lrs.statements()}
        expected = {statement_id(e.pk) for e in self.sendable() if e.verb not in ("kept", "missed")}
        self.assertEqual(set(stored), expected)
        verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in stored.values()}
        for verb in ("set-goal", "started-relationship", "attended", "asked", "responded"):
            self.assertIn(verb, verbs)
        self.assertIn("shared", verbs)
        self.assertIn("joined-community", verbs)
        self.assertNotIn("kept-commitment", verbs)  # not allowed by this organisation
        # Sending again, and backfilling everything, stores nothing twice.
        self.assertEqual(send_pending(self.connection.pk).sent, 0)
        do_backfill(self.connection)
        again = send_pending(self.connection.pk)
        self.assertEqual(again.sent, len(expected))
        self.assertEqual(len(self.lrs.statements()), len(expected))

    def test_nothing_is_lost_while_the_lrs_is_down_for_a_day(self) -> None:
        LrsConnection.objects.filter(pk=self.connection.pk).update(endpoint=CLOSED_PORT)
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            for _ in range(30):  # every retry of a day's back-off fails
                report = send_pending(self.connection.pk)
                connection = LrsConnection.objects.get(pk=self.connection.pk)
                self.assertIn("cannot be reached", report.error)
                self.assertEqual(
                    connection.sent_through_event_id, self.connection.sent_through_event_id
                )
                self.assertLessEqual(connection.retry_delay(), timedelta(hours=1))
                self.assertEqual(send_pending(self.connection.pk).error, "busy or backing off")
                assert connection.next_attempt_at is not None
                clock.move_to(connection.next_attempt_at + timedelta(seconds=1))
            self.assertGreater(timezone.now() - start, timedelta(hours=20))
            LrsConnection.objects.filter(pk=self.connection.pk).update(endpoint=self.lrs.endpoint)
            report = send_pending(self.connection.pk)
        self.assertEqual(report.error, "")
        stored = {s["id"] for s in self.lrs.statements()}
        for e in self.sendable():
            if e.verb not in ("kept", "missed"):
                self.assertIn(statement_id(e.pk), stored)
        connection = LrsConnection.objects.get(pk=self.connection.pk)
        self.assertEqual(connection.failures, 0)
        self.assertEqual(Delivery.objects.filter(status="failed").count(), 30)

    def test_commitments_are_sent_when_the_organisation_allows_them(self) -> None:
        LrsConnection.objects.filter(pk=self.connection.pk).update(send_commitments=True)
        send_pending(self.connection.pk)
        kept = Event.objects.get(organisation=self.acme, verb="kept")
        stored = {s["id"]: s for s in self.lrs.statements()}
        self.assertEqual(
            stored[statement_id(kept.pk)]["actor"]["account"]["name"], str(self.bob.pk)
        )

    def test_the_connection_test_reads_from_the_lrs(self) -> None:
        answer = check_lrs(self.alice)
        self.assertEqual(answer.status, 200)
        LrsConnection.objects.filter(pk=self.connection.pk).update(secret="wrong")
        with self.assertRaisesMessage(ActionError, "The LRS answered 401"):
            check_lrs(self.alice)

    def test_the_admin_page_tests_the_connection_and_lists_deliveries(self) -> None:
        send_pending(self.connection.pk)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("xapi_settings"))
        self.assertContains(page, "Latest deliveries")
        self.assertContains(page, "sent (200)")  # the LRS stored them (204: all known already)
        tested = self.client.post(reverse("xapi_settings"), {"action": "test"}, follow=True)
        self.assertContains(tested, "The LRS answered 200")
