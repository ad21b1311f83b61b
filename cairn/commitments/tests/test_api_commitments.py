"""The commitments API: create, list mine / owed to me, confirm, renegotiate, cancel."""

from datetime import timedelta

from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.commitments.tests.helpers import CommitmentTestCase
from cairn.testing import CairnTestCase


class CommitmentApiTest(CommitmentTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/api/v1/commitments/{self.commitment.pk}{suffix}"

    def post(self, path: str, body: dict):
        return self.client.post(path, body, content_type="application/json")

    def test_creating_returns_201_and_a_repeat_returns_the_same(self) -> None:
        self.client.force_login(self.carol)
        body = {
            "counterpart": "alice.archer",
            "text": "Send the slides",
            "due_at": (timezone.now() + timedelta(days=2)).isoformat(),
        }
        first = self.post("/api/v1/commitments", body)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(first.json()["counterpart"], "alice.archer")
        second = self.post("/api/v1/commitments", body)
        self.assertEqual(second.json()["id"], first.json()["id"])
        self.assertEqual(Commitment.objects.filter(committer=self.carol).count(), 1)

    def test_bad_input_is_422_with_the_field(self) -> None:
        self.client.force_login(self.carol)
        past = (timezone.now() - timedelta(days=2)).isoformat()
        response = self.post(
            "/api/v1/commitments", {"counterpart": "alice.archer", "text": "x", "due_at": past}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "due_at"])
        response = self.post(
            "/api/v1/commitments",
            {"counterpart": "oscar.outsider", "text": "x", "due_at": self.due.isoformat()},
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "counterpart"])

    def test_listing_mine_and_owed(self) -> None:
        self.client.force_login(self.alice)
        owed = self.client.get("/api/v1/commitments", {"role": "owed"}).json()["items"]
        self.assertEqual([c["text"] for c in owed], ["Review the draft"])
        mine = self.client.get("/api/v1/commitments", {"role": "mine"}).json()["items"]
        self.assertEqual(mine, [])

    def test_the_counterpart_confirms_once(self) -> None:
        self.client.force_login(self.alice)
        response = self.post(self.url("/confirm"), {"outcome": "kept"})
        self.assertEqual(response.json()["status"], "kept")
        again = self.post(self.url("/confirm"), {"outcome": "kept"})  # a retry: same answer
        self.assertEqual(again.status_code, 200)
        changed_mind = self.post(self.url("/confirm"), {"outcome": "missed"})
        self.assertEqual(changed_mind.status_code, 409)

    def test_the_committer_cannot_confirm(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.post(self.url("/confirm"), {"outcome": "kept"}).status_code, 403)

    def test_a_bad_outcome_is_422_on_outcome(self) -> None:
        self.client.force_login(self.alice)
        response = self.post(self.url("/confirm"), {"outcome": "maybe"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "outcome"])

    def test_renegotiating_shows_in_the_history(self) -> None:
        self.client.force_login(self.bob)
        new_due = (self.due + timedelta(days=2)).isoformat()
        response = self.post(self.url("/renegotiate"), {"due_at": new_due, "reason": "Ill"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["renegotiations"][0]["reason"], "Ill")

    def test_cancelling(self) -> None:
        self.client.force_login(self.bob)
        response = self.post(self.url("/cancel"), {"reason": "Not needed any more"})
        self.assertEqual(response.json()["status"], "cancelled")

    def test_others_get_404_everywhere(self) -> None:
        for someone in (self.carol, self.oscar):
            self.client.force_login(someone)
            self.assertEqual(self.client.get(self.url()).status_code, 404)
            self.assertEqual(self.post(self.url("/confirm"), {"outcome": "kept"}).status_code, 404)
            self.assertEqual(self.post(self.url("/cancel"), {}).status_code, 404)
            items = self.client.get("/api/v1/commitments").json()["items"]
            self.assertEqual(items, [])

    def test_the_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)

        def add() -> None:
            for n in range(5):
                do_commit(self.carol, self.alice, f"Thing {n}", self.due)

        self.assertContains(self.assertSameQueries("/api/v1/commitments", add), "Thing 4")


class OpenApiTest(CairnTestCase):
    def test_the_schema_documents_the_bodies(self) -> None:
        self.client.force_login(self.bob)
        schema = self.client.get("/api/v1/openapi.json").json()
        confirm = schema["paths"]["/api/v1/commitments/{commitment_id}/confirm"]["post"]
        body = confirm["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(body["required"], ["outcome"])
