"""Sign-in is throttled against brute force (ACCOUNT_RATE_LIMITS in settings)."""

import time
from unittest import mock

from allauth.core.internal import ratelimit
from django.conf import settings
from django.urls import reverse

from cairn.testing import PASSWORD, CairnTestCase

TOO_MANY = "Too many failed login attempts"


class SignInThrottleTest(CairnTestCase):
    def attempt(self, email: str, password: str, ip: str = "203.0.113.7"):
        return self.client.post(
            reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
        )

    def fail_five_times(self, email: str = "bob.baker@acme.example", **kwargs: str) -> None:
        for _ in range(5):
            response = self.attempt(email, "wrong guess", **kwargs)
            self.assertContains(response, "not correct")

    def test_the_sixth_failure_in_five_minutes_is_refused_even_with_the_right_password(
        self,
    ) -> None:
        self.fail_five_times()
        response = self.attempt("bob.baker@acme.example", PASSWORD)
        self.assertContains(response, TOO_MANY)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_account_stays_locked_from_another_address(self) -> None:
        self.fail_five_times()
        response = self.attempt("bob.baker@acme.example", PASSWORD, ip="198.51.100.9")
        self.assertContains(response, TOO_MANY)

    def test_one_person_behind_a_shared_address_cannot_lock_out_a_colleague(self) -> None:
        self.fail_five_times()
        self.fail_five_times("alice.archer@acme.example")
        response = self.attempt("carol.chen@acme.example", PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_one_address_cannot_spray_guesses_across_many_accounts(self) -> None:
        per_address = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])
        for n in range(per_address):
            self.attempt(f"someone{n}@acme.example", "wrong guess")
        response = self.attempt("carol.chen@acme.example", PASSWORD)
        self.assertContains(response, TOO_MANY)
        response = self.attempt("carol.chen@acme.example", PASSWORD, ip="198.51.100.9")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_lets_people_in_again_after_five_minutes(self) -> None:
        self.fail_five_times()
        later = time.time() + 5 * 60 + 1
        with mock.patch.object(ratelimit.time, "time", return_value=later):
            response = self.attempt("bob.baker@acme.example", PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_a_flood_of_sign_in_requests_gets_429(self) -> None:
        per_minute = int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0])
        for _ in range(per_minute):
            self.attempt("nobody@acme.example", "x", ip="192.0.2.1")
            self.client.cookies.clear()
        response = self.attempt("bob.baker@acme.example", PASSWORD, ip="192.0.2.1")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertContains(response, 'class="skip-link"', status_code=429)
        self.assertTrue(response["Retry-After"].isdigit())
