"""The programs API: create, sign up, close, run, proposal, adjust, publish, my match."""

import json

from cairn.matching.models import Program
from cairn.matching.tests.helpers import ProgramTestCase, participant


class ProgramApiTest(ProgramTestCase):
    def post(self, path: str, data: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )

    def test_an_admin_creates_a_program(self) -> None:
        self.client.force_login(self.alice)
        response = self.post(
            "/programs",
            {
                "name": "Summer cohort",
                "opens_at": "2026-06-01T09:00:00Z",
                "closes_at": "2026-06-15T17:00:00Z",
                "questions": [{"label": "Pace?", "kind": "choice", "choices": ["Slow", "Fast"]}],
                "objective": "fair",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["questions"][0]["id"], "q1")
        self.assertEqual(body["objective"], "fair")

    def test_bad_input_is_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.alice)
        response = self.post(
            "/programs",
            {"name": "Back", "opens_at": "2026-06-15T09:00:00Z", "closes_at": "2026-06-01T09:00Z"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "closes_at"])

    def test_members_cannot_create_or_run(self) -> None:
        self.client.force_login(self.bob)
        response = self.post(
            "/programs",
            {"name": "Mine", "opens_at": "2026-06-01T09:00Z", "closes_at": "2026-06-02T09:00Z"},
        )
        self.assertEqual(response.status_code, 403)
        for path in ("close", "run", "publish", "reassign", "swap", "exclude"):
            self.assertEqual(self.post(f"/programs/{self.program.pk}/{path}").status_code, 403)
        self.assertEqual(
            self.client.get(f"/api/v1/programs/{self.program.pk}/proposal").status_code, 403
        )

    def test_outsiders_get_404_whatever_they_send(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/api/v1/programs/{self.program.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/programs").json(), [])
        for path in ("signups", "close", "run", "publish", "reassign"):
            response = self.post(f"/programs/{self.program.pk}/{path}", {"role": "mentor"})
            self.assertEqual(response.status_code, 404, path)

    def test_a_sign_up_with_a_bad_answer_is_a_422(self) -> None:
        self.client.force_login(self.bob)
        response = self.post(
            f"/programs/{self.program.pk}/signups",
            {"role": "mentee", "goal_text": "SQL", "answers": {"q2": "Daily"}},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "q2"])

    def test_the_whole_flow(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(
            self.post(
                f"/programs/{self.program.pk}/signups", {"role": "mentor", "capacity": 2}
            ).status_code,
            201,
        )
        self.client.force_login(self.dan)
        self.post(f"/programs/{self.program.pk}/signups", {"role": "mentor", "capacity": 1})
        for person, goal in ((self.bob, "Faster SQL"), (self.erin, "SQL for our warehouse")):
            self.client.force_login(person)
            response = self.post(
                f"/programs/{self.program.pk}/signups",
                {"role": "mentee", "goal_text": goal, "picks": [self.alice.pk]},
            )
            self.assertEqual(response.status_code, 201, response.content)
        self.client.force_login(self.alice)
        self.assertEqual(
            len(self.client.get(f"/api/v1/programs/{self.program.pk}/signups").json()), 4
        )
        self.assertEqual(
            self.post(f"/programs/{self.program.pk}/close").json()["signup_open"], False
        )
        run = self.post(f"/programs/{self.program.pk}/run", {"objective": "fair"})
        self.assertEqual(run.status_code, 202)
        self.assertEqual(run.json()["status"], "proposed")
        proposal = self.client.get(f"/api/v1/programs/{self.program.pk}/proposal").json()
        self.assertEqual(proposal["summary"]["objective"], "fair")
        self.assertEqual(len(proposal["matches"]), 2)
        bob, erin = participant(self.program, self.bob), participant(self.program, self.erin)
        swapped = self.post(
            f"/programs/{self.program.pk}/swap", {"mentee_id": bob.pk, "other_id": erin.pk}
        )
        self.assertEqual(swapped.status_code, 200, swapped.content)
        refused = self.post(
            f"/programs/{self.program.pk}/reassign", {"mentee_id": bob.pk, "mentor_id": 999999}
        )
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "mentor"])
        published = self.post(f"/programs/{self.program.pk}/publish")
        self.assertEqual(published.json()["status"], "published")
        self.client.force_login(self.erin)
        mine = self.client.get(f"/api/v1/programs/{self.program.pk}/my-match").json()
        self.assertIsNotNone(mine["mentor"])
        self.assertTrue(mine["reasons"])
        self.assertIsNotNone(mine["relationship_id"])
        self.assertEqual(Program.objects.get().status, "published")
