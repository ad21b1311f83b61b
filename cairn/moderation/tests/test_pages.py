"""The flag page, the moderators' queue and its decisions, and who may open each."""

from django.urls import reverse

from cairn.exchange.actions import do_share_post
from cairn.moderation.access import notice_for, waiting_count
from cairn.moderation.actions import do_flag, do_hide
from cairn.moderation.models import Flag, ModeratedItem
from cairn.moderation.tests.helpers import ModerationTestCase
from cairn.people.models import User


class FlagPageTest(ModerationTestCase):
    def url(self, obj=None) -> str:
        return reverse("flag", args=["exchange.post", (obj or self.post).pk])

    def test_a_member_flags_a_post_from_its_page(self):
        self.client.force_login(self.carol)
        page = self.client.get(self.post.get_absolute_url()).content.decode()
        self.assertIn(self.url(), page)
        self.assertContains(self.client.get(self.url()), "What is wrong with it?")
        response = self.client.post(self.url(), {"reason": "private", "note": "Phone"})
        self.assertRedirects(response, self.post.get_absolute_url())
        self.assertEqual(Flag.objects.get().flagger, self.carol)

    def test_the_author_gets_no_flag_link(self):
        self.client.force_login(self.bob)
        page = self.client.get(self.post.get_absolute_url()).content.decode()
        self.assertNotIn(self.url(), page)

    def test_bad_input_is_named_and_nothing_is_written(self):
        self.client.force_login(self.carol)
        response = self.client.post(self.url(), {"reason": "other", "note": ""})
        self.assertEqual(response.status_code, 422)
        self.assertIn("note", response.context["form"].errors)
        self.assertFalse(Flag.objects.exists())

    def test_unknown_kinds_and_unseen_things_are_not_found(self):
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("flag", args=["people.user", 1])).status_code, 404)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post(self.url(), {"reason": "spam"}).status_code, 404)
        self.assertFalse(Flag.objects.exists())


class QueueAccessTest(ModerationTestCase):
    outside: ModeratedItem
    inside: ModeratedItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.outside = do_flag(cls.dave, cls.post, "private").item
        cls.inside = do_flag(cls.dave, cls.circle_post, "off_topic").item

    def test_a_member_cannot_open_the_queue_or_an_item(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("moderation_queue")).status_code, 403)
        for name in ("moderation_item", "moderation_redact"):
            url = reverse(name, args=[self.inside.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("moderation_decide", args=[self.inside.pk])
        response = self.client.post(url, {"decision": "hide", "reason": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ModeratedItem.objects.filter(hidden=True).exists())

    def test_a_facilitator_sees_only_their_communitys_items(self):
        self.client.force_login(self.carol)
        response = self.client.get(reverse("moderation_queue"))
        self.assertEqual([i.pk for i in response.context["waiting"]], [self.inside.pk])
        self.assertEqual(self.client.get(self.outside.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(self.inside.get_absolute_url()).status_code, 200)

    def test_an_admin_sees_every_item_and_the_count_in_the_top_bar(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("home"))
        self.assertContains(response, 'class="queue-link"')
        self.assertContains(response, '2<span class="visually-hidden"> waiting for review')
        queue = self.client.get(reverse("moderation_queue"))
        self.assertEqual(len(queue.context["waiting"]), 2)

    def test_members_see_no_queue_link(self):
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("home")), 'class="queue-link"')

    def test_the_queue_costs_as_many_queries_for_eight_items_as_for_two(self):
        ModeratedItem.objects.all().delete()
        self.client.force_login(self.alice)

        def listed() -> int:
            return len(self.client.get(reverse("moderation_queue")).context["waiting"])

        def add_rows(n: int) -> None:
            for _ in range(n):
                title = f"Post {ModeratedItem.objects.count()}"
                do_flag(self.carol, do_share_post(self.dave, title, "x"), "spam")

        self.assertConstantQueries(listed, add_rows)


class DecisionPageTest(ModerationTestCase):
    item: ModeratedItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.item = do_flag(cls.dave, cls.circle_post, "private", "A phone number").item

    def test_a_facilitator_hides_with_a_reason(self):
        self.client.force_login(self.carol)
        page = self.client.get(self.item.get_absolute_url())
        self.assertContains(page, "A phone number")
        url = reverse("moderation_decide", args=[self.item.pk])
        response = self.client.post(url, {"decision": "hide", "reason": "Private."})
        self.assertRedirects(response, reverse("moderation_queue"))
        self.item.refresh_from_db()
        self.assertTrue(self.item.hidden)

    def test_a_decision_without_a_reason_is_refused_on_the_field(self):
        self.client.force_login(self.carol)
        url = reverse("moderation_decide", args=[self.item.pk])
        response = self.client.post(url, {"decision": "hide", "reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertIn("reason", response.context["form"].errors)

    def test_restoring_what_is_not_hidden_says_why(self):
        self.client.force_login(self.carol)
        url = reverse("moderation_decide", args=[self.item.pk])
        response = self.client.post(url, {"decision": "restore", "reason": "Fine."})
        self.assertContains(response, "It is not hidden.", status_code=409)

    def test_a_facilitator_edits_out_private_information(self):
        self.client.force_login(self.carol)
        url = reverse("moderation_redact", args=[self.item.pk])
        self.assertContains(self.client.get(url), "Notes from the circle")
        data = {"title": "Circle notes", "body": "Notes", "learned": "", "reason": "Private."}
        self.assertRedirects(self.client.post(url, data), reverse("moderation_queue"))
        self.circle_post.refresh_from_db()
        self.assertEqual(self.circle_post.body, "Notes")

    def test_the_facilitator_sees_the_flag_on_the_page_and_other_members_do_not(self):
        self.client.force_login(self.carol)
        page = self.client.get(self.circle_post.get_absolute_url())
        self.assertContains(page, "waiting for review.")
        self.assertContains(page, self.item.get_absolute_url())
        self.client.force_login(self.dave)  # he flagged it, but moderates nothing
        page = self.client.get(self.circle_post.get_absolute_url())
        self.assertNotContains(page, "moderation-notice")
        self.assertNotContains(page, 'class="queue-link"')

    def test_one_query_tells_a_page_that_its_reader_moderates_nothing(self):
        """The header's count and the page's notice both need to know whether the reader
        moderates; a member who does not is asked once and spared both queries."""
        erin = User.objects.get(pk=self.erin.pk)
        with self.assertNumQueries(1):
            self.assertEqual(waiting_count(erin), 0)
            self.assertIsNone(notice_for(erin, self.circle_post))
        carol = User.objects.get(pk=self.carol.pk)
        with self.assertNumQueries(3):  # whether she moderates, her count, the notice
            self.assertEqual(waiting_count(carol), 1)
            self.assertEqual(notice_for(carol, self.circle_post), self.item)

    def test_the_author_sees_the_hidden_post_marked_with_a_way_to_appeal(self):
        do_hide(self.carol, self.item, "Phone numbers are private.")
        self.client.force_login(self.bob)
        page = self.client.get(self.circle_post.get_absolute_url())
        self.assertContains(page, "Hidden from colleagues.")
        self.assertContains(page, "Phone numbers are private.")
        self.item.refresh_from_db()
        self.assertContains(page, reverse("dispute_open", args=[self.item.hidden_event_id]))
        self.assertContains(self.client.get(reverse("posts")), "Hidden from colleagues")
        self.client.force_login(self.erin)
        self.assertEqual(self.client.get(self.circle_post.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("posts")), "Circle notes")
