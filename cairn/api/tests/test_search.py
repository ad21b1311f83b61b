"""GET /api/v1/search: the search page's results as JSON, and its refusals."""

from cairn.search.tests.helpers import SearchTestCase


class SearchApiTest(SearchTestCase):
    def test_it_returns_groups_with_totals_and_marked_titles(self) -> None:
        self.client.force_login(self.bob)
        body = self.client.get("/api/v1/search", {"q": "kubernetes"}).json()
        groups = {group["kind"]: group for group in body["groups"]}
        self.assertEqual(
            set(groups), {"request", "post", "community", "thread", "resource", "goal"}
        )
        (request,) = groups["request"]["items"]
        self.assertEqual(request["label"], "Answered")
        self.assertEqual(request["answer"], "Raise the memory limit of the pod.")
        self.assertIn("<mark>Kubernetes</mark>", request["title"])
        self.assertEqual(request["url"], f"/requests/{self.request.pk}/")

    def test_kind_limits_the_search_to_one_kind(self) -> None:
        self.client.force_login(self.bob)
        body = self.client.get("/api/v1/search", {"q": "kubernetes", "kind": "goal"}).json()
        self.assertEqual([g["kind"] for g in body["groups"]], ["goal"])
        self.assertEqual(body["groups"][0]["total"], 1)

    def test_it_refuses_a_missing_empty_or_long_query_naming_the_field(self) -> None:
        self.client.force_login(self.bob)
        for params in ({}, {"q": ""}, {"q": "x" * 201}):
            response = self.client.get("/api/v1/search", params)
            self.assertEqual(response.status_code, 422, params)
            self.assertEqual(response.json()["detail"][0]["loc"], ["query", "q"])

    def test_it_refuses_an_unknown_kind_naming_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/api/v1/search", {"q": "x", "kind": "secrets"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["query", "kind"])

    def test_it_needs_a_session_or_a_token(self) -> None:
        self.assertEqual(self.client.get("/api/v1/search", {"q": "kubernetes"}).status_code, 401)

    def test_outsiders_find_nothing_of_the_organisation(self) -> None:
        self.client.force_login(self.oscar)
        body = self.client.get("/api/v1/search", {"q": "kubernetes"}).json()
        self.assertEqual([g["kind"] for g in body["groups"]], ["post"])
        self.assertEqual(body["groups"][0]["total"], 1)
