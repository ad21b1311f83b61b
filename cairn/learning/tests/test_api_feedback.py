"""The feedback endpoints: give feedback, and my aggregated view."""

from datetime import timedelta
from typing import Any

from cairn.learning.models import Feedback
from cairn.learning.tests.helpers import GOOD, SessionTestCase


class FeedbackApiTest(SessionTestCase):
    held_ago = timedelta(hours=1)
    body: dict[Any, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.body = {
            "context_type": "learning.session",
            "context_id": cls.session.pk,
            "receiver": "alice.archer",
            **GOOD,
            "comment": "Patient",
        }

    def test_give_once_then_see_only_a_count(self) -> None:
        self.assertEqual(self.api("post", "/feedback", self.bob, self.body).status_code, 201)
        self.assertEqual(self.api("post", "/feedback", self.bob, self.body).status_code, 201)
        self.assertEqual(Feedback.objects.count(), 1)
        summary = self.api("get", "/feedback/mine", self.alice).json()
        self.assertEqual(
            (summary["count"], summary["averages"], summary["comments"]), (1, None, [])
        )

    def test_scores_out_of_range_are_422_with_the_field(self) -> None:
        response = self.api("post", "/feedback", self.bob, {**self.body, "presence": 6})
        self.assertEqual(response.status_code, 422)
        self.assertIn("presence", response.json()["detail"][0]["loc"])

    def test_outsiders_and_non_members_get_404(self) -> None:
        for person in (self.carol, self.oscar):
            self.assertEqual(self.api("post", "/feedback", person, self.body).status_code, 404)
        response = self.api("post", "/feedback", self.bob, {**self.body, "receiver": "carol.chen"})
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "receiver"])
