"""Two-step sign-in: an authenticator app (TOTP) and single-use recovery codes."""

import time
from unittest import mock

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import time as totp_time
from django.urls import reverse

from cairn.testing import PASSWORD, CairnTestCase

NOW = time.time()


def totp_code(secret: str, at: float = NOW) -> str:
    """Return the code an authenticator app would show for ``secret`` at ``at``."""
    return format_hotp_value(hotp_value(secret, int(at) // 30))


class MfaTest(CairnTestCase):
    def setUp(self) -> None:
        # One fixed moment, so a code never straddles a 30-second step.
        patcher = mock.patch.object(totp_time, "time", return_value=NOW)
        patcher.start()
        self.addCleanup(patcher.stop)

    def sign_in(self, password: str = PASSWORD):
        return self.client.post(
            reverse("account_login"), {"login": "bob.baker@acme.example", "password": password}
        )

    def sign_in_and_confirm_password(self) -> None:
        """Sign in, then confirm the password, as allauth asks before changing two-step sign-in."""
        self.sign_in()
        response = self.client.get(reverse("mfa_activate_totp"))
        self.assertRedirects(
            response,
            f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
            fetch_redirect_response=False,
        )
        self.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    def activate_totp(self) -> str:
        """Activate an authenticator app for bob through the pages; return its secret."""
        self.sign_in_and_confirm_password()
        response = self.client.get(reverse("mfa_activate_totp"))
        self.assertContains(response, "<img")  # the QR code, inside Cairn's layout
        self.assertContains(response, 'class="skip-link"')
        secret = response.context["form"].secret
        response = self.client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        self.assertRedirects(
            response, reverse("mfa_view_recovery_codes"), fetch_redirect_response=False
        )
        self.client.post(reverse("account_logout"))
        return secret

    def recovery_codes(self) -> list[str]:
        authenticator = Authenticator.objects.get(
            user=self.bob, type=Authenticator.Type.RECOVERY_CODES
        )
        return RecoveryCodes(authenticator).get_unused_codes()

    def assert_signed_in(self) -> None:
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.bob.pk)

    def assert_signed_out(self) -> None:
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_wrong_code_does_not_activate(self) -> None:
        self.sign_in_and_confirm_password()
        self.client.get(reverse("mfa_activate_totp"))
        response = self.client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("code", response.context["form"].errors)
        self.assertFalse(Authenticator.objects.filter(user=self.bob).exists())

    def test_after_activation_sign_in_asks_for_the_code(self) -> None:
        secret = self.activate_totp()
        self.assertTrue(
            Authenticator.objects.filter(user=self.bob, type=Authenticator.Type.TOTP).exists()
        )
        response = self.sign_in()
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)
        self.assert_signed_out()
        page = self.client.get(reverse("mfa_authenticate"))
        self.assertContains(page, 'for="id_code"')

        response = self.client.post(reverse("mfa_authenticate"), {"code": "123456"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("code", response.context["form"].errors)
        self.assert_signed_out()

        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assert_signed_in()

    def test_a_code_cannot_be_replayed(self) -> None:
        secret = self.activate_totp()
        self.sign_in()
        self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        self.assert_signed_in()
        self.client.post(reverse("account_logout"))
        self.sign_in()
        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        self.assertEqual(response.status_code, 200)
        self.assert_signed_out()

    def test_a_recovery_code_works_once(self) -> None:
        self.activate_totp()
        codes = self.recovery_codes()
        self.assertGreaterEqual(len(codes), 10)

        self.sign_in()
        response = self.client.post(reverse("mfa_authenticate"), {"code": codes[0]})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assert_signed_in()
        self.assertNotIn(codes[0], self.recovery_codes())

        self.client.post(reverse("account_logout"))
        self.sign_in()
        response = self.client.post(reverse("mfa_authenticate"), {"code": codes[0]})
        self.assertEqual(response.status_code, 200)
        self.assertIn("code", response.context["form"].errors)
        self.assert_signed_out()

    def test_the_two_step_settings_page_shows_the_state(self) -> None:
        self.activate_totp()
        self.sign_in()
        self.client.post(reverse("mfa_authenticate"), {"code": self.recovery_codes()[0]})
        response = self.client.get(reverse("mfa_index"))
        self.assertContains(response, "Authentication using an authenticator app is active.")
        self.assertContains(response, 'aria-label="Account settings"')
