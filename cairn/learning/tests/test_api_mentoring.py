"""The mentoring endpoints: request, answer, members, sessions, complete, calendar files, and
health: the rhythm, proposed sessions and closing kindly."""

from datetime import timedelta

from django.utils import timezone

from cairn.learning.actions import do_accept, do_request_relationship, do_set_goal
from cairn.learning.models import Goal, Relationship, Session
from cairn.people.actions import do_update_profile
from cairn.testing import CairnTestCase, mentoring


class MentoringApiTest(CairnTestCase):
    goal: Goal

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = do_set_goal(cls.bob, "Write good SQL", visibility="organisation")

    def ask(self, person: str = "alice.archer", kind: str = "mentoring"):
        body = {"person": person, "kind": kind, "goal_id": self.goal.pk, "message": "Help?"}
        return self.api("post", "/mentoring", self.bob, body)

    def test_request_accept_session_complete(self) -> None:
        response = self.ask()
        self.assertEqual(response.status_code, 201)
        rel_id = response.json()["id"]
        self.assertEqual(self.ask().json()["id"], rel_id)  # a double submission: one request
        listed = self.api("get", "/mentoring", self.alice).json()["items"]
        self.assertEqual([r["id"] for r in listed], [rel_id])
        first = self.api("post", f"/mentoring/{rel_id}/accept")
        again = self.api("post", f"/mentoring/{rel_id}/accept")
        self.assertEqual((first.json()["status"], again.status_code), ("active", 200))
        body = {
            "held_at": "2026-01-05T10:00:00+01:00",
            "duration_minutes": 60,
            "shared_notes": "Joins",
            "private_notes": "Tired",
        }
        session = self.api("post", f"/mentoring/{rel_id}/sessions", body=body)
        self.assertEqual(session.status_code, 201)
        self.assertEqual(session.json()["private_notes"], "Tired")
        self.api("post", f"/mentoring/{rel_id}/sessions", body=body)
        self.assertEqual(Session.objects.count(), 1)
        ics = self.api("get", f"/mentoring/{rel_id}/calendar.ics")
        self.assertIn("DTSTART:20260105T090000Z", ics.content.decode())
        one = self.api("get", f"/mentoring/sessions/{session.json()['id']}/calendar.ics")
        self.assertEqual(one.content.decode().count("BEGIN:VEVENT"), 1)
        done = self.api("post", f"/mentoring/{rel_id}/complete", body={"reflection": "Great"})
        self.assertEqual(done.json()["status"], "completed")

    def test_private_notes_are_null_for_colleagues_and_all_404_for_outsiders(self) -> None:
        rel = do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Hi")
        do_accept(self.alice, rel)
        body = {
            "held_at": "2026-01-05T10:00:00Z",
            "duration_minutes": 30,
            "shared_notes": "Joins",
            "private_notes": "Tired",
        }
        self.api("post", f"/mentoring/{rel.pk}/sessions", self.bob, body)
        sessions = self.api("get", f"/mentoring/{rel.pk}/sessions", self.carol).json()
        self.assertEqual(
            (sessions[0]["shared_notes"], sessions[0]["private_notes"]), ("Joins", None)
        )
        self.assertIsNone(self.api("get", f"/mentoring/{rel.pk}").json()["message"])
        self.assertEqual(
            self.api("post", f"/mentoring/{rel.pk}/sessions", body=body).status_code, 404
        )
        for path in (
            f"/mentoring/{rel.pk}",
            f"/mentoring/{rel.pk}/sessions",
            f"/mentoring/{rel.pk}/calendar.ics",
        ):
            self.assertEqual(self.api("get", path, self.oscar).status_code, 404, path)

    def test_errors_name_the_field(self) -> None:
        do_update_profile(self.alice, mentoring_capacity=0)
        response = self.ask()
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "person"])
        self.assertEqual(self.ask("oscar.outsider").json()["detail"][0]["loc"], ["body", "person"])
        body = {"person": "carol.chen", "kind": "peer", "goal_id": 999999, "message": "Hi"}
        response = self.api("post", "/mentoring", self.bob, body)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "goal_id"])
        rel_id = self.ask("carol.chen", "peer").json()["id"]
        response = self.api("post", f"/mentoring/{rel_id}/decline", self.carol, {"reason": " "})
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "reason"])
        response = self.api("post", f"/mentoring/{rel_id}/accept", self.bob)
        self.assertEqual(response.status_code, 403)

    def test_decline_withdraw_and_groups(self) -> None:
        rel_id = self.ask("carol.chen", "peer").json()["id"]
        declined = self.api("post", f"/mentoring/{rel_id}/decline", self.carol, {"reason": "Busy"})
        self.assertEqual(declined.json()["decline_reason"], "Busy")
        rel_id = self.ask().json()["id"]
        self.assertEqual(
            self.api("post", f"/mentoring/{rel_id}/withdraw").json()["status"], "withdrawn"
        )
        rel_id = self.ask().json()["id"]
        self.api("post", f"/mentoring/{rel_id}/accept", self.alice)
        added = self.api(
            "post", f"/mentoring/{rel_id}/members", body={"person": "carol.chen", "role": "learner"}
        )
        self.assertEqual(added.status_code, 201)
        self.assertEqual(len(added.json()["members"]), 3)
        self.assertEqual(Relationship.objects.get(pk=rel_id).members.count(), 3)


class MentoringListApiQueriesTest(CairnTestCase):
    def test_the_number_of_queries_does_not_grow_with_relationships(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from cairn.testing import make_person

        do_update_profile(self.alice, mentoring_capacity=20)

        def add(n: int) -> None:
            for _ in range(n):
                person = make_person(self.acme, f"Learner {Relationship.objects.count()}")
                goal = do_set_goal(person, "Grow", visibility="partners")
                do_accept(
                    self.alice, do_request_relationship(person, self.alice, "mentoring", goal, "Hi")
                )

        def count(path: str) -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.api("get", path, self.alice).status_code, 200)
            return len(ctx.captured_queries)

        add(2)
        count("/mentoring")  # the first request also signs in
        baseline = (count("/mentoring"), count("/goals?scope=visible"))
        add(5)
        self.assertEqual((count("/mentoring"), count("/goals?scope=visible")), baseline)


class RelationshipHealthApiTest(CairnTestCase):
    relationship: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.relationship = mentoring(cls.bob, cls.alice, "partners")

    def test_health_is_in_every_relationship_and_follows_the_rhythm(self) -> None:
        url = f"/mentoring/{self.relationship.pk}"
        fresh = self.api("get", url, self.bob).json()
        self.assertEqual((fresh["health"], fresh["rhythm_days"]), ("on_track", 14))
        self.assertIn("the plan is to meet every two weeks", fresh["health_reason"])
        quiet = timezone.now() - timedelta(days=20)
        Relationship.objects.filter(pk=self.relationship.pk).update(last_active_at=quiet)
        slowing = self.api("get", "/mentoring", self.bob).json()["items"][0]
        self.assertEqual(slowing["health"], "slowing")
        weekly = self.api("post", f"{url}/rhythm", body={"rhythm_days": 7}).json()
        self.assertEqual((weekly["rhythm_days"], weekly["health"]), (7, "on_track"))
        wrong = self.api("post", f"{url}/rhythm", body={"rhythm_days": 9})
        self.assertEqual(wrong.status_code, 422)
        self.assertIn("rhythm_days", wrong.content.decode())

    def test_a_session_is_proposed_answered_and_the_pair_closes_kindly(self) -> None:
        url = f"/mentoring/{self.relationship.pk}"
        when = (timezone.now() + timedelta(days=3)).replace(microsecond=0).isoformat()
        body = {"starts_at": when, "duration_minutes": 45, "message": "Thursday?"}
        proposed = self.api("post", f"{url}/proposals", self.bob, body)
        self.assertEqual(proposed.status_code, 201)
        proposal = proposed.json()
        self.assertEqual((proposal["proposed_by"], proposal["status"]), ("bob.baker", "proposed"))
        listed = self.api("get", f"{url}/proposals", self.alice).json()["items"]
        self.assertEqual([p["id"] for p in listed], [proposal["id"]])
        answer = f"/mentoring/proposals/{proposal['id']}/answer"
        accepted = self.api("post", answer, self.alice, {"accept": True}).json()
        self.assertEqual(accepted["status"], "accepted")
        past = self.api("post", f"{url}/proposals", self.bob, {"starts_at": "2020-01-01T10:00Z"})
        self.assertEqual(past.status_code, 422)
        self.assertIn("starts_at", past.content.decode())
        closed = self.api("post", f"{url}/close", self.bob, {"reason": "got_what_we_needed"})
        self.assertEqual((closed.json()["status"], closed.json()["health"]), ("closed", ""))
        bad = self.api("post", f"{url}/close", self.bob, {"reason": "bored"})
        self.assertEqual(bad.status_code, 422)

    def test_only_members_propose_answer_or_close_and_outsiders_see_nothing(self) -> None:
        url = f"/mentoring/{self.relationship.pk}"
        when = (timezone.now() + timedelta(days=3)).isoformat()
        proposal = self.api("post", f"{url}/proposals", self.bob, {"starts_at": when}).json()
        for person in (self.carol, self.oscar):
            self.assertEqual(self.api("get", f"{url}/proposals", person).status_code, 404)
            answer = f"/mentoring/proposals/{proposal['id']}/answer"
            self.assertEqual(self.api("post", answer, person, {"accept": True}).status_code, 404)
            closing = self.api("post", f"{url}/close", person, {"reason": "not_a_fit"})
            self.assertEqual(closing.status_code, 404)
            rhythm = self.api("post", f"{url}/rhythm", person, {"rhythm_days": 7})
            self.assertEqual(rhythm.status_code, 404)
