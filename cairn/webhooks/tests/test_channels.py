"""A community's chat channel: Slack or Teams messages about the community and about requests
and posts tagged with its skills, set by its facilitators or the organisation's admins."""

import json

from django.test import override_settings
from django.urls import reverse

from cairn.audit.models import Action, AuditEntry
from cairn.communities.actions import do_create_community, do_join, do_start_thread
from cairn.communities.models import Community
from cairn.errors import ActionError
from cairn.exchange.actions import do_ask, do_share_post
from cairn.ledger.models import Event, Verb
from cairn.people.models import Skill
from cairn.webhooks.actions import do_set_channel, send_pending, send_test
from cairn.webhooks.models import Endpoint
from cairn.webhooks.payloads import CHANNEL_DEFAULTS
from cairn.webhooks.tests.receiver import ReceiverTestCase


@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True, SITE_URL="https://cairn.test")
class ChatChannelTest(ReceiverTestCase):
    circle: Community
    other: Community
    closed: Community
    sql: Skill
    channel: Endpoint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.circle = do_create_community(cls.carol, "Design circle", policy="open")
        do_join(cls.bob, cls.circle)
        cls.other = do_create_community(cls.alice, "Book club", policy="open")
        cls.closed = do_create_community(cls.alice, "Leadership", policy="approval")
        cls.sql = Skill.objects.get(organisation=cls.acme, name="SQL")
        with override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True):
            cls.channel = do_set_channel(
                cls.carol,
                cls.circle,
                url=cls.receiver.url,
                kind="slack",
                event_types=CHANNEL_DEFAULTS,
                skills=[cls.sql],
            )
        do_ask(cls.bob, "Window functions?", skills=["SQL"])
        do_ask(cls.alice, "Best sandwich nearby?", community=cls.other)
        do_share_post(
            cls.carol, "Ship smaller", "x", kind="lesson", learned="y", community=cls.circle
        )
        do_start_thread(cls.bob, cls.circle, "Critique Friday", "Bring a sketch")

    def test_slack_hears_of_the_community_and_of_requests_tagged_with_its_skills(self) -> None:
        self.assertEqual(send_pending(self.channel.pk).error, "")
        texts = [r.json()["text"] for r in self.receiver.received]
        self.assertEqual(len(texts), 3)
        self.assertIn("Bob Baker asked for help with “Window functions?” (tagged SQL)", texts[0])
        self.assertIn("Carol Chen shared the lesson learned “Ship smaller”", texts[1])
        self.assertIn("Bob Baker started the discussion “Critique Friday”", texts[2])
        self.assertRegex(texts[2], r"<https://cairn\.test/communities/threads/\d+/\|Open in Cairn>")
        self.assertNotIn("sandwich", "".join(texts))  # another community's, untagged
        self.assertNotIn("webhook-signature", self.receiver.received[0].headers)

    def test_teams_gets_an_adaptive_card(self) -> None:
        Endpoint.objects.filter(pk=self.channel.pk).update(kind="teams")
        send_pending(self.channel.pk)
        body = self.receiver.received[0].json()
        attachment = body["attachments"][0]
        self.assertEqual(body["type"], "message")
        self.assertEqual(attachment["contentType"], "application/vnd.microsoft.card.adaptive")
        card = attachment["content"]
        self.assertEqual(card["type"], "AdaptiveCard")
        self.assertIn("Window functions?", card["body"][0]["text"])
        self.assertEqual(card["actions"][0]["type"], "Action.OpenUrl")

    def test_a_members_only_community_gets_no_channel(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_set_channel(
                self.alice, self.closed, url=self.receiver.url, event_types=CHANNEL_DEFAULTS
            )
        self.assertEqual(refused.exception.field, "url")
        self.assertIn("members only", refused.exception.message)
        self.assertFalse(Endpoint.objects.filter(community=self.closed).exists())

    def test_a_channel_hears_only_of_what_can_belong_to_a_community(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_set_channel(self.carol, self.circle, event_types=["asked", "goal_set"])
        self.assertEqual(refused.exception.field, "event_types")
        self.assertIn("goal_set", refused.exception.message)

    def test_only_facilitators_and_admins_set_it(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_set_channel(self.bob, self.circle, url=self.receiver.url, event_types=["asked"])
        self.assertEqual(refused.exception.status, 403)
        with self.assertRaises(ActionError) as refused:
            do_set_channel(self.oscar, self.circle, url=self.receiver.url, event_types=["asked"])
        self.assertEqual(refused.exception.status, 404)
        do_set_channel(self.alice, self.other, url=self.receiver.url, event_types=["asked"])
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get(reverse("community_chat", args=[self.circle.pk])).status_code, 403
        )
        self.client.force_login(self.oscar)
        self.assertEqual(
            self.client.get(reverse("community_chat", args=[self.circle.pk])).status_code, 404
        )

    def test_the_page_keeps_the_address_secret_and_changes_are_logged(self) -> None:
        self.client.force_login(self.carol)
        page = self.client.get(reverse("community_chat", args=[self.circle.pk]))
        self.assertContains(page, "http://127.0.0.1:")
        self.assertNotContains(page, "/hook")  # the path of an incoming webhook is its secret
        saved = self.client.post(
            reverse("community_chat", args=[self.circle.pk]),
            {
                "kind": "teams",
                "url": "",
                "event_types": ["asked", "lesson_shared"],
                "enabled": "on",
            },
        )
        self.assertEqual(saved.status_code, 302)
        self.channel.refresh_from_db()
        self.assertEqual((self.channel.kind, self.channel.url), ("teams", self.receiver.url))
        self.assertEqual(list(self.channel.skills.all()), [])
        logged = AuditEntry.objects.filter(action__startswith="webhook_")
        self.assertEqual(
            list(logged.values_list("action", flat=True)),
            [Action.WEBHOOK_CHANGED, Action.WEBHOOK_ADDED],
        )
        for text in (
            json.dumps(list(logged.values("target", "details"))),
            json.dumps(
                list(
                    Event.objects.filter(verb__startswith="webhook_").values_list(
                        "context", flat=True
                    )
                )
            ),
        ):
            self.assertNotIn("/hook", text)
        self.assertTrue(Event.objects.filter(verb=Verb.WEBHOOK_CHANGED).exists())

    def test_a_test_message_reaches_the_channel(self) -> None:
        delivery = send_test(self.carol, self.channel)
        self.assertEqual(delivery.status, "sent")
        self.assertIn(
            "A test from Cairn for Acme Learning", self.receiver.received[0].json()["text"]
        )

    def test_disconnecting_removes_it_with_its_log(self) -> None:
        send_test(self.carol, self.channel)
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("community_chat", args=[self.circle.pk]), {"action": "remove"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Endpoint.objects.filter(pk=self.channel.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.WEBHOOK_REMOVED).exists())
