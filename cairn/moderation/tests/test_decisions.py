from cairn.audit.models import Action, AuditEntry
from cairn.disputes.actions import do_open_dispute, do_resolve_dispute
from cairn.errors import ActionError
from cairn.exchange.actions import do_share_post
from cairn.exchange.models import Post
from cairn.ledger.models import Event, Verb
from cairn.moderation.actions import do_dismiss, do_flag, do_hide, do_redact, do_restore
from cairn.moderation.models import Flag, ModeratedItem
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.notifications.models import Notification
from cairn.privileges.access import flag_weight


class DecisionTest(ModerationTestCase):
    def flagged(self, post=None, by=None) -> ModeratedItem:
        return do_flag(by or self.carol, post or self.post, "private", "A phone number").item

    def test_an_admin_hides_with_a_reason_the_author_reads(self):
        item = self.flagged()
        with self.captureOnCommitCallbacks(execute=True):
            do_hide(self.alice, item, "Personal phone numbers stay off Cairn.")
        item.refresh_from_db()
        self.assertEqual((item.hidden, item.decision), (True, "hidden"))
        self.assertFalse(item.is_waiting())
        event = Event.objects.get(verb=Verb.CONTENT_HIDDEN)
        self.assertEqual((event.actor, event.subject), (self.alice, self.bob))
        self.assertEqual(item.hidden_event, event)
        note = Notification.objects.get(recipient=self.bob)
        self.assertIn("Personal phone numbers stay off Cairn.", note.text)
        self.assertEqual(AuditEntry.objects.get(action=Action.CONTENT_HIDDEN).actor, self.alice)

    def test_an_upheld_flag_raises_the_flaggers_weight_and_a_dismissed_one_lowers_it(self):
        before = flag_weight(self.carol)
        do_hide(self.alice, self.flagged(), "Private.")
        self.assertEqual(Flag.objects.get().status, Flag.Status.UPHELD)
        self.assertEqual(Event.objects.get(verb=Verb.FLAG_UPHELD).subject, self.carol)
        upheld = flag_weight(self.carol)
        self.assertGreater(upheld, before)
        do_dismiss(self.alice, self.flagged(post=self.circle_post), "Nothing private here.")
        do_dismiss(self.alice, self.flagged(post=do_share_post(self.dave, "T", "x")), "Fine.")
        self.assertLess(flag_weight(self.carol), upheld)

    def test_dismissing_shows_again_what_flags_had_hidden(self):
        for person in (self.dave, self.erin, self.frank):
            item = self.flagged(by=person)
        item.refresh_from_db()
        self.assertTrue(item.hidden)
        with self.captureOnCommitCallbacks(execute=True):
            do_dismiss(self.alice, item, "A work number, shared on purpose.")
        item.refresh_from_db()
        self.assertFalse(item.hidden)
        self.assertEqual(Flag.objects.filter(status=Flag.Status.DISMISSED).count(), 3)
        self.assertTrue(Post.objects.visible_to(self.dave).filter(pk=self.post.pk).exists())
        self.assertEqual(Event.objects.get(verb=Verb.FLAGS_DISMISSED).context["was_hidden"], True)

    def test_restoring_shows_it_again_and_only_hidden_items_can_be_restored(self):
        item = self.flagged()
        with self.assertRaises(ActionError) as caught:
            do_restore(self.alice, item, "Fine.")
        self.assertEqual(caught.exception.status, 409)
        do_hide(self.alice, item, "Private.")
        do_restore(self.alice, item, "Bob took the number out.")
        item.refresh_from_db()
        self.assertEqual((item.hidden, item.decision), (False, "restored"))
        self.assertEqual(AuditEntry.objects.filter(action=Action.CONTENT_RESTORED).count(), 1)

    def test_editing_out_private_information_keeps_the_post_and_tells_the_author(self):
        item = self.flagged()
        with self.captureOnCommitCallbacks(execute=True):
            do_redact(
                self.alice,
                item,
                {"body": "Call Bob on [number removed]"},
                "Phone numbers are private.",
            )
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "Call Bob on [number removed]")
        event = Event.objects.get(verb=Verb.CONTENT_REDACTED)
        self.assertEqual(event.context["fields"], ["body"])
        self.assertNotIn("07700", str(event.context))
        self.assertIn(
            "Phone numbers are private.", Notification.objects.get(recipient=self.bob).text
        )
        self.assertEqual(Flag.objects.get().status, Flag.Status.UPHELD)

    def test_an_edit_must_change_something_and_name_real_fields(self):
        item = self.flagged()
        with self.assertRaises(ActionError) as caught:
            do_redact(self.alice, item, {"body": self.post.body}, "Private.")
        self.assertEqual(caught.exception.field, "title")
        with self.assertRaises(ActionError) as caught:
            do_redact(self.alice, item, {"author": "x"}, "Private.")
        self.assertEqual(caught.exception.field, "author")
        with self.assertRaises(ActionError) as caught:
            do_redact(self.alice, item, {"body": "x"}, "  ")
        self.assertEqual(caught.exception.field, "reason")

    def test_a_facilitator_decides_in_their_community_only(self):
        inside = self.flagged(post=self.circle_post, by=self.dave)
        outside = self.flagged(by=self.dave)
        do_hide(self.carol, inside, "Off-topic for the circle.")
        with self.assertRaises(ActionError) as caught:
            do_hide(self.carol, outside, "No.")
        self.assertEqual(caught.exception.status, 404)

    def test_members_and_outsiders_cannot_decide_and_nobody_decides_their_own(self):
        item = self.flagged()
        for person in (self.dave, self.oscar):
            with self.assertRaises(ActionError) as caught:
                do_hide(person, item, "No.")
            self.assertEqual(caught.exception.status, 404)
        carols = do_share_post(self.carol, "Carol's", "x", community=self.circle)
        own = do_flag(self.bob, carols, "spam").item
        with self.assertRaises(ActionError) as caught:
            do_hide(self.carol, own, "Mine.")
        self.assertEqual(caught.exception.status, 403)

    def test_an_upheld_appeal_shows_the_content_again(self):
        item = self.flagged()
        do_hide(self.alice, item, "Private.")
        item.refresh_from_db()
        dispute = do_open_dispute(self.bob, item.hidden_event, "It is the team's shared phone.")
        self.assertIsNone(dispute.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            do_resolve_dispute(dispute, self.alice, "overturned", "Right, it is the team line.")
        item.refresh_from_db()
        self.assertFalse(item.hidden)
        self.assertEqual(item.decision, "restored")
        self.assertTrue(Post.objects.visible_to(self.carol).filter(pk=self.post.pk).exists())
