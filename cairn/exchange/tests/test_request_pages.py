"""Request pages: the list and its filters, asking, responding, marking, resolving."""

from django.urls import reverse

from cairn.communities.actions import do_create_community
from cairn.communities.models import Community
from cairn.exchange import actions
from cairn.exchange.models import Credit, HelpRequest, Response
from cairn.testing import CairnTestCase


class RequestPagesTestCase(CairnTestCase):
    closed: Community
    quiet: HelpRequest
    public: HelpRequest

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.closed = do_create_community(cls.alice, "Leads", policy="approval")
        cls.quiet = actions.do_ask(cls.alice, "Pangolin question", community=cls.closed)
        cls.public = actions.do_ask(
            cls.bob, "Window functions?", skills=["SQL"], directed_to=[cls.alice]
        )


class AccessTest(RequestPagesTestCase):
    def test_requests_in_an_approval_community_are_hidden_from_non_members(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("requests"))
        self.assertContains(response, "Window functions?")
        self.assertNotContains(response, "Pangolin")
        self.assertEqual(self.client.get(self.quiet.get_absolute_url()).status_code, 404)
        url = reverse("help_request_resolve", args=[self.quiet.pk])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_outsiders_get_404(self) -> None:
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(self.public.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("requests")), "Window")
        answer = actions.do_respond(self.carol, self.public, "Try this")
        url = reverse("mark_response", args=[answer.pk])
        self.assertEqual(self.client.post(url, {"helpful": "1"}).status_code, 404)

    def test_only_the_asker_can_mark(self) -> None:
        answer = actions.do_respond(self.carol, self.public, "Try this")
        self.client.force_login(self.alice)
        self.client.post(reverse("mark_response", args=[answer.pk]), {"helpful": "1"})
        answer.refresh_from_db()
        self.assertFalse(answer.helpful)


class FiltersTest(RequestPagesTestCase):
    def test_directed_at_me_and_by_skill(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("requests"), {"show": "directed"})
        self.assertContains(response, "Window functions?")
        self.assertNotContains(response, "Pangolin")
        response = self.client.get(reverse("requests"), {"show": "all", "skill": "sql"})
        self.assertContains(response, "Window functions?")
        self.assertNotContains(response, "Pangolin")
        response = self.client.get(reverse("requests"), {"show": "mine"})
        self.assertContains(response, "Pangolin")
        self.assertNotContains(response, "Window functions?")

    def test_htmx_gets_only_the_results(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("requests"), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="results"')
        self.assertNotContains(response, "<html")


class FlowTest(RequestPagesTestCase):
    def test_ask_respond_accept_resolve_with_credit(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("ask"),
            {
                "title": "Figma auto-layout",
                "details": "Stuck",
                "skills": "Figma",
                "directed_to": ["bob.baker"],
            },
        )
        help_request = HelpRequest.objects.get(title="Figma auto-layout")
        self.assertRedirects(response, help_request.get_absolute_url())
        self.client.force_login(self.bob)
        self.client.post(help_request.get_absolute_url(), {"body": "Use frames"})
        answer = Response.objects.get()
        self.client.force_login(self.carol)
        page = self.client.get(help_request.get_absolute_url())
        self.assertContains(page, "Accept this answer")
        self.client.post(reverse("mark_response", args=[answer.pk]), {"accepted": "1"})
        page = self.client.get(help_request.get_absolute_url())
        self.assertContains(page, "private feedback")
        self.client.post(
            reverse("help_request_resolve", args=[help_request.pk]),
            {"recipient_1": "bob.baker", "line_1": "Showed me frames"},
        )
        help_request.refresh_from_db()
        self.assertFalse(help_request.is_open())
        self.assertEqual(Credit.objects.get().recipient, self.bob)
        self.assertContains(self.client.get(help_request.get_absolute_url()), "Showed me frames")

    def test_bad_input_shows_field_errors(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(reverse("ask"), {"title": " "})
        self.assertFormError(response.context["form"], "title", "This field is required.")
        self.client.force_login(self.bob)
        response = self.client.post(self.public.get_absolute_url(), {"body": "Me"})
        self.assertIn("Add to your request", str(response.context["form"].errors))
        self.assertFalse(Response.objects.exists())
        response = self.client.post(
            reverse("help_request_resolve", args=[self.public.pk]), {"recipient_1": "carol.chen"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Say in a few words what they gave", status_code=422)

    def test_a_double_click_responds_once(self) -> None:
        self.client.force_login(self.carol)
        self.client.post(self.public.get_absolute_url(), {"body": "Same"})
        self.client.post(self.public.get_absolute_url(), {"body": "Same"})
        self.assertEqual(Response.objects.count(), 1)

    def test_an_htmx_response_returns_the_responses(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.public.get_absolute_url(), {"body": "Partial"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Partial")
        self.assertNotContains(response, "<html")


class QueryCountTest(RequestPagesTestCase):
    def test_the_list_takes_constant_queries(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("requests") + "?show=all"
        before = self.queries_of(url)
        for i in range(5):
            r = actions.do_ask(self.bob, f"Q{i}", skills=["SQL", f"S{i}"], directed_to=[self.alice])
            actions.do_respond(self.carol, r, "A")
        with self.assertNumQueries(before):
            self.client.get(url)

    def test_the_list_counts_each_requests_responses(self) -> None:
        actions.do_respond(self.alice, self.public, "Use OVER")
        actions.do_respond(self.carol, self.public, "Or PARTITION BY")
        actions.do_respond(self.carol, self.public, "And ORDER BY inside it")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("requests"))
        self.assertContains(response, "3 responses")
        self.assertContains(response, "0 responses")

    def test_the_detail_takes_constant_queries(self) -> None:
        self.client.force_login(self.bob)
        url = self.public.get_absolute_url()
        actions.do_respond(self.carol, self.public, "first")
        before = self.queries_of(url)
        for i in range(4):
            actions.do_respond(self.alice, self.public, f"more {i}")
        with self.assertNumQueries(before):
            self.client.get(url)
