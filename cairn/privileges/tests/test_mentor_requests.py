from typing import Any

from django.test import override_settings

from cairn.errors import ActionError
from cairn.learning.actions import do_request_relationship, do_set_goal
from cairn.learning.models import Relationship
from cairn.privileges.tests.test_checks import trusted
from cairn.testing import CairnTestCase, make_person


@override_settings(CAIRN_PRIVILEGE_LIMITS={"mentor_openly": 2})
class MentorRequestsTest(CairnTestCase):
    learners: list[Any]
    goals: list[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.learners = [make_person(cls.acme, f"Learner {n}") for n in range(3)]
        cls.goals = [do_set_goal(p, "Learn Figma") for p in cls.learners]

    def ask(self, n: int, kind: str = "mentoring") -> Relationship:
        return do_request_relationship(self.learners[n], self.carol, kind, self.goals[n], "Hi")

    def test_someone_new_to_mentoring_has_a_cap_on_waiting_requests(self):
        self.ask(0)
        self.ask(1)
        with self.assertRaises(ActionError) as caught:
            self.ask(2)
        self.assertEqual((caught.exception.status, caught.exception.field), (429, "person"))
        self.assertIn("Carol Chen already has 2 mentoring requests waiting", str(caught.exception))
        self.ask(2, "peer")  # peer partnerships are not limited

    def test_asking_again_returns_the_waiting_request(self):
        first = self.ask(0)
        self.ask(1)
        self.assertEqual(self.ask(0), first)

    def test_a_trusted_mentor_takes_any_number(self):
        trusted(self.carol)
        for n in range(3):
            self.ask(n)
        self.assertEqual(Relationship.objects.filter(addressee=self.carol).count(), 3)
