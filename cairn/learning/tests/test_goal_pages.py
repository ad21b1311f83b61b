"""Goal pages: list, set, detail, edit, milestones (with htmx), reflect, close; who sees what."""

from django.urls import reverse

from cairn.learning.actions import (
    do_accept,
    do_add_milestone,
    do_close_goal,
    do_request_relationship,
    do_set_goal,
)
from cairn.learning.models import Goal
from cairn.testing import CairnTestCase, make_person


class GoalListPageTest(CairnTestCase):
    def test_it_invites_a_first_goal(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("goals"))
        self.assertContains(response, "Set your first goal")

    def test_it_shows_mine_and_colleagues_visible_goals_only(self) -> None:
        do_set_goal(self.bob, "Bob's own private", visibility="private")
        do_set_goal(self.carol, "Carol shares", visibility="organisation")
        do_set_goal(self.carol, "Carol keeps", visibility="private")
        do_set_goal(self.oscar, "Oscar's", visibility="organisation")
        self.client.force_login(self.bob)
        response = self.client.get(reverse("goals"))
        self.assertContains(response, "Bob&#x27;s own private")
        self.assertContains(response, "Carol shares")
        self.assertNotContains(response, "Carol keeps")
        self.assertNotContains(response, "Oscar")

    def test_the_number_of_queries_does_not_grow_with_goals(self) -> None:
        self.client.force_login(self.bob)

        def add(n: int) -> None:
            for i in range(n):
                person = make_person(self.acme, f"Person {Goal.objects.count()} {i}")
                goal = do_set_goal(person, f"Goal {i}", skills=["SQL"], visibility="organisation")
                do_add_milestone(person, goal, "Step")
                mine = do_set_goal(self.bob, f"Mine {Goal.objects.count()}", skills=["Go"])
                do_add_milestone(self.bob, mine, "Step")

        add(1)
        self.assertSameQueries(reverse("goals"), lambda: add(4))


class SetGoalPageTest(CairnTestCase):
    def test_it_sets_a_goal_once_on_a_double_submission(self) -> None:
        self.client.force_login(self.bob)
        data = {
            "title": "Write SQL",
            "why": "Reports",
            "skills": "SQL, Joins",
            "visibility": "organisation",
        }
        first = self.client.post(reverse("goal_new"), data)
        self.client.post(reverse("goal_new"), data)
        goal = Goal.objects.get(owner=self.bob)
        self.assertRedirects(first, goal.get_absolute_url())

    def test_a_missing_title_is_a_field_error(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(reverse("goal_new"), {"title": "", "visibility": "private"})
        self.assertContains(response, "This field is required", status_code=422)
        self.assertFalse(Goal.objects.exists())


class GoalDetailPageTest(CairnTestCase):
    private: Goal
    partners: Goal

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.private = do_set_goal(cls.bob, "Private goal", visibility="private")
        cls.partners = do_set_goal(cls.bob, "Partners goal", visibility="partners")

    def test_private_goals_are_404_to_colleagues_admins_and_outsiders(self) -> None:
        for person in (self.carol, self.alice, self.oscar):
            self.client.force_login(person)
            response = self.client.get(reverse("goal", args=[self.private.pk]))
            self.assertEqual(response.status_code, 404, person)

    def test_partner_goals_show_to_an_active_partner(self) -> None:
        rel = do_request_relationship(self.bob, self.carol, "peer", self.partners, "Pair?")
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.partners.get_absolute_url()).status_code, 404)
        do_accept(self.carol, rel)
        response = self.client.get(self.partners.get_absolute_url())
        self.assertContains(response, "Partners goal")
        self.assertNotContains(response, "Add step")

    def test_only_the_owner_edits_or_closes(self) -> None:
        goal = do_set_goal(self.bob, "Open goal", visibility="organisation")
        self.client.force_login(self.carol)
        for name in ("goal_edit", "goal_close", "milestone_add", "goal_reflect"):
            response = self.client.post(reverse(name, args=[goal.pk]), {"title": "x"})
            self.assertEqual(response.status_code, 404, name)

    def test_milestones_add_and_tick_with_htmx(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("milestone_add", args=[self.private.pk])
        response = self.client.post(url, {"title": "Pick a topic"}, headers={"HX-Request": "true"})
        self.assertContains(response, "Pick a topic")
        self.assertNotContains(response, "<html")
        milestone = self.private.milestones.get()
        done = reverse("milestone_done", args=[self.private.pk, milestone.pk])
        response = self.client.post(done, headers={"HX-Request": "true"})
        self.assertContains(response, "<s>Pick a topic</s>", html=False)
        self.assertContains(response, "100% of the way")

    def test_milestones_work_without_javascript(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("milestone_add", args=[self.private.pk])
        response = self.client.post(url, {"title": "Pick a topic"})
        self.assertRedirects(response, self.private.get_absolute_url())

    def test_a_bad_step_shows_the_goal_again_with_the_reason(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("milestone_add", args=[self.private.pk])
        response = self.client.post(url, {"title": "  "})
        self.assertContains(response, "This field is required", status_code=422)
        self.assertContains(response, "<html", status_code=422)
        swapped = self.client.post(url, {"title": ""}, headers={"HX-Request": "true"})
        self.assertContains(swapped, "This field is required")
        self.assertNotContains(swapped, "<html")
        do_close_goal(self.bob, self.private, "achieved", "Done it")
        response = self.client.post(url, {"title": "One more"})
        self.assertContains(response, "This goal is closed.", status_code=409)
        self.assertFalse(self.private.milestones.exists())

    def test_edit_close_and_reflect(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("goal_edit", args=[self.private.pk])
        self.assertContains(self.client.get(url), "Private goal")
        response = self.client.post(
            url, {"title": "Renamed", "visibility": "private", "progress": "150"}
        )
        self.assertContains(response, "less than or equal to 100", status_code=422)
        self.client.post(url, {"title": "Renamed", "visibility": "private", "progress": "40"})
        self.client.post(reverse("goal_reflect", args=[self.private.pk]), {"text": "Going well"})
        response = self.client.post(
            reverse("goal_close", args=[self.private.pk]), {"outcome": "achieved"}
        )
        self.assertContains(response, "This field is required", status_code=422)
        self.client.post(
            reverse("goal_close", args=[self.private.pk]),
            {"outcome": "achieved", "reflection": "Done it"},
        )
        response = self.client.get(self.private.get_absolute_url())
        self.assertContains(response, "Renamed")
        self.assertContains(response, "Going well")
        self.assertContains(response, "Done it")
        self.assertContains(response, "Achieved")
