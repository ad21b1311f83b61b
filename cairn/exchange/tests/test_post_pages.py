"""Post pages: lists, the lesson form, comments, sign-in for visitors, thanks and credits."""

from django.urls import reverse

from cairn.communities.actions import do_create_community
from cairn.communities.models import Community
from cairn.exchange import actions
from cairn.exchange.models import Comment, Credit, Post, Thanks
from cairn.exchange.templatetags.exchange import credit_url
from cairn.testing import CairnTestCase


class PostPagesTestCase(CairnTestCase):
    closed: Community
    quiet: Post
    lesson: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.closed = do_create_community(cls.alice, "Leads", policy="approval")
        cls.quiet = actions.do_share_post(cls.alice, "Pangolin notes", "x", community=cls.closed)
        cls.lesson = actions.do_share_post(
            cls.bob, "The Friday migration", "It broke", kind="lesson", learned="Not on Fridays"
        )


class AccessTest(PostPagesTestCase):
    def test_posts_in_an_approval_community_are_hidden_from_non_members(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("posts"))
        self.assertContains(response, "The Friday migration")
        self.assertNotContains(response, "Pangolin")
        self.assertEqual(self.client.get(self.quiet.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(self.quiet.get_absolute_url()).status_code, 404)

    def test_a_signed_out_visitor_is_asked_to_sign_in_and_sees_nothing(self) -> None:
        response = self.client.get(self.lesson.get_absolute_url())
        self.assertContains(response, "Sign in to read and comment", status_code=401)
        self.assertNotContains(response, "Friday", status_code=401)

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(self.lesson.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(credit_url(self.lesson)).status_code, 404)


class PostFlowTest(PostPagesTestCase):
    def test_a_lesson_has_its_own_prompts_and_look(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("post_new") + "?kind=lesson")
        self.assertContains(response, "What happened, and what went wrong")
        self.assertContains(response, "takes courage")
        response = self.client.post(
            reverse("post_new"),
            {"kind": "lesson", "title": "Lost a file", "body": "No backup", "learned": "Backups"},
        )
        post = Post.objects.get(title="Lost a file")
        self.assertTrue(post.is_lesson())
        page = self.client.get(post.get_absolute_url())
        self.assertContains(page, "card lesson")
        self.assertContains(page, "What I learned")

    def test_a_lesson_without_what_was_learned_is_refused(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("post_new"), {"kind": "lesson", "title": "X", "body": "Y"}
        )
        self.assertFormError(response.context["form"], "learned", "This field is required.")

    def test_an_empty_thread_invites_and_a_double_click_comments_once(self) -> None:
        self.client.force_login(self.carol)
        url = self.lesson.get_absolute_url()
        self.assertContains(self.client.get(url), "Be the first to comment.")
        self.client.post(url, {"body": "Thank you for this"})
        self.client.post(url, {"body": "Thank you for this"})
        self.assertEqual(Comment.objects.count(), 1)
        response = self.client.post(url, {"body": "More"}, headers={"HX-Request": "true"})
        self.assertContains(response, "More")
        self.assertNotContains(response, "<html")

    def test_thanks_on_a_post(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("thank", args=["bob.baker"]),
            {"note": "Brave and useful", "about": f"post:{self.lesson.pk}"},
        )
        self.assertRedirects(response, self.lesson.get_absolute_url())
        self.assertEqual(Thanks.objects.get().about, self.lesson)
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("thanks_received")), "Brave and useful")

    def test_thanks_about_nothing_in_particular_returns_to_their_profile(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(reverse("thank", args=["bob.baker"]), {"note": "Cheers"})
        self.assertRedirects(response, reverse("profile", args=["bob.baker"]))
        self.assertIsNone(Thanks.objects.get().about)

    def test_thanking_twice_for_the_same_post_says_so_on_the_form(self) -> None:
        self.client.force_login(self.carol)
        url = reverse("thank", args=["bob.baker"])
        self.client.post(url, {"note": "Brave", "about": f"post:{self.lesson.pk}"})
        response = self.client.post(url, {"note": "Brave again", "about": f"post:{self.lesson.pk}"})
        self.assertContains(response, "already thanked Bob Baker for this", status_code=409)
        self.assertEqual(Thanks.objects.count(), 1)

    def test_thanks_needs_a_note(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(reverse("thank", args=["bob.baker"]), {"note": ""})
        self.assertFormError(response.context["form"], "note", "This field is required.")

    def test_the_profile_offers_a_thanks_button(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("profile", args=["bob.baker"]))
        self.assertContains(response, "Say thanks to Bob Baker")


class CreditPageTest(PostPagesTestCase):
    def test_the_owner_credits_and_everyone_sees_it(self) -> None:
        self.client.force_login(self.bob)
        url = credit_url(self.lesson)
        response = self.client.post(
            url, {"recipient_1": "alice.archer", "line_1": "Helped me roll back"}
        )
        self.assertRedirects(response, url)
        self.client.post(url, {"recipient_1": "alice.archer", "line_1": "Helped me roll back"})
        self.assertEqual(Credit.objects.count(), 1)
        self.client.force_login(self.carol)
        response = self.client.get(self.lesson.get_absolute_url())
        self.assertContains(response, "Helped me roll back")
        self.assertNotContains(response, "Credit the people who helped")

    def test_it_works_for_a_learning_goal(self) -> None:
        from cairn.learning.actions.goals import do_set_goal

        goal = do_set_goal(self.carol, "Learn Figma variants", visibility="private")
        self.client.force_login(self.carol)
        url = credit_url(goal)
        response = self.client.post(url, {"recipient_1": "bob.baker", "line_1": "Pairing"})
        self.assertRedirects(response, url)
        self.assertEqual(Credit.objects.get().target, goal)
        self.client.force_login(self.bob)  # a private goal stays private, credits and all
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_others_cannot_credit(self) -> None:
        self.client.force_login(self.carol)
        url = credit_url(self.lesson)
        self.assertNotContains(self.client.get(url), "Give credit")
        response = self.client.post(url, {"recipient_1": "alice.archer", "line_1": "x"})
        self.assertEqual(response.status_code, 403)

    def test_bad_credit_input_shows_field_errors(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(credit_url(self.lesson), {"recipient_1": "oscar.outsider"})
        self.assertIn("recipient_1", response.context["form"].errors)


class QueryCountTest(PostPagesTestCase):
    def test_the_list_takes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        before = self.queries_of(reverse("posts"))
        for i in range(5):
            post = actions.do_share_post(self.carol, f"P{i}", "b", skills=[f"S{i}", "SQL"])
            actions.do_comment(self.bob, post, "c")
        with self.assertNumQueries(before):
            self.client.get(reverse("posts"))

    def test_a_post_takes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        url = self.lesson.get_absolute_url()
        actions.do_comment(self.carol, self.lesson, "first")
        actions.do_credit(self.bob, self.lesson, [(self.carol, "c")])
        before = self.queries_of(url)
        for i in range(4):
            actions.do_comment(self.alice, self.lesson, f"more {i}")
        actions.do_credit(self.bob, self.lesson, [(self.alice, "a")])
        with self.assertNumQueries(before):
            self.client.get(url)


class PagesTest(PostPagesTestCase):
    def test_the_next_page_keeps_the_kind_shown(self) -> None:
        for n in range(20):  # 21 lessons with bob's; a day's limit each keeps it to three authors
            author = (self.alice, self.bob, self.carol)[n % 3]
            actions.do_share_post(author, f"Lesson {n}", "x", kind="lesson", learned="y")
        self.client.force_login(self.carol)
        first = self.client.get(reverse("posts") + "?kind=lesson")
        self.assertContains(first, 'href="?kind=lesson&page=2">Next</a>')
        self.assertContains(first, "Page 1 of 2")
        second = self.client.get(reverse("posts") + "?kind=lesson&page=2")
        self.assertContains(second, 'href="?kind=lesson&page=1">Previous</a>')
        self.assertContains(second, "The Friday migration")
