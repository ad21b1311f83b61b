"""A missing page is Cairn's own "Not found" page, in development as in production."""

from django.test import override_settings

from cairn.testing import CairnTestCase


class NotFoundPageTest(CairnTestCase):
    def assertStyled(self, path: str) -> None:  # noqa: N802
        response = self.client.get(path)
        self.assertContains(response, "There is nothing here", status_code=404)
        self.assertContains(response, 'class="site-header"', status_code=404)
        self.assertNotContains(response, "URLconf", status_code=404)

    def test_in_development_an_unknown_address_shows_the_site_page_not_the_url_list(self) -> None:
        self.client.force_login(self.alice)
        with override_settings(DEBUG=True):
            self.assertStyled("/no-such-page/")
            self.assertStyled("/posts/999999/")  # a view that raised Http404

    def test_in_production_too(self) -> None:
        self.client.force_login(self.alice)
        self.assertStyled("/no-such-page/")
        self.assertStyled("/posts/999999/")

    def test_a_missing_slash_still_redirects_and_the_api_still_answers_json(self) -> None:
        self.client.force_login(self.alice)
        with override_settings(DEBUG=True):
            self.assertRedirects(self.client.get("/people"), "/people/", 301)
            response = self.client.get("/api/v1/people/nobody")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
