"""The goal endpoints: create, list, get, update, milestones, reflections, close."""

from cairn.learning.actions import do_set_goal
from cairn.learning.models import Goal
from cairn.testing import CairnTestCase


class GoalApiTest(CairnTestCase):
    def test_create_twice_makes_one_goal(self) -> None:
        body = {"title": "Write SQL", "skills": ["SQL"], "visibility": "organisation"}
        first = self.api("post", "/goals", self.bob, body)
        second = self.api("post", "/goals", self.bob, body)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(first.json()["skills"], ["SQL"])
        self.assertEqual(Goal.objects.count(), 1)

    def test_bad_input_is_422_with_the_field(self) -> None:
        response = self.api("post", "/goals", self.bob, {"title": "  "})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "title"])
        response = self.api("post", "/goals", self.bob, {"title": "x", "visibility": "world"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("visibility", response.json()["detail"][0]["loc"])

    def test_the_whole_life_of_a_goal(self) -> None:
        goal_id = self.api("post", "/goals", self.bob, {"title": "Talk"}).json()["id"]
        milestone = self.api("post", f"/goals/{goal_id}/milestones", self.bob, {"title": "Topic"})
        self.assertEqual(milestone.status_code, 201)
        self.api("post", f"/goals/{goal_id}/milestones", self.bob, {"title": "Rehearse"})
        done = self.api("post", f"/goals/{goal_id}/milestones/{milestone.json()['id']}/done")
        self.assertTrue(done.json()["done"])
        self.assertEqual(self.api("get", f"/goals/{goal_id}").json()["progress"], 50)
        patched = self.api("patch", f"/goals/{goal_id}", body={"progress": 70, "why": "Courage"})
        self.assertEqual((patched.json()["progress"], patched.json()["why"]), (70, "Courage"))
        reflection = self.api("post", f"/goals/{goal_id}/reflections", body={"text": "Scary"})
        self.assertEqual(reflection.status_code, 201)
        self.assertEqual(len(self.api("get", f"/goals/{goal_id}/reflections").json()), 1)
        closed = self.api(
            "post", f"/goals/{goal_id}/close", body={"outcome": "achieved", "reflection": "Did it"}
        )
        self.assertEqual((closed.json()["status"], closed.json()["progress"]), ("achieved", 100))
        late = self.api("post", f"/goals/{goal_id}/milestones", body={"title": "Late"})
        self.assertEqual(late.status_code, 409)

    def test_list_mine_and_visible(self) -> None:
        do_set_goal(self.bob, "Bob private", visibility="private")
        do_set_goal(self.carol, "Carol shares", visibility="organisation")
        do_set_goal(self.carol, "Carol keeps", visibility="private")
        mine = self.api("get", "/goals", self.bob).json()["items"]
        self.assertEqual([g["title"] for g in mine], ["Bob private"])
        visible = {g["title"] for g in self.api("get", "/goals?scope=visible").json()["items"]}
        self.assertEqual(visible, {"Bob private", "Carol shares"})

    def test_private_goals_are_404_and_only_the_owner_changes(self) -> None:
        private = do_set_goal(self.bob, "Bob private", visibility="private")
        shared = do_set_goal(self.bob, "Bob shares", visibility="organisation")
        for person in (self.carol, self.alice, self.oscar):
            self.assertEqual(self.api("get", f"/goals/{private.pk}", person).status_code, 404)
        self.assertEqual(self.api("get", f"/goals/{shared.pk}", self.carol).status_code, 200)
        response = self.api("patch", f"/goals/{shared.pk}", self.carol, {"title": "Mine"})
        self.assertEqual(response.status_code, 404)
        response = self.api(
            "post",
            f"/goals/{shared.pk}/close",
            self.carol,
            {"outcome": "achieved", "reflection": "x"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.api("get", f"/goals/{shared.pk}", self.oscar).status_code, 404)
