"""Personal API tokens: created once, shown once, revocable."""

from django.urls import reverse

from cairn.people.actions import do_create_api_token
from cairn.people.models import ApiToken
from cairn.testing import CairnTestCase


class TokenPageTest(CairnTestCase):
    def test_it_shows_the_secret_once(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(reverse("tokens"), {"name": "report script"})
        token = ApiToken.objects.get(user=self.bob)
        self.assertContains(response, token.prefix)
        self.assertContains(response, 'id="new-token"')
        response = self.client.get(reverse("tokens"))
        self.assertNotContains(response, 'id="new-token"')

    def test_only_the_hash_is_stored(self) -> None:
        token, secret = do_create_api_token(self.bob, "x")
        self.assertNotIn(secret, token.key_hash)
        self.assertNotEqual(token.key_hash, secret)

    def test_it_revokes_my_own_token(self) -> None:
        token, _ = do_create_api_token(self.bob, "x")
        self.client.force_login(self.bob)
        self.client.post(reverse("revoke_token", args=[token.pk]))
        self.assertFalse(ApiToken.objects.filter(pk=token.pk).exists())

    def test_it_cannot_revoke_someone_elses_token(self) -> None:
        token, _ = do_create_api_token(self.alice, "x")
        self.client.force_login(self.bob)
        response = self.client.post(reverse("revoke_token", args=[token.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(ApiToken.objects.filter(pk=token.pk).exists())

    def test_an_empty_name_is_refused(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(reverse("tokens"), {"name": "   "})
        self.assertContains(response, "This field is required")
