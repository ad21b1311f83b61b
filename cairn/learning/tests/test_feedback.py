"""Feedback: once per person and context, recorded as `rated`, shown only aggregated."""

from cairn.errors import ActionError
from cairn.learning.actions import (
    do_complete_relationship,
    do_give_feedback,
    feedback_summary,
)
from cairn.learning.models import Feedback
from cairn.learning.tests.helpers import GOOD, SessionTestCase, group_session
from cairn.ledger.models import Event
from cairn.testing import CairnTestCase, make_person


class GiveFeedbackTest(SessionTestCase):
    def test_it_records_rated_on_the_trust_scale(self) -> None:
        do_give_feedback(self.bob, self.alice, self.session, GOOD, "Patient")
        event = Event.objects.get(verb="rated")
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))
        self.assertAlmostEqual(event.value or 0.0, (4.5 - 3) / 2)
        self.assertNotIn("Patient", str(event.context))

    def test_once_per_giver_and_context(self) -> None:
        do_give_feedback(self.bob, self.alice, self.session, GOOD)
        do_give_feedback(self.bob, self.alice, self.session, GOOD)  # a double click
        self.assertEqual(Feedback.objects.count(), 1)
        with self.assertRaises(ActionError) as caught:
            do_give_feedback(self.bob, self.alice, self.session, {**GOOD, "presence": 1})
        self.assertEqual(caught.exception.status, 409)

    def test_scores_must_be_one_to_five(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_give_feedback(self.bob, self.alice, self.session, {**GOOD, "openness": 7})
        self.assertEqual(caught.exception.field, "openness")
        with self.assertRaises(ActionError) as caught:
            do_give_feedback(self.bob, self.alice, self.session, {**GOOD, "presence": None})  # type: ignore[dict-item]
        self.assertEqual(caught.exception.field, "presence")

    def test_only_people_who_worked_together_give_feedback(self) -> None:
        with self.assertRaises(ActionError):
            do_give_feedback(self.carol, self.alice, self.session, GOOD)
        with self.assertRaises(ActionError):
            do_give_feedback(self.bob, self.bob, self.session, GOOD)

    def test_a_relationship_takes_feedback_once_completed(self) -> None:
        with self.assertRaises(ActionError):
            do_give_feedback(self.alice, self.bob, self.rel, GOOD)
        do_complete_relationship(self.alice, self.rel, "Good work")
        do_give_feedback(self.alice, self.bob, self.rel, GOOD)


class SummaryTest(CairnTestCase):
    def test_averages_appear_only_from_three_feedbacks(self) -> None:
        learners = [self.bob, self.carol, make_person(self.acme, "Dan Dunn")]
        session = group_session(self.alice, learners)
        for n, learner in enumerate(learners):
            self.assertIsNone(feedback_summary(self.alice)["averages"])
            do_give_feedback(learner, self.alice, session, {**GOOD, "helpfulness": 3 + n}, "ok")
        summary = feedback_summary(self.alice)
        self.assertEqual(summary["count"], 3)
        averages = summary["averages"]
        assert isinstance(averages, dict)
        self.assertEqual(averages["helpfulness"], 4.0)
        self.assertEqual(summary["comments"], ["ok", "ok", "ok"])
