"""Goals link to the communities, requests for help and credits that serve them."""

from django.urls import reverse

from cairn.communities.actions import do_create_community, do_join
from cairn.communities.models import Community
from cairn.errors import ActionError
from cairn.exchange.actions import do_ask
from cairn.learning.actions import do_close_goal, do_set_goal, do_update_goal
from cairn.testing import CairnTestCase


class GoalLinksTest(CairnTestCase):
    circle: Community
    closed: Community

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.circle = do_create_community(cls.alice, "SQL circle")
        do_join(cls.bob, cls.circle)
        cls.closed = do_create_community(cls.alice, "Leaders", policy="approval")

    def test_a_goal_links_communities_i_belong_to_only(self) -> None:
        goal = do_set_goal(self.bob, "Write SQL", communities=[self.circle.pk])
        self.assertEqual(list(goal.communities.all()), [self.circle])
        with self.assertRaises(ActionError) as caught:
            do_update_goal(self.bob, goal, communities=[self.closed.pk])
        self.assertEqual(caught.exception.field, "communities")
        do_update_goal(self.bob, goal, communities=[])
        self.assertFalse(goal.communities.exists())

    def test_the_page_form_and_api_take_communities(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("goal_new")), "SQL circle")
        self.client.post(
            reverse("goal_new"),
            {"title": "Write SQL", "visibility": "private", "communities": [self.circle.pk]},
        )
        body = {"title": "Joins", "communities": [self.closed.pk]}
        response = self.api("post", "/goals", self.bob, body)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "communities"])
        response = self.api("post", "/goals", self.bob, {**body, "communities": [self.circle.pk]})
        self.assertEqual(response.json()["communities"], [self.circle.pk])

    def test_the_goal_page_shows_communities_requests_and_offers_credit_once_closed(self) -> None:
        goal = do_set_goal(self.bob, "Write SQL", communities=[self.circle.pk])
        do_ask(self.bob, "How do window functions work?", goal=goal)
        self.client.force_login(self.bob)
        response = self.client.get(goal.get_absolute_url())
        self.assertContains(response, "SQL circle")
        self.assertContains(response, "How do window functions work?")
        self.assertContains(response, f"{reverse('ask')}?goal={goal.pk}")
        self.assertNotContains(response, "Credit the people who helped")
        do_close_goal(self.bob, goal, "achieved", "I can write them")
        self.assertContains(
            self.client.get(goal.get_absolute_url()), "Credit the people who helped"
        )
