"""The communities endpoints of the JSON API."""

import json

from cairn.communities import actions
from cairn.communities.models import Community, Thread
from cairn.communities.tests.helpers import CommunityTestCase


class ApiTestCase(CommunityTestCase):
    secret: Thread

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.secret = actions.do_start_thread(cls.alice, cls.closed, "Pangolin", "Sssh")


class CommunityEndpointsTest(ApiTestCase):
    def test_create_join_and_list(self) -> None:
        response = self.api("post", "/communities", self.bob, {"name": "Figma", "policy": "open"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["my_role"], "facilitator")
        pk = response.json()["id"]
        response = self.api("post", f"/communities/{pk}/join", self.carol, {})
        self.assertEqual(response.json()["my_status"], "active")
        names = [c["name"] for c in self.api("get", "/communities", self.carol).json()]
        self.assertEqual(names, ["Data Circle", "Figma", "Leaders Circle"])

    def test_approval_flow(self) -> None:
        response = self.api(
            "post", f"/communities/{self.closed.pk}/join", self.bob, {"message": "Hi"}
        )
        self.assertEqual(response.json()["my_status"], "pending")
        pending = self.api("get", f"/communities/{self.closed.pk}/members", self.alice).json()
        bob = next(m for m in pending if m["handle"] == "bob.baker")
        self.assertEqual(bob["status"], "pending")
        response = self.api(
            "post", f"/communities/members/{bob['id']}/answer", self.alice, {"approve": True}
        )
        self.assertEqual(response.json()["status"], "active")
        response = self.api("get", f"/communities/threads/{self.secret.pk}", self.bob)
        self.assertEqual(response.status_code, 200)

    def test_bad_input_is_a_422_with_the_field(self) -> None:
        response = self.api("post", "/communities", self.bob, {"name": "Data Circle"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "name"])
        response = self.api(
            "post",
            f"/communities/{self.open.pk}/resources",
            self.alice,
            {"title": "x", "url": "nope"},
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "url"])
        response = self.api(
            "post", f"/communities/{self.open.pk}/threads", self.alice, {"title": "x"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("body", json.dumps(response.json()))

    def test_facilitators_update_the_description(self) -> None:
        body = {"name": "Data Circle", "description": "Weekly", "policy": "open"}
        response = self.api("put", f"/communities/{self.open.pk}", self.alice, body)
        self.assertEqual(response.json()["description"], "Weekly")
        self.api("post", f"/communities/{self.open.pk}/join", self.bob, {})
        response = self.api("put", f"/communities/{self.open.pk}", self.bob, body)
        self.assertEqual(response.status_code, 403)

    def test_a_double_submission_starts_one_thread(self) -> None:
        body = {"title": "Hello", "body": "Anyone?"}
        self.api("post", f"/communities/{self.open.pk}/threads", self.alice, body)
        self.api("post", f"/communities/{self.open.pk}/threads", self.alice, body)
        self.assertEqual(Thread.objects.filter(title="Hello").count(), 1)


class AccessTest(ApiTestCase):
    def test_non_members_cannot_read_an_approval_community(self) -> None:
        for path in (
            f"/communities/{self.closed.pk}/threads",
            f"/communities/{self.closed.pk}/resources",
            f"/communities/{self.closed.pk}/members",
            f"/communities/threads/{self.secret.pk}",
        ):
            self.assertEqual(self.api("get", path, self.bob).status_code, 404, path)
        response = self.api(
            "post", f"/communities/threads/{self.secret.pk}/replies", self.bob, {"body": "x"}
        )
        self.assertEqual(response.status_code, 404)

    def test_outsiders_see_nothing(self) -> None:
        self.assertEqual(self.api("get", "/communities", self.oscar).json(), [])
        for path in (f"/communities/{self.open.pk}", f"/communities/{self.open.pk}/threads"):
            self.assertEqual(self.api("get", path, self.oscar).status_code, 404)
        response = self.api("post", f"/communities/{self.open.pk}/join", self.oscar, {})
        self.assertEqual(response.status_code, 404)

    def test_members_post_but_only_facilitators_archive(self) -> None:
        self.api("post", f"/communities/{self.open.pk}/join", self.bob, {})
        response = self.api("post", f"/communities/{self.open.pk}/archive", self.bob)
        self.assertEqual(response.status_code, 403)
        response = self.api("post", f"/communities/{self.open.pk}/archive", self.alice)
        self.assertTrue(response.json()["archived"])
        names = [c["name"] for c in self.api("get", "/communities", self.bob).json()]
        self.assertEqual(names, ["Leaders Circle", "Data Circle"])  # archived ones last
        self.assertTrue(Community.objects.get(pk=self.open.pk).is_archived())
        response = self.api(
            "post", f"/communities/{self.open.pk}/threads", self.bob, {"title": "a", "body": "b"}
        )
        self.assertEqual(response.status_code, 409)


class QueryCountTest(ApiTestCase):
    def count(self, path: str) -> int:
        self.client.force_login(self.alice)
        return self.queries_of(f"/api/v1{path}")

    def test_lists_take_constant_queries(self) -> None:
        paths = [
            "/communities",
            f"/communities/{self.closed.pk}/threads",
            f"/communities/{self.closed.pk}/members",
            f"/communities/threads/{self.secret.pk}",
        ]
        before = {path: self.count(path) for path in paths}
        for i in range(4):
            actions.do_create_community(self.bob, f"C{i}")
            actions.do_join(self.carol, actions.do_create_community(self.alice, f"D{i}"))
            actions.do_start_thread(self.alice, self.closed, f"T{i}", "b")
            actions.do_reply(self.alice, self.secret, f"r{i}")
        actions.do_join(self.bob, self.closed)
        for path in paths:
            self.assertEqual(self.count(path), before[path], path)
