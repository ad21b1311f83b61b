"""Shared setup for the learning tests: Bob's goal, a mentoring session, a group one, feedback
scores."""

from datetime import timedelta

from django.utils import timezone

from cairn.learning.actions import do_add_member, do_log_session, do_set_goal
from cairn.learning.models import Goal, Relationship, Session
from cairn.people.models import User
from cairn.testing import CairnTestCase, mentoring

#: Feedback scores on every dimension, as a pleased mentee gives them.
GOOD = {"helpfulness": 5, "responsiveness": 4, "openness": 5, "presence": 4}


class BobsGoalTestCase(CairnTestCase):
    """Bob's goal, "Write good SQL", seen by his partners."""

    goal: Goal

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = do_set_goal(cls.bob, "Write good SQL")


class SessionTestCase(CairnTestCase):
    """Alice mentors bob towards his goal (seen by ``goal_visibility``); bob logged their
    hour-long session ``held_ago``."""

    rel: Relationship
    session: Session
    goal_visibility = "partners"
    held_ago = timedelta(hours=2)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rel = mentoring(cls.bob, cls.alice, cls.goal_visibility)
        cls.session = do_log_session(cls.bob, cls.rel, timezone.now() - cls.held_ago, 60)


def group_session(mentor: User, learners: list[User]) -> Session:
    """Return an hour-long session an hour ago of ``mentor`` with all ``learners``: the first
    asked for the mentoring, the mentor added the others."""
    rel = mentoring(learners[0], mentor, "partners")
    for learner in learners[1:]:
        do_add_member(mentor, rel, learner, "learner")
    return do_log_session(mentor, rel, timezone.now() - timedelta(hours=1), 60)
