"""Hidden content is gone for everyone but its author and moderators, through every model's
``visible_to`` (so pages, feeds, lists and search follow the same rule)."""

from django.db.models import Model

from cairn.communities.actions import do_reply, do_share_resource, do_start_thread
from cairn.communities.models import Reply, Resource, Thread
from cairn.exchange.actions import do_ask, do_comment, do_respond
from cairn.exchange.models import Comment, HelpRequest, Post, Response
from cairn.moderation.actions import do_flag, do_hide
from cairn.moderation.models import Flag, ModeratedItem
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.notifications.actions import do_follow
from cairn.notifications.feed import feed_for


class HiddenContentTest(ModerationTestCase):
    request: HelpRequest
    response: Response
    comment: Comment
    thread: Thread
    reply: Reply
    resource: Resource
    kinds: list[tuple[type[Model], Model]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.request = do_ask(cls.bob, "Who has the VPN key?", community=cls.circle)
        cls.response = do_respond(cls.bob, do_ask(cls.dave, "Printer?"), "Ask Bob")
        cls.comment = do_comment(cls.bob, cls.post, "And on weekends too")
        cls.thread = do_start_thread(cls.bob, cls.circle, "Salaries", "Mine is 50k")
        cls.reply = do_reply(cls.erin, cls.thread, "Interesting")
        cls.resource = do_share_resource(cls.bob, cls.circle, "My CV", "https://example.com/cv")
        cls.kinds = [
            (Post, cls.circle_post),
            (HelpRequest, cls.request),
            (Response, cls.response),
            (Comment, cls.comment),
            (Thread, cls.thread),
            (Resource, cls.resource),
        ]
        for _, obj in cls.kinds:
            do_hide(cls.alice, do_flag(cls.dave, obj, "private").item, "Private.")

    def sees(self, user, model, obj) -> bool:
        return model.objects.visible_to(user).filter(pk=obj.pk).exists()

    def test_each_kind_is_hidden_from_other_members(self):
        for model, obj in self.kinds:
            with self.subTest(model.__name__):
                self.assertFalse(self.sees(self.frank, model, obj))

    def test_the_author_the_admin_and_the_communitys_facilitator_still_see_it(self):
        for model, obj in self.kinds:
            for person in (self.bob, self.alice):
                with self.subTest(model.__name__, person=person):
                    self.assertTrue(self.sees(person, model, obj))
        for model, obj in self.kinds:
            in_circle = model is not Response and model is not Comment
            with self.subTest(model.__name__, person="carol"):
                self.assertEqual(self.sees(self.carol, model, obj), in_circle)

    def test_what_hangs_off_hidden_content_goes_with_it(self):
        self.assertFalse(self.sees(self.erin, Reply, self.reply))  # its own author, too
        self.assertTrue(self.sees(self.bob, Reply, self.reply))  # the thread's author

    def test_hidden_content_leaves_the_feed(self):
        do_follow(self.frank, self.bob)
        titles = {item.title for item in feed_for(self.frank)}
        self.assertIn(self.post.title, titles)
        self.assertNotIn(self.circle_post.title, titles)

    def test_outsiders_see_nothing_either_way(self):
        for model, obj in self.kinds:
            self.assertFalse(self.sees(self.oscar, model, obj))

    def test_flagged_but_not_hidden_content_stays_visible(self):
        do_flag(self.dave, self.post, "spam")
        self.assertTrue(self.sees(self.frank, Post, self.post))
        item = ModeratedItem.objects.get(target_id=self.post.pk, target_type="exchange.post")
        self.assertFalse(item.hidden)

    def test_moderators_see_the_items_they_moderate_and_flaggers_their_own_flags(self):
        self.assertEqual(ModeratedItem.objects.visible_to(self.alice).count(), 6)
        self.assertEqual(ModeratedItem.objects.visible_to(self.carol).count(), 4)
        self.assertEqual(ModeratedItem.objects.visible_to(self.frank).count(), 0)
        self.assertEqual(ModeratedItem.objects.visible_to(self.oscar).count(), 0)
        self.assertEqual(Flag.objects.visible_to(self.dave).count(), 6)
        self.assertEqual(Flag.objects.visible_to(self.frank).count(), 0)
