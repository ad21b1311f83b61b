"""Community pages: who sees what, forms and their errors, and constant queries on lists."""

from django.urls import reverse

from cairn.communities import actions
from cairn.communities.models import Community, Membership, Thread
from cairn.communities.tests.helpers import CommunityTestCase
from cairn.exchange.actions import do_ask, do_share_post
from cairn.testing import make_person


class PagesTestCase(CommunityTestCase):
    secret: Thread
    pending: Membership

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.secret = actions.do_start_thread(cls.alice, cls.closed, "Pangolin plans", "Sssh")
        actions.do_share_resource(cls.alice, cls.closed, "Wombat guide", "https://w.example/")
        cls.pending = actions.do_join(cls.bob, cls.closed, "Please")


class ApprovalOnlyAccessTest(PagesTestCase):
    def test_non_members_see_the_description_but_not_the_content(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("community", args=[self.closed.pk]))
        self.assertContains(response, "Quiet room")
        self.assertNotContains(response, "Pangolin")
        self.assertNotContains(response, "Wombat")
        self.assertNotContains(response, "Asked here")
        self.assertContains(response, "Ask to join")

    def test_non_members_get_404_on_threads_resources_and_members(self) -> None:
        self.client.force_login(self.bob)  # pending is not a member
        for url in (
            reverse("community_thread", args=[self.secret.pk]),
            reverse("community_resources", args=[self.closed.pk]),
            reverse("community_members", args=[self.closed.pk]),
            reverse("thread_create", args=[self.closed.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
            self.assertEqual(self.client.post(url, {"body": "x"}).status_code, 404, url)

    def test_outsiders_get_404_everywhere(self) -> None:
        self.client.force_login(self.oscar)
        for url in (
            reverse("community", args=[self.open.pk]),
            reverse("community_resources", args=[self.open.pk]),
            reverse("community_join", args=[self.open.pk]),
            reverse("community_answer", args=[self.pending.pk]),
        ):
            response = self.client.post(url)
            self.assertEqual(response.status_code, 404, url)
        response = self.client.get(reverse("communities"))
        self.assertNotContains(response, "Data Circle")

    def test_members_read_everything(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("community", args=[self.closed.pk]))
        self.assertContains(response, "Pangolin")
        self.assertContains(response, "Wombat")
        self.assertContains(response, "1 waiting to join")
        self.assertContains(response, "Stuck on something? Ask the circle.")
        response = self.client.get(reverse("community_members", args=[self.closed.pk]))
        self.assertContains(response, "Bob Baker")

    def test_a_member_cannot_answer_join_requests(self) -> None:
        actions.do_join(self.carol, self.open)
        pending = actions.do_join(self.bob, self.open)
        self.client.force_login(self.carol)
        url = reverse("community_answer", args=[pending.pk])
        self.assertEqual(self.client.post(url, {"answer": "approve"}).status_code, 404)

    def test_a_signed_out_visitor_is_sent_to_sign_in(self) -> None:
        response = self.client.get(reverse("community", args=[self.open.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


class FlowTest(PagesTestCase):
    def test_create_join_approve_discuss(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("community_create"),
            {"name": "Figma club", "description": "Pixels", "policy": "approval"},
        )
        club = Community.objects.get(slug="figma-club")
        self.assertRedirects(response, club.get_absolute_url())
        self.client.force_login(self.bob)
        self.client.post(reverse("community_join", args=[club.pk]), {"message": "Hi"})
        membership = club.membership_of(self.bob)
        assert membership is not None
        self.assertTrue(membership.is_pending())
        self.client.force_login(self.carol)
        self.client.post(reverse("community_answer", args=[membership.pk]), {"answer": "approve"})
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("thread_create", args=[club.pk]), {"title": "Components", "body": "How?"}
        )
        thread = Thread.objects.get(title="Components")
        self.assertRedirects(response, thread.get_absolute_url())
        response = self.client.post(
            thread.get_absolute_url(), {"body": "Like this"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Like this")
        self.assertNotContains(response, "<html")

    def test_bad_input_shows_field_errors(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("community_create"), {"name": "Data Circle", "policy": "open"}
        )
        self.assertFormError(
            response.context["form"], "name", "A community with this name exists already."
        )
        actions.do_share_resource(self.alice, self.open, "Wombat guide", "https://w.example/")
        actions.do_join(self.carol, self.open)
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("community_resources", args=[self.open.pk]),
            {"title": "Again", "url": "https://w.example/"},
        )
        self.assertContains(response, "shared this link here already", status_code=422)

    def test_a_double_click_on_create_makes_one_community(self) -> None:
        self.client.force_login(self.bob)
        data = {"name": "Twice", "description": "", "policy": "open"}
        self.client.post(reverse("community_create"), data)
        self.client.post(reverse("community_create"), data)
        self.assertEqual(Community.objects.filter(slug="twice").count(), 1)

    def test_only_facilitators_edit(self) -> None:
        url = reverse("community_edit", args=[self.open.pk])
        actions.do_join(self.bob, self.open)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.alice)
        data = {"name": "Data Circle", "description": "Fridays", "policy": "open"}
        self.assertRedirects(self.client.post(url, data), self.open.get_absolute_url())
        self.open.refresh_from_db()
        self.assertEqual(self.open.description, "Fridays")

    def test_an_empty_thread_invites_a_reply(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.secret.get_absolute_url())
        self.assertContains(response, "Be the first to reply")


class QueryCountTest(PagesTestCase):
    def test_the_list_takes_constant_queries(self) -> None:
        self.client.force_login(self.carol)
        before = self.queries_of(reverse("communities"))
        for i in range(5):
            actions.do_create_community(self.alice, f"Circle {i}")
        actions.do_join(self.carol, self.open)
        with self.assertNumQueries(before):
            response = self.client.get(reverse("communities"))
        self.assertContains(response, "Circle 4")

    def test_a_community_page_takes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("community", args=[self.closed.pk])
        before = self.queries_of(url)
        dave = make_person(self.acme, "Dave Dunn")
        actions.do_join(dave, self.closed)
        for i in range(4):
            do_ask(self.alice, f"Q{i}", community=self.closed)
            do_share_post(self.alice, f"P{i}", "b", community=self.closed)
            actions.do_start_thread(self.alice, self.closed, f"T{i}", "b")
            actions.do_share_resource(self.alice, self.closed, f"R{i}", f"https://r{i}.example/")
        with self.assertNumQueries(before):
            self.client.get(url)

    def test_a_thread_page_takes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        url = self.secret.get_absolute_url()
        before = self.queries_of(url)
        for i in range(4):
            actions.do_reply(self.alice, self.secret, f"reply {i}")
        with self.assertNumQueries(before):
            self.client.get(url)
