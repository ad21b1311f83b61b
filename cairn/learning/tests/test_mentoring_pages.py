"""Mentoring pages: the list, the request form, answering, sessions, completion, privacy."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.learning.actions import (
    do_accept,
    do_log_session,
    do_request_relationship,
    do_set_goal,
    do_update_goal,
)
from cairn.learning.models import Goal, Relationship, Session
from cairn.learning.tests.helpers import BobsGoalTestCase
from cairn.people.actions import do_update_profile
from cairn.testing import CairnTestCase, make_person


class RequestPageTest(BobsGoalTestCase):
    def test_the_profile_offers_to_ask(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("profile", args=[self.alice.profile.handle]))
        self.assertContains(response, reverse("mentoring_request", args=["alice.archer"]))

    def test_it_shows_capacity_and_sends_one_request_on_a_double_click(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("mentoring_request", args=[self.alice.profile.handle])
        self.assertContains(self.client.get(url), "Mentoring 0 of 2 people")
        data = {"kind": "mentoring", "goal": self.goal.pk, "message": "Teach me joins?"}
        response = self.client.post(url, data)
        self.client.post(url, data)
        relationship = Relationship.objects.get()
        self.assertRedirects(response, relationship.get_absolute_url())

    def test_a_mentor_at_capacity_is_a_clear_field_error(self) -> None:
        do_update_profile(self.alice, mentoring_capacity=0)
        self.client.force_login(self.bob)
        url = reverse("mentoring_request", args=[self.alice.profile.handle])
        self.assertContains(self.client.get(url), "at capacity")
        response = self.client.post(
            url, {"kind": "mentoring", "goal": self.goal.pk, "message": "Hi"}
        )
        self.assertContains(response, "as many people as they can", status_code=422)
        self.assertFalse(Relationship.objects.exists())

    def test_someone_elses_goal_is_refused(self) -> None:
        carols = do_set_goal(self.carol, "Carol's goal")
        self.client.force_login(self.bob)
        url = reverse("mentoring_request", args=[self.alice.profile.handle])
        response = self.client.post(url, {"kind": "mentoring", "goal": carols.pk, "message": "Hi"})
        self.assertContains(response, "Select a valid choice", status_code=422)

    def test_without_a_goal_it_invites_one(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("mentoring_request", args=["alice.archer"]))
        self.assertContains(response, "set a goal")

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.oscar)
        response = self.client.get(reverse("mentoring_request", args=["alice.archer"]))
        self.assertEqual(response.status_code, 404)


class AnswerPageTest(CairnTestCase):
    def setUp(self) -> None:
        goal = do_set_goal(self.bob, "Write good SQL", visibility="partners")
        self.rel = do_request_relationship(self.bob, self.alice, "mentoring", goal, "Help me?")

    def test_the_person_asked_sees_it_and_accepts_once(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("mentoring")), "Help me?")
        url = reverse("relationship_accept", args=[self.rel.pk])
        self.client.post(url)
        self.client.post(url)
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "active")

    def test_decline_needs_a_reason(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("relationship_decline", args=[self.rel.pk])
        response = self.client.post(url, {"reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "This field is required", status_code=422)
        self.client.post(url, {"reason": "I'm full; try Carol."})
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "declined")

    def test_a_request_is_hidden_from_colleagues_even_for_a_shared_goal(self) -> None:
        assert self.rel.goal is not None
        do_update_goal(self.bob, self.rel.goal, visibility="organisation")
        for person in (self.carol, self.oscar):
            self.client.force_login(person)
            response = self.client.get(self.rel.get_absolute_url())
            self.assertEqual(response.status_code, 404)
            response = self.client.post(reverse("relationship_accept", args=[self.rel.pk]))
            self.assertEqual(response.status_code, 404)

    def test_a_private_goal_title_stays_with_its_owner(self) -> None:
        secret = do_set_goal(self.bob, "Quietly learning to say no", visibility="private")
        rel = do_request_relationship(self.bob, self.carol, "peer", secret, "Pair?")
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(reverse("mentoring")), "Quietly")
        self.assertContains(self.client.get(reverse("mentoring")), "with one of their goals")
        self.assertNotContains(self.client.get(rel.get_absolute_url()), "Quietly")
        self.client.force_login(self.alice)  # a partners goal is shared with the person asked
        self.assertContains(self.client.get(reverse("mentoring")), "Write good SQL")

    def test_the_requester_cannot_accept_for_them(self) -> None:
        self.client.force_login(self.bob)
        self.client.post(reverse("relationship_accept", args=[self.rel.pk]))
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "requested")


class SessionPageTest(CairnTestCase):
    goal: Goal
    rel: Relationship
    session: Session

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = do_set_goal(cls.bob, "Write good SQL", visibility="organisation")
        cls.rel = do_request_relationship(cls.bob, cls.alice, "mentoring", cls.goal, "Hi")
        do_accept(cls.alice, cls.rel)
        cls.session = do_log_session(
            cls.bob, cls.rel, timezone.now() - timedelta(days=2), 45, "We did joins", "Nervous"
        )

    def test_members_see_private_notes(self) -> None:
        for person in (self.alice, self.bob):
            self.client.force_login(person)
            response = self.client.get(self.rel.get_absolute_url())
            self.assertContains(response, "We did joins")
            self.assertContains(response, "Nervous")

    def test_colleagues_who_see_the_goal_see_shared_notes_only(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(self.rel.get_absolute_url())
        self.assertContains(response, "We did joins")
        self.assertNotContains(response, "Nervous")
        self.assertNotContains(response, "Log a session")

    def test_admins_get_no_private_notes_and_outsiders_nothing(self) -> None:
        dana = make_person(self.acme, "Dana Admin", role="admin")
        self.client.force_login(dana)
        self.assertNotContains(self.client.get(self.rel.get_absolute_url()), "Nervous")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(self.rel.get_absolute_url()).status_code, 404)

    def test_a_private_goal_keeps_the_relationship_to_its_members(self) -> None:
        goal = do_set_goal(self.bob, "Quiet goal", visibility="private")
        rel = do_request_relationship(self.bob, self.carol, "peer", goal, "Pair?")
        do_accept(self.carol, rel)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(rel.get_absolute_url()).status_code, 404)

    def test_logging_a_session_in_my_time_zone_once(self) -> None:
        do_update_profile(self.alice, timezone="Europe/Paris")
        self.client.force_login(self.alice)
        url = reverse("session_log", args=[self.rel.pk])
        data = {"held_at": "2026-01-05T10:00", "duration_minutes": "60", "shared_notes": "Plan"}
        self.client.post(url, data)
        self.client.post(url, data)
        session = Session.objects.get(shared_notes="Plan")
        self.assertEqual(session.held_at.isoformat(), "2026-01-05T09:00:00+00:00")

    def test_bad_session_input_is_a_field_error(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("session_log", args=[self.rel.pk])
        response = self.client.post(url, {"held_at": "2026-01-05T10:00", "duration_minutes": "0"})
        self.assertContains(response, "greater than or equal to 5", status_code=422)

    def test_colleagues_cannot_log_or_complete(self) -> None:
        self.client.force_login(self.carol)
        for name in ("session_log", "relationship_complete", "relationship_add_member"):
            response = self.client.post(reverse(name, args=[self.rel.pk]), {"reflection": "x"})
            self.assertEqual(response.status_code, 404, name)

    def test_complete_with_a_reflection_then_offer_feedback(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("relationship_complete", args=[self.rel.pk])
        self.assertEqual(self.client.post(url, {"reflection": ""}).status_code, 422)
        self.client.post(url, {"reflection": "Thank you, Alice"})
        response = self.client.get(self.rel.get_absolute_url())
        self.assertContains(response, "Thank you, Alice")
        self.assertContains(
            response,
            reverse("feedback", args=["learning.relationship", self.rel.pk, "alice.archer"]),
        )

    def test_a_mentor_makes_it_a_group(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("relationship_add_member", args=[self.rel.pk])
        response = self.client.post(url, {"person": "nobody", "role": "learner"})
        self.assertContains(response, "No colleague found for “nobody”", status_code=422)
        self.client.post(url, {"person": "Carol Chen (carol.chen)", "role": "learner"})
        self.assertTrue(self.rel.members.filter(user=self.carol, role="learner").exists())


class MentoringListPageTest(CairnTestCase):
    def test_it_invites_when_empty(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("mentoring"))
        self.assertContains(response, "No one is waiting for your answer")
        self.assertContains(response, "Nothing under way yet")

    def test_the_number_of_queries_does_not_grow_with_relationships(self) -> None:
        do_update_profile(self.alice, mentoring_capacity=20)

        def add(n: int) -> None:
            for _ in range(n):
                person = make_person(self.acme, f"Learner {Relationship.objects.count()}")
                goal = do_set_goal(person, "Grow")
                rel = do_request_relationship(person, self.alice, "mentoring", goal, "Hi")
                if Relationship.objects.count() % 2:
                    do_accept(self.alice, rel)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(reverse("mentoring")).status_code, 200)
            return len(ctx.captured_queries)

        self.client.force_login(self.alice)
        add(2)
        baseline = count()
        add(5)
        self.assertEqual(count(), baseline)
