"""The exchange endpoints of the JSON API: requests, posts, credits and thanks."""

from cairn.communities.actions import do_create_community
from cairn.communities.models import Community
from cairn.exchange import actions
from cairn.exchange.models import Credit, HelpRequest, Post, Thanks
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase


class ApiTestCase(CairnTestCase):
    closed: Community
    quiet: HelpRequest
    lesson: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.closed = do_create_community(cls.alice, "Leads", policy="approval")
        cls.quiet = actions.do_ask(cls.alice, "Pangolin question", community=cls.closed)
        cls.lesson = actions.do_share_post(
            cls.bob, "Friday migration", "It broke", kind="lesson", learned="Not on Fridays"
        )


class RequestEndpointsTest(ApiTestCase):
    def test_ask_respond_accept_resolve_with_credits(self) -> None:
        response = self.api(
            "post",
            "/requests",
            self.carol,
            {"title": "Auto-layout?", "skills": ["Figma"], "directed_to": ["bob.baker"]},
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(response.json()["directed_to"], ["bob.baker"])
        response = self.api("post", f"/requests/{pk}/responses", self.bob, {"body": "Frames"})
        self.assertEqual(response.status_code, 201)
        answer = response.json()["id"]
        response = self.api(
            "post", f"/requests/responses/{answer}/mark", self.carol, {"accepted": True}
        )
        self.assertTrue(response.json()["accepted"])
        response = self.api(
            "post",
            f"/requests/{pk}/resolve",
            self.carol,
            {"credits": [{"recipient": "bob.baker", "line": "Frames!"}]},
        )
        self.assertEqual(response.json()["status"], "resolved")
        self.assertIsNotNone(response.json()["hours_to_first_response"])
        self.assertEqual(Credit.objects.get().recipient, self.bob)
        self.assertEqual(Event.objects.filter(verb=Verb.HELPED).count(), 1)

    def test_filters(self) -> None:
        actions.do_ask(self.bob, "Window functions?", directed_to=[self.carol])
        items = self.api("get", "/requests?show=directed", self.carol).json()["items"]
        self.assertEqual([i["title"] for i in items], ["Window functions?"])
        items = self.api("get", "/requests?show=all", self.carol).json()["items"]
        self.assertNotIn("Pangolin question", [i["title"] for i in items])

    def test_bad_input_is_a_422_with_the_field(self) -> None:
        response = self.api(
            "post", "/requests", self.bob, {"title": "Help", "directed_to": ["oscar.outsider"]}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "directed_to"])
        response = self.api(
            "post", "/requests", self.bob, {"title": "Help", "community_id": self.closed.pk}
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "community_id"])
        response = self.api("post", f"/requests/{self.quiet.pk}/responses", self.alice, {})
        self.assertEqual(response.status_code, 422)

    def test_private_requests_and_outsiders_get_404(self) -> None:
        self.assertEqual(self.api("get", f"/requests/{self.quiet.pk}", self.bob).status_code, 404)
        response = self.api("post", f"/requests/{self.quiet.pk}/responses", self.bob, {"body": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.api("get", f"/requests/{self.quiet.pk}", self.oscar).status_code, 404)

    def test_a_double_submission_asks_once(self) -> None:
        for _ in range(2):
            self.api("post", "/requests", self.carol, {"title": "Twice", "details": "same"})
        self.assertEqual(HelpRequest.objects.filter(title="Twice").count(), 1)


class PostEndpointsTest(ApiTestCase):
    def test_share_a_lesson_and_comment(self) -> None:
        response = self.api(
            "post",
            "/posts",
            self.carol,
            {"kind": "lesson", "title": "Lost file", "body": "No backup", "learned": "Backups"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        response = self.api("post", f"/posts/{pk}/comments", self.bob, {"body": "Thank you"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(len(self.api("get", f"/posts/{pk}", self.alice).json()["comments"]), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.LESSON_SHARED).count(), 2)

    def test_a_lesson_needs_what_was_learned(self) -> None:
        response = self.api(
            "post", "/posts", self.carol, {"kind": "lesson", "title": "X", "body": "Y"}
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "learned"])

    def test_lists_by_kind_and_hides_from_outsiders(self) -> None:
        actions.do_share_post(self.alice, "Indexes", "Use them")
        items = self.api("get", "/posts?kind=lesson", self.carol).json()["items"]
        self.assertEqual([i["title"] for i in items], ["Friday migration"])
        self.assertEqual(self.api("get", "/posts", self.oscar).json()["items"], [])
        self.assertEqual(self.api("get", f"/posts/{self.lesson.pk}", self.oscar).status_code, 404)


class CreditAndThanksEndpointsTest(ApiTestCase):
    def test_the_owner_credits_and_others_read(self) -> None:
        path = f"/credits/exchange.post/{self.lesson.pk}"
        body = {"credits": [{"recipient": "alice.archer", "line": "Rolled it back"}]}
        response = self.api("post", path, self.bob, body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.api("post", path, self.carol, body).status_code, 403)
        credits = self.api("get", path, self.carol).json()
        self.assertEqual([c["recipient"] for c in credits], ["alice.archer"])
        self.assertEqual(self.api("get", path, self.oscar).status_code, 404)
        self.assertEqual(self.api("get", "/credits/people.user/1", self.bob).status_code, 404)

    def test_thanks(self) -> None:
        response = self.api(
            "post",
            "/thanks",
            self.carol,
            {"recipient": "bob.baker", "note": "Brave post", "about": f"post:{self.lesson.pk}"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Thanks.objects.get().about, self.lesson)
        items = self.api("get", "/thanks", self.bob).json()["items"]
        self.assertEqual([t["note"] for t in items], ["Brave post"])
        response = self.api(
            "post", "/thanks", self.carol, {"recipient": "oscar.outsider", "note": "x"}
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "recipient"])


class QueryCountTest(ApiTestCase):
    def count(self, path: str) -> int:
        self.client.force_login(self.alice)
        return self.queries_of(f"/api/v1{path}")

    def test_lists_take_constant_queries(self) -> None:
        paths = ["/requests?show=all", "/posts", "/thanks"]
        # One of each first, so every prefetch runs in the baseline too.
        actions.do_ask(self.bob, "First", skills=["SQL"], directed_to=[self.alice])
        actions.do_thank(self.bob, self.alice, "First thanks")
        before = {path: self.count(path) for path in paths}
        for i in range(4):
            r = actions.do_ask(self.bob, f"Q{i}", skills=[f"S{i}"], directed_to=[self.alice])
            actions.do_respond(self.carol, r, "A")
            actions.do_share_post(self.carol, f"P{i}", "b", skills=[f"S{i}"])
            actions.do_thank(self.bob, self.alice, f"Thanks {i}")
        for path in paths:
            self.assertEqual(self.count(path), before[path], path)
