"""Mentoring and peer partnerships: request, answer, capacity, sessions, completion, expiry."""

from datetime import datetime, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cairn.errors import ActionError
from cairn.learning.actions import (
    do_accept,
    do_add_member,
    do_complete_relationship,
    do_decline,
    do_log_session,
    do_request_relationship,
    do_set_goal,
    do_withdraw,
    expire_requests,
)
from cairn.learning.models import Relationship, Session
from cairn.learning.tests.helpers import BobsGoalTestCase
from cairn.ledger.models import Event
from cairn.people.actions import do_update_profile
from cairn.testing import CairnTestCase, make_person


class MentoredTestCase(BobsGoalTestCase):
    """Alice mentoring bob towards his goal: he asked, she accepted."""

    rel: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rel = do_request_relationship(cls.bob, cls.alice, "mentoring", cls.goal, "Hi")
        do_accept(cls.alice, cls.rel)


class RequestTest(BobsGoalTestCase):
    def test_a_request_makes_a_mentor_and_a_learner(self) -> None:
        rel = do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Teach me?")
        roles = {m.user_id: m.role for m in rel.members.all()}
        self.assertEqual(roles, {self.bob.pk: "learner", self.alice.pk: "mentor"})
        self.assertEqual(rel.status, "requested")
        event = Event.objects.get(verb="mentoring_requested")
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_reverse_mentoring_is_welcome(self) -> None:
        goal = do_set_goal(self.alice, "Understand TikTok")
        rel = do_request_relationship(self.alice, self.bob, "mentoring", goal, "Show me?")
        self.assertEqual([m.user for m in rel.mentors()], [self.bob])

    def test_a_double_submission_makes_one_request(self) -> None:
        one = do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Hi")
        two = do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Hi")
        self.assertEqual(one.pk, two.pk)
        self.assertEqual(Relationship.objects.count(), 1)

    def test_it_needs_my_own_open_goal_and_a_message(self) -> None:
        carols = do_set_goal(self.carol, "Carol's")
        with self.assertRaises(ActionError) as caught:
            do_request_relationship(self.bob, self.alice, "mentoring", carols, "Hi")
        self.assertEqual(caught.exception.field, "goal")
        with self.assertRaises(ActionError) as caught:
            do_request_relationship(self.bob, self.alice, "mentoring", self.goal, " ")
        self.assertEqual(caught.exception.field, "message")

    def test_it_refuses_outsiders_and_myself(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_request_relationship(self.bob, self.oscar, "mentoring", self.goal, "Hi")
        # the same refusal as every app's for a person named in the input: 422 on the field
        self.assertEqual((caught.exception.status, caught.exception.field), (422, "person"))
        with self.assertRaises(ActionError) as caught:
            do_request_relationship(self.bob, self.bob, "peer", self.goal, "Hi")
        self.assertEqual(caught.exception.field, "person")

    def test_a_mentor_at_capacity_cannot_be_requested(self) -> None:
        do_update_profile(self.alice, mentoring_capacity=1)
        carols = do_set_goal(self.carol, "Figma")
        do_accept(
            self.alice, do_request_relationship(self.carol, self.alice, "mentoring", carols, "Hi")
        )
        with self.assertRaises(ActionError) as caught:
            do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Hi")
        self.assertEqual(caught.exception.field, "person")
        self.assertIn("as many people as they can", caught.exception.message)
        # A peer partnership is not mentoring: capacity does not apply.
        do_request_relationship(self.bob, self.alice, "peer", self.goal, "Pair on SQL?")


class AnswerTest(BobsGoalTestCase):
    def setUp(self) -> None:
        self.rel = do_request_relationship(self.bob, self.alice, "mentoring", self.goal, "Hi")

    def test_accepting_twice_accepts_once_and_records_responded(self) -> None:
        do_accept(self.alice, self.rel)
        do_accept(self.alice, self.rel)
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "active")
        responded = Event.objects.get(verb="responded")
        self.assertEqual((responded.actor, responded.subject), (self.alice, self.bob))
        self.assertIsNotNone(responded.value)

    def test_only_the_person_asked_answers(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_accept(self.bob, self.rel)
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError):
            do_decline(self.carol, self.rel, "No")

    def test_declining_needs_a_kind_reason(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_decline(self.alice, self.rel, "")
        self.assertEqual(caught.exception.field, "reason")
        do_decline(self.alice, self.rel, "I'm full this quarter; try Carol.")
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "declined")
        self.assertEqual(Event.objects.filter(verb="responded").count(), 1)
        with self.assertRaises(ActionError) as caught:
            do_accept(self.alice, self.rel)
        self.assertEqual(caught.exception.status, 409)

    def test_the_requester_can_withdraw(self) -> None:
        do_withdraw(self.bob, self.rel)
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "withdrawn")


class SessionTest(MentoredTestCase):
    when: datetime

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.when = timezone.now() - timedelta(days=1)

    def test_a_session_records_mentored_hours(self) -> None:
        do_log_session(self.bob, self.rel, self.when, 90, "Joins", "Felt slow")
        mentored = Event.objects.get(verb="mentored")
        self.assertEqual((mentored.actor, mentored.subject), (self.alice, self.bob))
        self.assertEqual(mentored.value, 1.5)
        logged = Event.objects.get(verb="session_logged")
        self.assertNotIn("Felt slow", str(logged.context))

    def test_a_double_submission_logs_one_session(self) -> None:
        do_log_session(self.bob, self.rel, self.when, 60)
        do_log_session(self.alice, self.rel, self.when, 60)
        self.assertEqual(Session.objects.count(), 1)

    def test_a_group_records_each_mentor_for_each_learner(self) -> None:
        dan = make_person(self.acme, "Dan Dunn")
        do_add_member(self.alice, self.rel, self.carol, "mentor")
        do_add_member(self.alice, self.rel, dan, "learner")
        do_log_session(self.alice, self.rel, self.when, 60)
        pairs = set(Event.objects.filter(verb="mentored").values_list("actor", "subject"))
        expected = {(m.pk, lrn.pk) for m in (self.alice, self.carol) for lrn in (self.bob, dan)}
        self.assertEqual(pairs, expected)

    def test_peer_sessions_record_no_mentoring(self) -> None:
        peer = do_request_relationship(self.bob, self.carol, "peer", self.goal, "Pair?")
        do_accept(self.carol, peer)
        do_log_session(self.carol, peer, self.when, 30)
        self.assertFalse(Event.objects.filter(verb="mentored").exists())
        self.assertTrue(Event.objects.filter(verb="session_logged").exists())

    def test_non_members_and_bad_input_are_refused(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_log_session(self.carol, self.rel, self.when, 60)
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError) as caught:
            do_log_session(self.bob, self.rel, self.when, 0)
        self.assertEqual(caught.exception.field, "duration_minutes")
        with self.assertRaises(ActionError) as caught:
            do_log_session(self.bob, self.rel, timezone.now() + timedelta(days=3), 60)
        self.assertEqual(caught.exception.field, "held_at")

    def test_only_a_learner_mentor_adds_people(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_add_member(self.bob, self.rel, self.carol, "learner")
        self.assertEqual(caught.exception.status, 403)


class CompleteTest(MentoredTestCase):
    def test_each_side_reflects_once(self) -> None:
        do_complete_relationship(self.bob, self.rel, "I write joins now.")
        do_complete_relationship(self.bob, self.rel, "Again")
        do_complete_relationship(self.alice, self.rel, "Bob asks great questions.")
        self.rel.refresh_from_db()
        self.assertEqual(self.rel.status, "completed")
        reflections = dict(self.rel.members.values_list("user_id", "closing_reflection"))
        self.assertEqual(reflections[self.bob.pk], "I write joins now.")
        self.assertEqual(Event.objects.filter(verb="relationship_completed").count(), 2)
        with self.assertRaises(ActionError):
            do_log_session(self.bob, self.rel, timezone.now(), 30)

    def test_completion_needs_a_reflection_from_a_member(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_complete_relationship(self.bob, self.rel, "")
        self.assertEqual(caught.exception.field, "reflection")
        with self.assertRaises(ActionError) as caught:
            do_complete_relationship(self.carol, self.rel, "Me too")
        self.assertEqual(caught.exception.status, 403)


@override_settings(CAIRN_REQUEST_EXPIRY_DAYS=14)
class ExpireTest(CairnTestCase):
    def test_unanswered_requests_expire_once(self) -> None:
        goal = do_set_goal(self.bob, "Write good SQL")
        old = do_request_relationship(self.bob, self.alice, "mentoring", goal, "Hi")
        fresh = do_request_relationship(self.bob, self.carol, "peer", goal, "Hi")
        Relationship.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=15)
        )
        out = StringIO()
        call_command("expire_requests", stdout=out)
        self.assertIn("Expired 1", out.getvalue())
        self.assertEqual(expire_requests(), 0)
        old.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual((old.status, fresh.status), ("expired", "requested"))
        event = Event.objects.get(verb="unanswered")
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))
