"""The search page, the box in the top bar, and the hints on the ask form."""

from cairn.exchange.actions import do_share_post
from cairn.search.tests.helpers import SearchTestCase


class SearchPageTest(SearchTestCase):
    def test_it_shows_results_grouped_by_kind_with_the_ranking_explained(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/search/", {"q": "kubernetes"}).content.decode()
        self.assertIn('Requests for help <span class="muted">(1)</span>', page)
        self.assertIn('Goals <span class="muted">(1)</span>', page)
        self.assertIn("Answered", page)
        self.assertIn("Raise the memory limit of the pod.", page)
        self.assertIn("newer things rank a little higher", page)
        self.assertNotIn("Pass the Kubernetes exam", page)
        self.assertNotIn("secrets rotation", page)
        self.assertNotIn("Globex", page)

    def test_every_page_has_the_search_box_in_the_top_bar(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/home/"), 'class="site-search"')

    def test_one_kind_can_be_searched_alone(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/search/", {"q": "kubernetes", "kind": "thread"}).content.decode()
        self.assertIn("office hours", page)
        self.assertNotIn("guild</a>", page)

    def test_htmx_gets_the_results_alone(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/search/", {"q": "kube"}, headers={"HX-Request": "true"})
        self.assertContains(response, "office hours")
        self.assertNotContains(response, "<html")

    def test_nothing_found_says_so_and_offers_to_ask(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/search/", {"q": "zebra"}), "Nothing matches")

    def test_visitors_are_sent_to_sign_in(self) -> None:
        self.assertEqual(self.client.get("/search/", {"q": "kubernetes"}).status_code, 302)
        self.assertEqual(self.client.get("/search/answered/", {"title": "x"}).status_code, 302)

    def test_a_long_query_is_cut_not_refused(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/search/", {"q": "kubernetes " * 100}).status_code, 200)

    def test_the_page_costs_as_many_queries_with_many_results(self) -> None:
        self.client.force_login(self.bob)

        def add_posts(n: int) -> None:
            for i in range(n):
                do_share_post(self.alice, f"Zebra crossing {self.counter + i}", "Stripes.")
            self.counter += n

        self.counter = 0

        def listed() -> int:
            return self.rows_on_page("/search/?q=zebra&kind=post", 'class="search-hit"')

        self.assertConstantQueries(listed, add_posts)


class AnsweredAlreadyTest(SearchTestCase):
    def test_the_ask_form_asks_for_hints_as_the_title_is_typed(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get("/requests/ask/").content.decode()
        self.assertIn('hx-get="/search/answered/"', page)
        self.assertIn('id="answered-already"', page)

    def test_it_shows_answered_requests_and_lessons_that_match_the_title(self) -> None:
        do_share_post(self.alice, "Kubernetes links", "Unrelated know-how.")
        self.client.force_login(self.carol)
        hints = self.client.get("/search/answered/", {"title": "kubernetes pods restarting"})
        self.assertContains(hints, "Someone may have answered this already")
        self.assertContains(hints, f'href="/requests/{self.request.pk}/"')
        self.assertContains(hints, "Raise the memory limit of the pod.")
        self.assertContains(hints, "upgrade that broke ingress")
        self.assertNotContains(hints, "Kubernetes links")
        self.assertNotContains(hints, "office hours")

    def test_it_is_empty_when_nothing_matches(self) -> None:
        self.client.force_login(self.carol)
        hints = self.client.get("/search/answered/", {"title": "zebra"})
        self.assertEqual(hints.content.decode().strip(), "")
