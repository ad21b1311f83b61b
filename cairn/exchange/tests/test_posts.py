"""Posts (know-how and lessons learned) and their comments."""

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.exchange import actions
from cairn.exchange.models import Comment, Post
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase
from cairn.visibility import can_see


class SharePostTest(CairnTestCase):
    def test_know_how_records_shared(self) -> None:
        post = actions.do_share_post(self.alice, "Indexes", "Use them.", skills=["SQL"])
        self.assertFalse(post.is_lesson())
        self.assertEqual(Event.objects.get(verb=Verb.SHARED).actor, self.alice)

    def test_a_lesson_records_lesson_shared_and_needs_what_was_learned(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_share_post(self.bob, "Dropped a table", "Oops", kind="lesson")
        self.assertEqual(caught.exception.field, "learned")
        post = actions.do_share_post(
            self.bob, "Dropped a table", "Oops", kind="lesson", learned="Backups first"
        )
        self.assertTrue(post.is_lesson())
        self.assertEqual(Event.objects.get(verb=Verb.LESSON_SHARED).actor, self.bob)

    def test_a_double_submission_publishes_once(self) -> None:
        actions.do_share_post(self.alice, "Indexes", "Use them.")
        actions.do_share_post(self.alice, "Indexes", "Use them.")
        self.assertEqual(Post.objects.count(), 1)

    def test_it_refuses_an_unknown_kind(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_share_post(self.alice, "X", "Y", kind="rant")
        self.assertEqual(caught.exception.field, "kind")

    def test_a_post_in_an_approval_community_is_for_its_members(self) -> None:
        closed = do_create_community(self.alice, "Leads", policy="approval")
        post = actions.do_share_post(self.alice, "Quiet", "Members only", community=closed)
        self.assertTrue(can_see(self.alice, post))
        self.assertFalse(can_see(self.bob, post))
        self.assertFalse(can_see(self.oscar, post))


class CommentTest(CairnTestCase):
    post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.post = actions.do_share_post(cls.alice, "Indexes", "Use them.")

    def test_a_comment_records_commented_about_the_author(self) -> None:
        actions.do_comment(self.bob, self.post, "Thanks!")
        event = Event.objects.get(verb=Verb.COMMENTED)
        self.assertEqual((event.actor, event.subject), (self.bob, self.alice))

    def test_a_double_submission_comments_once(self) -> None:
        actions.do_comment(self.bob, self.post, "Same")
        actions.do_comment(self.bob, self.post, "Same")
        self.assertEqual(Comment.objects.count(), 1)

    def test_outsiders_cannot_comment(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_comment(self.oscar, self.post, "Hi")
        self.assertEqual(caught.exception.status, 404)

    def test_an_empty_comment_is_refused(self) -> None:
        with self.assertRaises(ActionError) as caught:
            actions.do_comment(self.bob, self.post, " ")
        self.assertEqual(caught.exception.field, "body")
