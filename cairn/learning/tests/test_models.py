"""Derived state on unsaved instances: progress, overdue, expiry, trust value, visibility."""

from datetime import UTC, date, datetime, timedelta

from django.test import SimpleTestCase, override_settings

from cairn.learning.models import Feedback, Goal, Relationship, Session


class GoalStateTest(SimpleTestCase):
    def test_a_goal_is_overdue_only_while_open_and_past_its_date(self) -> None:
        today = date(2026, 6, 1)
        goal = Goal(target_date=date(2026, 5, 31))
        self.assertTrue(goal.is_overdue(today))
        self.assertFalse(Goal(target_date=today).is_overdue(today))
        self.assertFalse(Goal(target_date=date(2026, 5, 1), status="achieved").is_overdue(today))
        self.assertFalse(Goal().is_overdue(today))

    def test_progress_set_by_hand_wins_over_milestones(self) -> None:
        self.assertEqual(Goal(progress_set=30).progress(), 30)


class RelationshipStateTest(SimpleTestCase):
    @override_settings(CAIRN_REQUEST_EXPIRY_DAYS=10)
    def test_a_request_expires_after_the_configured_days(self) -> None:
        asked = datetime(2026, 1, 1, 12, tzinfo=UTC)
        self.assertEqual(Relationship(created_at=asked).expires_at(), asked + timedelta(days=10))

    def test_peers_are_not_mentoring(self) -> None:
        self.assertFalse(Relationship(kind="peer").is_mentoring())
        self.assertTrue(Relationship(kind="coaching").is_mentoring())


class SessionStateTest(SimpleTestCase):
    def test_hours_and_end(self) -> None:
        start = datetime(2026, 1, 1, 9, tzinfo=UTC)
        session = Session(held_at=start, duration_minutes=90)
        self.assertEqual(session.hours(), 1.5)
        self.assertEqual(session.ends_at(), datetime(2026, 1, 1, 10, 30, tzinfo=UTC))


class FeedbackValueTest(SimpleTestCase):
    def test_the_mean_maps_onto_minus_one_to_one(self) -> None:
        def value(n: int) -> float:
            scores = dict.fromkeys(Feedback.DIMENSIONS, n)
            return Feedback(**scores).trust_value()

        self.assertEqual((value(1), value(3), value(5)), (-1.0, 0.0, 1.0))
