"""The request page starts from the goal and kind that "Find a mentor" links carry."""

from django.urls import reverse

from cairn.learning.actions.goals import do_set_goal
from cairn.testing import CairnTestCase


class RequestPrefillTest(CairnTestCase):
    def test_the_goal_and_kind_from_the_link_are_preselected(self) -> None:
        goal = do_set_goal(self.bob, "Write better SQL", skills=["SQL"])
        self.client.force_login(self.bob)
        url = reverse("mentoring_request", args=["alice.archer"])
        response = self.client.get(url, {"goal": str(goal.pk), "kind": "peer"})
        self.assertContains(response, f'<option value="{goal.pk}" selected>')
        self.assertContains(response, '<option value="peer" selected>')

    def test_someone_elses_goal_in_the_link_is_not_offered(self) -> None:
        goal = do_set_goal(
            self.carol, "Carol's private aim", skills=["Figma"], visibility="private"
        )
        self.client.force_login(self.bob)
        url = reverse("mentoring_request", args=["alice.archer"])
        response = self.client.get(url, {"goal": goal.pk})
        self.assertNotContains(response, "Carol's private aim")
