"""Requests for help: asking, responding, marking, resolving, and the time to first response."""

from datetime import timedelta

from django.utils import timezone

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.exchange import actions
from cairn.exchange.models import HelpRequest, Response
from cairn.learning.actions.goals import do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase
from cairn.visibility import can_see


class AskTest(CairnTestCase):
    def test_asking_one_person_names_them_in_the_event(self) -> None:
        help_request = actions.do_ask(
            self.bob, "Window functions?", skills=["SQL"], directed_to=[self.alice]
        )
        event = Event.objects.get(verb=Verb.ASKED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))
        self.assertEqual([s.name for s in help_request.skills.all()], ["SQL"])

    def test_asking_several_people_or_nobody_leaves_the_subject_empty(self) -> None:
        actions.do_ask(self.bob, "A", directed_to=[self.alice, self.carol])
        actions.do_ask(self.bob, "B")
        self.assertEqual(
            list(Event.objects.filter(verb=Verb.ASKED).values_list("subject", flat=True)),
            [None, None],
        )

    def test_a_double_submission_asks_once(self) -> None:
        first = actions.do_ask(self.bob, "Same", "words")
        second = actions.do_ask(self.bob, "Same", "words")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Event.objects.filter(verb=Verb.ASKED).count(), 1)

    def test_it_refuses_people_from_another_organisation(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_ask(self.bob, "Help", directed_to=[self.oscar])
        self.assertEqual(caught.exception.field, "directed_to")

    def test_it_needs_a_title(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_ask(self.bob, "   ")
        self.assertEqual(caught.exception.field, "title")

    def test_it_serves_only_the_askers_own_goal(self) -> None:
        goal = do_set_goal(self.alice, "Speak at a meetup")
        with self.assertRaises(ActionError) as caught:
            actions.do_ask(self.bob, "Help", goal=goal)
        self.assertEqual(caught.exception.field, "goal")
        help_request = actions.do_ask(self.alice, "Rehearsal audience?", goal=goal)
        self.assertEqual(help_request.goal, goal)

    def test_it_refuses_a_community_the_asker_cannot_read(self) -> None:
        closed = do_create_community(self.alice, "Leads", policy="approval")
        with self.assertRaises(ActionError) as caught:
            actions.do_ask(self.bob, "Help", community=closed)
        self.assertEqual(caught.exception.field, "community")

    def test_a_request_in_an_approval_community_is_for_its_members(self) -> None:
        closed = do_create_community(self.alice, "Leads", policy="approval")
        help_request = actions.do_ask(
            self.alice, "Quiet one", community=closed, directed_to=[self.carol]
        )
        self.assertTrue(can_see(self.alice, help_request))
        self.assertTrue(can_see(self.carol, help_request))
        self.assertFalse(can_see(self.bob, help_request))
        self.assertFalse(can_see(self.oscar, help_request))


class RespondTest(CairnTestCase):
    help_request: HelpRequest

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.help_request = actions.do_ask(cls.bob, "Window functions?")

    def test_the_first_response_sets_the_time_to_first_response(self) -> None:
        actions.do_respond(self.alice, self.help_request, "ROW_NUMBER()")
        self.help_request.refresh_from_db()
        self.assertIsNotNone(self.help_request.time_to_first_response())
        self.assertGreaterEqual(self.help_request.hours_to_first_response() or -1, 0)

    def test_responded_is_recorded_once_per_responder(self) -> None:
        actions.do_respond(self.alice, self.help_request, "One")
        actions.do_respond(self.alice, self.help_request, "Two")
        actions.do_respond(self.carol, self.help_request, "Three")
        events = Event.objects.filter(verb=Verb.RESPONDED).order_by("pk")
        self.assertEqual([e.actor for e in events], [self.alice, self.carol])
        self.assertEqual(events[0].subject, self.bob)
        self.assertIsNotNone(events[0].value)

    def test_a_double_submission_responds_once(self) -> None:
        actions.do_respond(self.alice, self.help_request, "Same")
        actions.do_respond(self.alice, self.help_request, "Same")
        self.assertEqual(Response.objects.count(), 1)

    def test_the_asker_does_not_respond_to_themselves(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_respond(self.bob, self.help_request, "Me")
        self.assertEqual(caught.exception.field, "body")

    def test_outsiders_cannot_respond(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_respond(self.oscar, self.help_request, "Hi")
        self.assertEqual(caught.exception.status, 404)

    def test_a_resolved_request_takes_no_responses(self) -> None:
        actions.do_resolve(self.bob, self.help_request)
        with self.assertRaises(ActionError) as caught:
            actions.do_respond(self.alice, self.help_request, "Late")
        self.assertEqual(caught.exception.status, 409)


class TimeToFirstResponseTest(CairnTestCase):
    def test_it_is_none_until_someone_responds(self) -> None:
        now = timezone.now()
        unsaved = HelpRequest(created_at=now)
        self.assertIsNone(unsaved.time_to_first_response())
        unsaved.first_response_at = now + timedelta(hours=3)
        self.assertEqual(unsaved.hours_to_first_response(), 3)


class MarkAndResolveTest(CairnTestCase):
    help_request: HelpRequest
    response: Response

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.help_request = actions.do_ask(cls.bob, "Window functions?")
        cls.response = actions.do_respond(cls.alice, cls.help_request, "ROW_NUMBER()")

    def test_marking_helpful_records_helped_once(self) -> None:
        actions.do_mark_response(self.bob, self.response, helpful=True)
        actions.do_mark_response(self.bob, self.response, accepted=True)
        actions.do_mark_response(self.bob, self.response, helpful=True)
        helped = Event.objects.filter(verb=Verb.HELPED).get()
        self.assertEqual((helped.actor, helped.subject), (self.alice, self.bob))
        self.assertEqual(Event.objects.filter(verb=Verb.RESPONSE_MARKED).count(), 2)

    def test_only_the_asker_marks(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_mark_response(self.carol, self.response, helpful=True)
        self.assertEqual(caught.exception.status, 403)

    def test_an_accepted_response_opens_feedback_between_the_two(self) -> None:
        self.assertEqual(self.response.feedback_parties(), set())
        response = actions.do_mark_response(self.bob, self.response, accepted=True)
        self.assertEqual(response.feedback_parties(), {self.alice.pk, self.bob.pk})

    def test_resolving_credits_the_helpers(self) -> None:
        actions.do_resolve(self.bob, self.help_request, [(self.alice, "The window trick")])
        actions.do_resolve(self.bob, self.help_request, [(self.alice, "The window trick")])
        self.help_request.refresh_from_db()
        self.assertFalse(self.help_request.is_open())
        self.assertEqual(Event.objects.filter(verb=Verb.REQUEST_RESOLVED).count(), 1)
        credited = Event.objects.filter(verb=Verb.CREDITED).get()
        self.assertEqual((credited.actor, credited.subject), (self.bob, self.alice))

    def test_only_the_asker_resolves(self) -> None:
        with self.assertRaises(ActionError):
            actions.do_resolve(self.alice, self.help_request)


class ExpiryTest(CairnTestCase):
    def test_directed_people_who_never_answered_are_recorded_once(self) -> None:
        help_request = actions.do_ask(self.bob, "Help", directed_to=[self.alice, self.carol])
        actions.do_respond(self.carol, help_request, "Here")
        self.assertEqual(actions.do_expire_help_requests(), 0)
        later = timezone.now() + timedelta(days=15)
        self.assertEqual(actions.do_expire_help_requests(later), 1)
        self.assertEqual(actions.do_expire_help_requests(later), 0)
        event = Event.objects.get(verb=Verb.UNANSWERED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_a_request_resolved_before_it_expired_records_nothing(self) -> None:
        help_request = actions.do_ask(self.bob, "Help", directed_to=[self.alice])
        actions.do_resolve(self.bob, help_request)
        later = timezone.now() + timedelta(days=15)
        self.assertEqual(actions.do_expire_help_requests(later), 0)
        help_request.refresh_from_db()
        self.assertIsNotNone(help_request.expiry_recorded_at)

    def test_undirected_requests_never_expire_into_events(self) -> None:
        actions.do_ask(self.bob, "Anyone?")
        later = timezone.now() + timedelta(days=30)
        self.assertEqual(actions.do_expire_help_requests(later), 0)

    def test_the_command_runs(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("expire_help_requests", stdout=out)
        self.assertIn("Recorded 0 unanswered requests.", out.getvalue())
