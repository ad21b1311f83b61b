from django.test import override_settings

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.exchange.actions import do_share_post
from cairn.exchange.models import Post
from cairn.ledger.models import Event, Verb
from cairn.moderation.actions import do_flag
from cairn.moderation.models import Flag, ModeratedItem
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.notifications.models import Notification


class FlagTest(ModerationTestCase):
    def test_a_member_flags_a_post_and_it_waits_for_review_without_being_hidden(self):
        flag = do_flag(self.carol, self.post, "private", "A phone number")
        item = flag.item
        self.assertEqual(item.status, ModeratedItem.Status.WAITING)
        self.assertFalse(item.hidden)
        self.assertEqual((item.author, item.target_type), (self.bob, "exchange.post"))
        event = Event.objects.get(verb=Verb.FLAGGED)
        self.assertEqual((event.actor, event.subject), (self.carol, self.bob))
        self.assertEqual(event.context["reason"], "private")

    def test_the_author_is_not_told_who_flagged(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_flag(self.carol, self.post, "spam")
        self.assertFalse(Notification.objects.filter(recipient=self.bob).exists())

    def test_flagging_twice_keeps_one_flag(self):
        first = do_flag(self.carol, self.post, "spam")
        again = do_flag(self.carol, self.post, "inappropriate")
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Event.objects.filter(verb=Verb.FLAGGED).count(), 1)

    def test_it_refuses_flagging_what_you_wrote(self):
        with self.assertRaises(ActionError) as caught:
            do_flag(self.bob, self.post, "spam")
        self.assertEqual(caught.exception.status, 403)

    def test_it_refuses_what_the_flagger_cannot_see(self):
        closed = do_create_community(self.alice, "Board", policy="approval")
        secret = do_share_post(self.alice, "Board minutes", "x", community=closed)
        for person in (self.carol, self.oscar):
            with self.assertRaises(ActionError) as caught:
                do_flag(person, secret, "spam")
            self.assertEqual(caught.exception.status, 404)
        self.assertFalse(Flag.objects.exists())

    def test_something_else_needs_a_note_and_the_reason_must_be_known(self):
        with self.assertRaises(ActionError) as caught:
            do_flag(self.carol, self.post, "other")
        self.assertEqual(caught.exception.field, "note")
        with self.assertRaises(ActionError) as caught:
            do_flag(self.carol, self.post, "boring")
        self.assertEqual(caught.exception.field, "reason")

    def test_flags_from_members_without_the_privilege_never_hide(self):
        for person in (self.alice, self.carol):
            do_flag(person, self.post, "spam")
        item = ModeratedItem.objects.get()
        self.assertFalse(item.hidden)
        self.assertEqual(item.flags.filter(can_hide=False).count(), 1)  # carol is new

    def test_enough_privileged_flags_hide_at_once_and_tell_the_author_how_to_appeal(self):
        with self.captureOnCommitCallbacks(execute=True):
            for person in (self.dave, self.erin, self.frank):
                do_flag(person, self.post, "private")
        item = ModeratedItem.objects.get()
        self.assertTrue(item.hidden and item.hidden_by_flags and item.is_waiting())
        hidden = Event.objects.get(verb=Verb.CONTENT_HIDDEN)
        self.assertIsNone(hidden.actor)
        self.assertEqual((hidden.subject, item.hidden_event), (self.bob, hidden))
        note = Notification.objects.get(recipient=self.bob)
        self.assertIn("appeal", note.text)
        self.assertIn("3 trusted colleagues flagged it (private information)", note.text)
        self.assertFalse(Post.objects.visible_to(self.carol).filter(pk=self.post.pk).exists())

    def test_two_privileged_flags_are_not_enough(self):
        for person in (self.dave, self.erin):
            do_flag(person, self.post, "spam")
        self.assertFalse(ModeratedItem.objects.get().hidden)

    @override_settings(CAIRN_LIMIT_FLAGS=2)
    def test_flagging_has_its_own_daily_limit(self):
        posts = [do_share_post(self.alice, f"Tip {i}", "x") for i in range(3)]
        do_flag(self.carol, posts[0], "spam")
        do_flag(self.carol, posts[1], "spam")
        with self.assertRaises(ActionError) as caught:
            do_flag(self.carol, posts[2], "spam")
        self.assertEqual(caught.exception.status, 429)
        self.assertGreater(caught.exception.retry_after, 0)
        self.assertEqual(Flag.objects.count(), 2)

    @override_settings(CAIRN_LIMIT_FLAGS=2)
    def test_members_who_may_hide_flag_twice_as_often(self):
        posts = [do_share_post(self.alice, f"Tip {i}", "x") for i in range(4)]
        for post in posts:
            do_flag(self.dave, post, "spam")
        self.assertEqual(Flag.objects.count(), 4)
