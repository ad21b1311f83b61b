"""The moderation API: flag, the queue, decisions; each refusal as declared."""

import json

from cairn.moderation.actions import do_flag
from cairn.moderation.models import Flag
from cairn.moderation.tests.helpers import ModerationTestCase


class ModerationApiTest(ModerationTestCase):
    def post_json(self, path: str, body: dict):
        return self.client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    def test_a_member_flags_a_post(self):
        self.client.force_login(self.carol)
        body = {"target_type": "exchange.post", "target_id": self.post.pk, "reason": "spam"}
        response = self.post_json("/flags", body)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["target_id"], self.post.pk)
        self.assertEqual(Flag.objects.get().flagger, self.carol)

    def test_flags_on_the_unseen_and_bad_input_are_refused(self):
        self.client.force_login(self.oscar)
        body = {"target_type": "exchange.post", "target_id": self.post.pk, "reason": "spam"}
        self.assertEqual(self.post_json("/flags", body).status_code, 404)
        self.client.force_login(self.carol)
        response = self.post_json("/flags", {**body, "reason": "other"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "note"])
        self.assertEqual(self.post_json("/flags", {**body, "reason": "meh"}).status_code, 422)
        self.assertEqual(self.post_json("/flags", {**body, "target_type": "x.y"}).status_code, 404)
        self.assertFalse(Flag.objects.exists())

    def test_the_queue_is_for_moderators(self):
        item = do_flag(self.dave, self.circle_post, "spam").item
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/api/v1/moderation/queue").status_code, 403)
        self.assertEqual(self.client.get(f"/api/v1/moderation/items/{item.pk}").status_code, 404)
        self.client.force_login(self.carol)
        queue = self.client.get("/api/v1/moderation/queue").json()
        self.assertEqual([i["id"] for i in queue], [item.pk])
        detail = self.client.get(f"/api/v1/moderation/items/{item.pk}").json()
        self.assertEqual(detail["flags"][0]["flagger"], self.dave.profile.handle)

    def test_a_moderator_decides_and_redacts(self):
        item = do_flag(self.dave, self.circle_post, "private").item
        self.client.force_login(self.carol)
        path = f"/moderation/items/{item.pk}"
        response = self.post_json(f"{path}/decide", {"decision": "restore", "reason": "x"})
        self.assertEqual(response.status_code, 409)
        body = {"decision": "redact", "texts": {"body": "Notes"}, "reason": "x"}
        response = self.post_json(f"{path}/decide", body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["decision"], "redacted")
        self.assertEqual(response.json()["flags"][0]["status"], "upheld")
        response = self.post_json(f"{path}/decide", {"decision": "hide", "reason": ""})
        self.assertEqual(response.status_code, 422)
        response = self.post_json(f"{path}/decide", {"decision": "hide", "reason": "Still."})
        self.assertTrue(response.json()["hidden"])
