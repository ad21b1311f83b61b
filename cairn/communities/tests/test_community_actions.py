"""Community actions: create, join (open and by approval), leave, archive, threads, resources."""

from cairn.communities import actions
from cairn.communities.access import community_ids_of
from cairn.communities.models import Community, Membership, Reply, Resource, Thread
from cairn.communities.tests.helpers import CommunityTestCase
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb


def events(verb: str, **filters: object) -> list[Event]:
    return list(Event.objects.filter(verb=verb, **filters))


class CreateTest(CommunityTestCase):
    def test_the_creator_is_the_first_facilitator(self) -> None:
        self.assertTrue(self.open.is_facilitator(self.alice))
        self.assertEqual(len(events(Verb.COMMUNITY_CREATED, actor=self.alice)), 2)

    def test_a_double_submission_creates_one_community(self) -> None:
        again = actions.do_create_community(self.alice, "Data Circle", "SQL and friends")
        self.assertEqual(again.pk, self.open.pk)
        self.assertEqual(Community.objects.filter(slug="data-circle").count(), 1)

    def test_someone_else_cannot_take_a_used_name(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_create_community(self.bob, "data circle")
        self.assertEqual(caught.exception.field, "name")

    def test_it_needs_a_name_and_a_known_policy(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_create_community(self.bob, "  ")
        self.assertEqual(caught.exception.field, "name")
        with self.assertRaises(ActionError) as caught:
            actions.do_create_community(self.bob, "X", policy="secret")
        self.assertEqual(caught.exception.field, "policy")


class UpdateTest(CommunityTestCase):
    def test_facilitators_describe_their_community(self) -> None:
        actions.do_update_community(
            self.alice, self.open, name="Data Circle", description="Now weekly", policy="approval"
        )
        self.open.refresh_from_db()
        self.assertEqual((self.open.description, self.open.policy), ("Now weekly", "approval"))
        event = Event.objects.get(verb=Verb.COMMUNITY_UPDATED)
        self.assertEqual(set(event.context["fields"]), {"description", "policy"})

    def test_members_cannot_and_names_stay_unique(self) -> None:
        actions.do_join(self.bob, self.open)
        with self.assertRaises(ActionError) as caught:
            actions.do_update_community(
                self.bob, self.open, name="X", description="", policy="open"
            )
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError) as caught:
            actions.do_update_community(
                self.alice, self.open, name="Leaders Circle", description="", policy="open"
            )
        self.assertEqual(caught.exception.field, "name")


class JoinTest(CommunityTestCase):
    def test_joining_an_open_community_is_immediate(self) -> None:
        membership = actions.do_join(self.bob, self.open)
        self.assertTrue(membership.is_active())
        self.assertEqual(len(events(Verb.COMMUNITY_JOINED, actor=self.bob)), 1)
        self.assertEqual(community_ids_of(self.bob), {self.open.pk})

    def test_joining_twice_changes_nothing(self) -> None:
        actions.do_join(self.bob, self.open)
        actions.do_join(self.bob, self.open)
        self.assertEqual(len(events(Verb.COMMUNITY_JOINED, actor=self.bob)), 1)

    def test_an_approval_community_needs_a_facilitator(self) -> None:
        membership = actions.do_join(self.bob, self.closed, "I lead a team of four")
        self.assertTrue(membership.is_pending())
        self.assertFalse(Community.objects.readable_by(self.bob).filter(pk=self.closed.pk).exists())
        self.assertEqual(len(events(Verb.COMMUNITY_JOIN_REQUESTED, actor=self.bob)), 1)
        actions.do_answer_join_request(self.alice, membership, approve=True)
        actions.do_answer_join_request(self.alice, membership, approve=True)
        self.assertTrue(Community.objects.readable_by(self.bob).filter(pk=self.closed.pk).exists())
        joined = events(Verb.COMMUNITY_JOINED, actor=self.bob)
        self.assertEqual(len(joined), 1)
        self.assertEqual(joined[0].context["approved_by"], self.alice.pk)

    def test_a_facilitator_can_decline(self) -> None:
        membership = actions.do_join(self.bob, self.closed)
        actions.do_answer_join_request(self.alice, membership, approve=False)
        membership.refresh_from_db()
        self.assertEqual(membership.status, Membership.Status.DECLINED)
        self.assertFalse(self.closed.is_member(self.bob))

    def test_only_facilitators_answer_join_requests(self) -> None:
        actions.do_join(self.carol, self.open)
        membership = actions.do_join(self.bob, self.open)
        with self.assertRaises(ActionError) as caught:
            actions.do_answer_join_request(self.carol, membership, approve=True)
        self.assertEqual(caught.exception.status, 403)

    def test_outsiders_cannot_join(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_join(self.oscar, self.open)
        self.assertEqual(caught.exception.status, 404)

    def test_a_facilitator_can_share_the_role(self) -> None:
        membership = actions.do_join(self.bob, self.open)
        actions.do_make_facilitator(self.alice, membership)
        self.assertTrue(self.open.is_facilitator(self.bob))
        self.assertEqual(len(events(Verb.FACILITATOR_ADDED, subject=self.bob)), 1)


class LeaveAndArchiveTest(CommunityTestCase):
    def test_a_member_can_leave_and_come_back(self) -> None:
        actions.do_join(self.bob, self.open)
        actions.do_leave(self.bob, self.open)
        self.assertFalse(self.open.is_member(self.bob))
        self.assertEqual(len(events(Verb.COMMUNITY_LEFT, actor=self.bob)), 1)
        actions.do_join(self.bob, self.open)
        self.assertTrue(self.open.is_member(self.bob))

    def test_the_last_facilitator_names_another_first(self) -> None:
        actions.do_join(self.bob, self.open)
        with self.assertRaises(ActionError):
            actions.do_leave(self.alice, self.open)

    def test_leaving_without_being_a_member_is_refused(self) -> None:
        with self.assertRaises(ActionError):
            actions.do_leave(self.bob, self.open)

    def test_an_archived_community_is_read_only(self) -> None:
        actions.do_join(self.bob, self.open)
        actions.do_archive(self.alice, self.open)
        actions.do_archive(self.alice, self.open)
        self.assertEqual(len(events(Verb.COMMUNITY_ARCHIVED)), 1)
        with self.assertRaises(ActionError) as caught:
            actions.do_start_thread(self.bob, self.open, "Hello", "Anyone?")
        self.assertEqual(caught.exception.status, 409)
        with self.assertRaises(ActionError):
            actions.do_join(self.carol, self.open)

    def test_only_facilitators_archive(self) -> None:
        actions.do_join(self.bob, self.open)
        with self.assertRaises(ActionError):
            actions.do_archive(self.bob, self.open)


class ThreadsAndResourcesTest(CommunityTestCase):
    def test_members_start_threads_and_reply(self) -> None:
        actions.do_join(self.bob, self.open)
        thread = actions.do_start_thread(self.bob, self.open, "Window functions", "Help?")
        reply = actions.do_reply(self.alice, thread, "Try ROW_NUMBER.")
        self.assertEqual(len(events(Verb.THREAD_STARTED, actor=self.bob)), 1)
        commented = events(Verb.COMMENTED, actor=self.alice)
        self.assertEqual(len(commented), 1)
        self.assertEqual(commented[0].subject, self.bob)
        self.assertEqual(
            reply.get_absolute_url(), f"/communities/threads/{thread.pk}/#reply-{reply.pk}"
        )

    def test_double_submissions_create_one_thread_and_one_reply(self) -> None:
        actions.do_join(self.bob, self.open)
        first = actions.do_start_thread(self.bob, self.open, "Hello", "Anyone?")
        second = actions.do_start_thread(self.bob, self.open, "Hello", "Anyone?")
        self.assertEqual(first.pk, second.pk)
        actions.do_reply(self.bob, first, "Me!")
        actions.do_reply(self.bob, first, "Me!")
        self.assertEqual(Thread.objects.count(), 1)
        self.assertEqual(Reply.objects.count(), 1)

    def test_non_members_cannot_post(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_start_thread(self.bob, self.open, "Hello", "Anyone?")
        self.assertEqual(caught.exception.status, 403)
        with self.assertRaises(ActionError) as caught:
            actions.do_start_thread(self.bob, self.closed, "Hello", "Anyone?")
        self.assertEqual(caught.exception.status, 404)

    def test_a_thread_needs_a_title_and_a_body(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_start_thread(self.alice, self.open, "", "x")
        self.assertEqual(caught.exception.field, "title")
        with self.assertRaises(ActionError) as caught:
            actions.do_start_thread(self.alice, self.open, "x", " ")
        self.assertEqual(caught.exception.field, "body")

    def test_members_share_a_link_once(self) -> None:
        url = "https://example.com/sql"
        first = actions.do_share_resource(self.alice, self.open, "SQL guide", url, "Short")
        again = actions.do_share_resource(self.alice, self.open, "SQL guide", url, "Short")
        self.assertEqual(first.pk, again.pk)
        actions.do_join(self.bob, self.open)
        with self.assertRaises(ActionError) as caught:
            actions.do_share_resource(self.bob, self.open, "Same", url)
        self.assertEqual(caught.exception.field, "url")
        self.assertEqual(Resource.objects.count(), 1)
        self.assertEqual(len(events(Verb.RESOURCE_SHARED)), 1)

    def test_a_resource_needs_a_web_link(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_share_resource(self.alice, self.open, "Bad", "javascript:alert(1)")
        self.assertEqual(caught.exception.field, "url")
