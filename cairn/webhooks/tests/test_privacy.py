"""Private things never leave: a webhook or chat message carries only what every member of the
organisation may see, by the same ``visible_to`` queries as the pages."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.communities.actions import (
    do_answer_join_request,
    do_create_community,
    do_join,
    do_share_resource,
    do_start_thread,
)
from cairn.exchange.actions import do_ask, do_share_post, do_thank
from cairn.exchange.models import HelpRequest
from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.models import Goal
from cairn.ledger.models import Event
from cairn.testing import CairnTestCase
from cairn.webhooks.actions import do_add_webhook, send_pending
from cairn.webhooks.payloads import EVENT_TYPES, messages_for
from cairn.webhooks.tests.receiver import Receiver

#: Text only in things some member may not see.
PRIVATE = (
    "Quokka-private-goal",
    "Quokka-partners-goal",
    "Quokka-closed-thread",
    "Quokka-closed-request",
    "Quokka-closed-post",
    "Quokka-closed-resource",
    "Quokka-thanks",
    "Quokka-promise",
    "Quokka-session-notes",
    "Quokka-request-details",
)


@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
class WhatLeavesTest(CairnTestCase):
    private_goal: Goal
    open_goal: Goal
    open_request: HelpRequest

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.private_goal = do_set_goal(cls.bob, "Quokka-private-goal", visibility="private")
        do_set_goal(cls.bob, "Quokka-partners-goal", visibility="partners")
        cls.open_goal = do_set_goal(cls.bob, "Write good SQL", visibility="organisation")
        hidden = do_request_relationship(cls.bob, cls.alice, "mentoring", cls.private_goal, "Hi")
        do_accept(cls.alice, hidden)
        do_log_session(cls.bob, hidden, timezone.now() - timedelta(hours=2), 30, "", "x")
        shown = do_request_relationship(cls.bob, cls.carol, "peer", cls.open_goal, "Pair?")
        do_accept(cls.carol, shown)
        do_log_session(
            cls.bob, shown, timezone.now() - timedelta(hours=1), 45, "", "Quokka-session-notes"
        )
        closed = do_create_community(cls.alice, "Leadership circle", policy="approval")
        do_answer_join_request(cls.alice, do_join(cls.bob, closed), approve=True)
        do_start_thread(cls.bob, closed, "Quokka-closed-thread", "x")
        do_share_resource(cls.bob, closed, "Quokka-closed-resource", "https://example.org/r")
        do_ask(cls.bob, "Quokka-closed-request", community=closed)
        do_share_post(
            cls.bob, "Quokka-closed-post", "x", kind="lesson", learned="y", community=closed
        )
        do_thank(cls.bob, cls.carol, "Quokka-thanks")
        do_commit(cls.bob, cls.carol, "Quokka-promise", timezone.now() + timedelta(days=3))
        cls.open_request = do_ask(cls.carol, "Figma auto layout?", "Quokka-request-details")
        do_share_post(cls.carol, "Ship smaller", "x", kind="lesson", learned="y")

    def test_only_what_a_member_with_no_ties_may_see_becomes_a_message(self) -> None:
        events = list(Event.objects.filter(organisation=self.acme).order_by("pk"))
        messages = messages_for(events, self.acme.pk)
        titles = {m.object.title for m in messages.values()}
        self.assertIn("Write good SQL", titles)  # an organisation-wide goal
        self.assertIn("Figma auto layout?", titles)
        self.assertIn("Ship smaller", titles)
        self.assertIn("Leadership circle", titles)  # its name, which everyone sees
        text = repr(list(messages.values()))
        for marker in PRIVATE:
            self.assertNotIn(marker, text)
        # Thanks and commitments are between two people: never sent.
        sent_verbs = {m.type for m in messages.values()}
        self.assertNotIn("thanked", sent_verbs)
        self.assertNotIn("committed", sent_verbs)

    def test_another_organisations_events_are_never_messages(self) -> None:
        do_set_goal(self.oscar, "Globex plans", visibility="organisation")
        events = list(Event.objects.all())
        self.assertFalse(
            any(
                m.object.title == "Globex plans"
                for m in messages_for(events, self.acme.pk).values()
            )
        )

    def test_a_webhook_for_every_kind_of_activity_receives_nothing_private(self) -> None:
        receiver = Receiver()
        self.addCleanup(receiver.stop)
        endpoint, _ = do_add_webhook(self.alice, url=receiver.url, event_types=list(EVENT_TYPES))
        endpoint.sent_through_event_id = 0  # everything since the organisation began
        endpoint.save()
        report = send_pending(endpoint.pk)
        self.assertEqual(report.error, "")
        self.assertGreaterEqual(report.sent, 5)
        received = b"".join(r.body for r in receiver.received).decode()
        self.assertIn("Figma auto layout?", received)
        for marker in PRIVATE:
            self.assertNotIn(marker, received)
