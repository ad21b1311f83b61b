"""Who sees which community, thread, reply and resource: the ``visible_to`` queries tried on the
personas, and every community list at a constant number of queries."""

from django.contrib.auth.models import AnonymousUser

from cairn.communities import actions
from cairn.communities.models import Community, Reply, Resource, Thread
from cairn.communities.tests.helpers import CommunityTestCase
from cairn.testing import CairnTestCase


class CommunityVisibilityTest(CommunityTestCase):
    open_thread: Thread
    closed_thread: Thread
    closed_reply: Reply
    closed_link: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actions.do_join(cls.carol, cls.closed)  # asked, not yet welcomed
        cls.open_thread = actions.do_start_thread(cls.alice, cls.open, "Joins", "Which?")
        cls.closed_thread = actions.do_start_thread(cls.alice, cls.closed, "Quiet", "Members")
        cls.closed_reply = actions.do_reply(cls.alice, cls.closed_thread, "Me too")
        cls.closed_link = actions.do_share_resource(
            cls.alice, cls.closed, "Guide", "https://example.com/guide"
        )

    def seen(self, model, user) -> set[int]:
        return set(model.objects.visible_to(user).values_list("pk", flat=True))

    def test_names_are_seen_by_the_whole_organisation_only(self) -> None:
        both = {self.open.pk, self.closed.pk}
        expected = {self.alice: both, self.bob: both, self.oscar: set(), AnonymousUser(): set()}
        self.assertEqual({u: self.seen(Community, u) for u in expected}, expected)

    def test_approval_content_is_for_active_members_only(self) -> None:
        expected = {
            self.alice: {self.open_thread.pk, self.closed_thread.pk},
            self.carol: {self.open_thread.pk},  # waiting to be welcomed
            self.oscar: set(),
        }
        self.assertEqual({u: self.seen(Thread, u) for u in expected}, expected)
        self.assertEqual(self.seen(Reply, self.carol), set())
        self.assertEqual(self.seen(Resource, self.carol), set())
        self.assertEqual(self.seen(Reply, self.alice), {self.closed_reply.pk})
        self.assertEqual(self.seen(Resource, self.alice), {self.closed_link.pk})

    def test_a_welcomed_member_reads_it_all(self) -> None:
        membership = self.closed.memberships.get(user=self.carol)
        actions.do_answer_join_request(self.alice, membership, approve=True)
        self.assertEqual(
            self.seen(Thread, self.carol), {self.open_thread.pk, self.closed_thread.pk}
        )
        self.assertEqual(self.seen(Resource, self.carol), {self.closed_link.pk})


class CommunityAccessTest(CommunityTestCase):
    """What rules know of a person's communities: read once per user object, forgotten by the
    actions that change it."""

    closed_thread: Thread

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.closed_thread = actions.do_start_thread(cls.alice, cls.closed, "Quiet", "Members")

    def test_closed_and_facilitated_communities(self) -> None:
        actions.do_join(self.carol, self.closed)  # asked, not yet welcomed
        alice = Community.objects.access_of(self.alice)
        self.assertEqual(alice.closed, ())
        self.assertEqual(set(alice.facilitated), {self.open.pk, self.closed.pk})
        for waiting_or_outside in (self.carol, self.bob):
            access = Community.objects.access_of(waiting_or_outside)
            self.assertEqual((access.closed, access.facilitated), ((self.closed.pk,), ()))
        self.assertEqual(Community.objects.access_of(self.oscar).closed, ())  # Acme's are not his
        self.assertEqual(Community.objects.access_of(AnonymousUser()).closed, ())

    def test_read_once_for_every_rule_of_a_request(self) -> None:
        from cairn.exchange.models import Comment, HelpRequest, Post

        with self.assertNumQueries(1):
            Community.objects.access_of(self.bob)
        with self.assertNumQueries(0):  # the rules hold the ids, not a subquery to build
            for model in (Thread, Reply, Resource, Post, Comment, HelpRequest, Community):
                model.objects.visible_to(self.bob)
            Community.objects.readable_by(self.bob)

    def test_the_actions_forget_what_they_change(self) -> None:
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.closed_thread.pk))
        membership = actions.do_join(self.bob, self.closed)
        actions.do_answer_join_request(self.alice, membership, approve=True)
        self.assertTrue(Thread.objects.visible_to(self.bob).filter(pk=self.closed_thread.pk))
        actions.do_make_facilitator(self.alice, membership)
        self.assertIn(self.closed.pk, Community.objects.access_of(self.bob).facilitated)
        actions.do_create_community(self.alice, "Other Circle", "Elsewhere")
        self.assertEqual(len(Community.objects.access_of(self.alice).facilitated), 3)
        actions.do_leave(self.bob, self.closed)
        self.assertFalse(Thread.objects.visible_to(self.bob).filter(pk=self.closed_thread.pk))
        self.assertEqual(Community.objects.access_of(self.bob).facilitated, ())


class CommunityListQueriesTest(CairnTestCase):
    """Each list costs the same number of queries with 2 rows as with 8."""

    circle: Community

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.circle = actions.do_create_community(cls.alice, "Data Circle", "SQL and friends")

    def add_communities(self, n: int) -> None:
        start = Community.objects.count()
        for i in range(start, start + n):
            actions.do_create_community(self.alice, f"Circle {i}", "About things")
            if i % 2:
                actions.do_join(self.bob, Community.objects.get(name=f"Circle {i}"))

    def add_threads(self, n: int) -> None:
        start = Thread.objects.count()
        for i in range(start, start + n):
            thread = actions.do_start_thread(self.alice, self.circle, f"Topic {i}", "Body")
            actions.do_reply(self.alice, thread, "A reply")

    def add_resources(self, n: int) -> None:
        start = Resource.objects.count()
        for i in range(start, start + n):
            actions.do_share_resource(self.alice, self.circle, f"Link {i}", f"https://ex.com/{i}")

    def test_communities_page(self) -> None:
        self.assertPageListConstant(self.bob, "/communities/", "About things", self.add_communities)

    def test_communities_api(self) -> None:
        self.client.force_login(self.bob)
        listed = lambda: self.rows_from_api("/communities") - 1  # noqa: E731 (less the Data Circle)
        self.assertConstantQueries(listed, self.add_communities)

    def test_community_page_threads(self) -> None:
        self.assertPageListConstant(
            self.bob, f"/communities/{self.circle.pk}/", "Topic ", self.add_threads
        )

    def test_threads_api(self) -> None:
        self.assertApiListConstant(
            self.bob, f"/communities/{self.circle.pk}/threads", self.add_threads
        )

    def test_resources_page(self) -> None:
        path = f"/communities/{self.circle.pk}/resources/"
        self.assertPageListConstant(self.bob, path, "Link ", self.add_resources)

    def test_resources_api(self) -> None:
        self.assertApiListConstant(
            self.bob, f"/communities/{self.circle.pk}/resources", self.add_resources
        )

    def test_members_api(self) -> None:
        self.client.force_login(self.alice)
        listed = lambda: self.rows_from_api(f"/communities/{self.circle.pk}/members") - 1  # noqa: E731

        def add_members(n: int) -> None:
            from cairn.testing import make_person

            start = self.circle.memberships.count()
            for i in range(start, start + n):
                actions.do_join(make_person(self.acme, f"Member {i}"), self.circle)

        self.assertConstantQueries(listed, add_members)
