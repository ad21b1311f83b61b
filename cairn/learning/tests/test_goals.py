"""Learning goals: set, update, milestones, reflections, closing, and who sees them."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cairn.errors import ActionError
from cairn.learning.access import goal_for
from cairn.learning.actions import (
    do_accept,
    do_add_milestone,
    do_close_goal,
    do_complete_milestone,
    do_reflect,
    do_request_relationship,
    do_set_goal,
    do_update_goal,
)
from cairn.learning.models import Goal
from cairn.ledger.models import Event
from cairn.testing import CairnTestCase


class SetGoalTest(CairnTestCase):
    def test_it_sets_a_goal_with_skills_and_records_it(self) -> None:
        goal = do_set_goal(
            self.bob, "Write good SQL", why="Reports", skills=["SQL", "Window functions"]
        )
        self.assertEqual(goal.organisation, self.acme)
        self.assertEqual(sorted(s.name for s in goal.skills.all()), ["SQL", "Window functions"])
        self.assertTrue(Event.objects.filter(verb="goal_set", actor=self.bob).exists())

    def test_a_double_submission_sets_one_goal(self) -> None:
        first = do_set_goal(self.bob, "Write good SQL")
        second = do_set_goal(self.bob, "Write  good SQL ")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Goal.objects.filter(owner=self.bob).count(), 1)
        self.assertEqual(Event.objects.filter(verb="goal_set").count(), 1)

    def test_it_refuses_an_empty_title_and_a_past_date(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_set_goal(self.bob, "  ")
        self.assertEqual(caught.exception.field, "title")
        yesterday = timezone.localdate() - timedelta(days=1)
        with self.assertRaises(ActionError) as caught:
            do_set_goal(self.bob, "Old", target_date=yesterday)
        self.assertEqual(caught.exception.field, "target_date")
        with self.assertRaises(ActionError) as caught:
            do_set_goal(self.bob, "Odd", visibility="world")
        self.assertEqual(caught.exception.field, "visibility")


class GoalProgressTest(CairnTestCase):
    def test_progress_follows_milestones_unless_set(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        self.assertEqual(goal.progress(), 0)
        first = do_add_milestone(self.bob, goal, "Pick a topic")
        do_add_milestone(self.bob, goal, "Give a lightning talk")
        do_complete_milestone(self.bob, first)
        self.assertEqual(Goal.objects.get(pk=goal.pk).progress(), 50)
        do_update_goal(self.bob, goal, progress=80)
        self.assertEqual(Goal.objects.get(pk=goal.pk).progress(), 80)
        do_update_goal(self.bob, goal, progress=None)
        self.assertEqual(Goal.objects.get(pk=goal.pk).progress(), 50)

    def test_an_achieved_goal_is_complete_on_an_unsaved_instance(self) -> None:
        self.assertEqual(Goal(status=Goal.Status.ACHIEVED).progress(), 100)

    def test_a_milestone_added_or_ticked_twice_counts_once(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        one = do_add_milestone(self.bob, goal, "Pick a topic")
        self.assertEqual(one.pk, do_add_milestone(self.bob, goal, "Pick a topic").pk)
        do_complete_milestone(self.bob, one)
        do_complete_milestone(self.bob, one)
        self.assertEqual(Event.objects.filter(verb="milestone_done").count(), 1)

    def test_only_the_owner_changes_a_goal(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup", visibility="organisation")
        with self.assertRaises(ActionError) as caught:
            do_update_goal(self.carol, goal, title="Mine now")
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError):
            do_add_milestone(self.carol, goal, "Sneaky")

    def test_bad_progress_is_refused(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        with self.assertRaises(ActionError) as caught:
            do_update_goal(self.bob, goal, progress=150)
        self.assertEqual(caught.exception.field, "progress")

    def test_update_records_the_changed_fields(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        do_update_goal(self.bob, goal, why="Confidence", skills=["Public speaking"])
        event = Event.objects.get(verb="goal_updated")
        self.assertEqual(sorted(event.context["changed"]), ["skills", "why"])


class ReflectAndCloseTest(CairnTestCase):
    def test_a_reflection_is_kept_once_on_a_double_click(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        do_reflect(self.bob, goal, "Rehearsing out loud helps.")
        do_reflect(self.bob, goal, "Rehearsing out loud helps.")
        self.assertEqual(goal.reflections.count(), 1)
        self.assertEqual(Event.objects.filter(verb="goal_reflected").count(), 1)

    def test_closing_needs_a_reflection_and_happens_once(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        with self.assertRaises(ActionError) as caught:
            do_close_goal(self.bob, goal, "achieved", " ")
        self.assertEqual(caught.exception.field, "reflection")
        do_close_goal(self.bob, goal, "achieved", "I gave the talk.")
        do_close_goal(self.bob, goal, "achieved", "I gave the talk.")
        goal.refresh_from_db()
        self.assertEqual(goal.status, "achieved")
        self.assertEqual(Event.objects.filter(verb="goal_closed").count(), 1)
        with self.assertRaises(ActionError) as caught:
            do_close_goal(self.bob, goal, "set_aside", "Changed my mind")
        self.assertEqual(caught.exception.status, 409)

    def test_a_closed_goal_takes_no_more_milestones(self) -> None:
        goal = do_set_goal(self.bob, "Speak at a meetup")
        do_close_goal(self.bob, goal, "set_aside", "Not now.")
        with self.assertRaises(ActionError):
            do_add_milestone(self.bob, goal, "Late")


class GoalVisibilityTest(CairnTestCase):
    private: Goal
    partners: Goal
    everyone: Goal

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.private = do_set_goal(cls.bob, "Private", visibility="private")
        cls.partners = do_set_goal(cls.bob, "Partners", visibility="partners")
        cls.everyone = do_set_goal(cls.bob, "Everyone", visibility="organisation")

    def visible_titles(self, user) -> set[str]:
        mine = Goal.objects.visible_to(user).filter(owner=self.bob)
        return set(mine.values_list("title", flat=True))

    def test_the_owner_sees_all_their_goals(self) -> None:
        self.assertEqual(self.visible_titles(self.bob), {"Private", "Partners", "Everyone"})

    def test_a_colleague_sees_only_organisation_goals(self) -> None:
        self.assertEqual(self.visible_titles(self.carol), {"Everyone"})

    def test_admins_see_no_private_goals(self) -> None:
        self.assertEqual(self.visible_titles(self.alice), {"Everyone"})

    def test_an_active_mentor_sees_partner_goals_but_not_private_ones(self) -> None:
        relationship = do_request_relationship(
            self.bob, self.alice, "mentoring", self.partners, "Help?"
        )
        self.assertEqual(self.visible_titles(self.alice), {"Everyone"})  # not yet accepted
        do_accept(self.alice, relationship)
        self.assertEqual(self.visible_titles(self.alice), {"Partners", "Everyone"})

    def test_nobody_signed_out_sees_a_goal(self) -> None:
        self.assertEqual(self.visible_titles(AnonymousUser()), set())

    def test_outsiders_see_nothing(self) -> None:
        self.assertEqual(self.visible_titles(self.oscar), set())
        from django.http import Http404

        with self.assertRaises(Http404):
            goal_for(self.oscar, self.everyone.pk)
