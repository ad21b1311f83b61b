"""Who sees which goal, relationship and session: the ``visible_to`` queries, tried on the
personas, and every learning list at a constant number of queries."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.models import Goal, Milestone, Relationship, RelationshipMember, Session
from cairn.testing import CairnTestCase


class RelationshipVisibilityTest(CairnTestCase):
    asked: Relationship
    quiet: Relationship
    session: Session

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        shared = do_set_goal(cls.bob, "Shared", visibility="organisation")
        private = do_set_goal(cls.bob, "Private", visibility="private")
        cls.asked = do_request_relationship(cls.bob, cls.alice, "mentoring", shared, "Help?")
        cls.quiet = do_request_relationship(cls.bob, cls.alice, "peer", private, "Pair?")
        do_accept(cls.alice, cls.quiet)
        cls.session = do_log_session(
            cls.bob, cls.quiet, held_at=timezone.now() - timedelta(days=1), duration_minutes=30
        )

    def seen(self, model, user) -> set[int]:
        return set(model.objects.visible_to(user).values_list("pk", flat=True))

    def test_a_request_is_seen_by_its_two_members_only(self) -> None:
        expected = {
            self.alice: {self.asked.pk, self.quiet.pk},
            self.bob: {self.asked.pk, self.quiet.pk},
            self.carol: set(),
            self.oscar: set(),
            AnonymousUser(): set(),
        }
        self.assertEqual({u: self.seen(Relationship, u) for u in expected}, expected)

    def test_an_accepted_relationship_is_seen_by_whoever_sees_its_goal(self) -> None:
        do_accept(self.alice, self.asked)
        self.assertEqual(self.seen(Relationship, self.carol), {self.asked.pk})
        self.assertEqual(self.seen(Relationship, self.oscar), set())

    def test_sessions_follow_their_relationship(self) -> None:
        self.assertEqual(self.seen(Session, self.alice), {self.session.pk})
        self.assertEqual(self.seen(Session, self.carol), set())
        self.assertEqual(self.seen(Session, self.oscar), set())

    def test_milestones_follow_their_goal(self) -> None:
        private = Goal.objects.get(title="Private")
        step = Milestone.objects.create(goal=private, title="First step")
        self.assertEqual(self.seen(Milestone, self.bob), {step.pk})
        self.assertEqual(self.seen(Milestone, self.carol), set())

    def test_the_goal_shows_on_a_relationship_only_to_those_who_may_see_it(self) -> None:
        def goal_visible(user) -> bool:
            return Relationship.objects.with_goal_visible(user).get(pk=self.quiet.pk).goal_visible

        self.assertEqual([goal_visible(u) for u in (self.bob, self.alice)], [True, False])


class LearningListQueriesTest(CairnTestCase):
    """Each list costs the same number of queries with 2 rows as with 8."""

    def add_relationships(self, n: int) -> None:
        start = Relationship.objects.count()
        for i in range(start, start + n):
            goal = do_set_goal(self.bob, f"Goal {i}", visibility="partners")
            relationship = Relationship.objects.create(
                organisation=self.acme,
                goal=goal,
                status=Relationship.Status.ACTIVE,
                requested_by=self.bob,
                addressee=self.alice,
                message="Help?",
            )
            RelationshipMember.objects.bulk_create(
                [
                    RelationshipMember(relationship=relationship, user=self.bob, role="learner"),
                    RelationshipMember(relationship=relationship, user=self.alice, role="mentor"),
                ]
            )

    def add_goals(self, n: int) -> None:
        start = Goal.objects.count()
        for i in range(start, start + n):
            goal = do_set_goal(self.bob, f"Goal {i}", visibility="organisation")
            Milestone.objects.create(goal=goal, title="A step")

    def test_api_mentoring(self) -> None:
        self.assertApiListConstant(self.alice, "/mentoring", self.add_relationships)

    def test_api_goals_i_may_see(self) -> None:
        self.assertApiListConstant(self.carol, "/goals?scope=visible", self.add_goals)

    def test_goals_page(self) -> None:
        self.client.force_login(self.carol)
        self.assertConstantQueries(lambda: self.rows_on_page("/goals/", "Goal "), self.add_goals)

    def test_mentoring_page(self) -> None:
        self.assertPageListConstant(self.alice, "/mentoring/", "(learner)", self.add_relationships)
