"""A retried write is made once; every response carries the security headers; auth errors and
refusals say what to do next."""

import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from cairn.api.models import IdempotentRequest
from cairn.exchange.actions import do_share_post
from cairn.exchange.models import Post
from cairn.people.actions import do_create_api_token
from cairn.testing import CairnTestCase

JSON = "application/json"


class IdempotencyKeyTest(CairnTestCase):
    def setUp(self) -> None:
        _, secret = do_create_api_token(self.bob, "script")
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def post(self, body: dict[str, str], key: str = "retry-1", **extra: str):
        headers: dict[str, Any] = {**self.auth, **extra}
        return self.client.post(
            "/api/v1/posts", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key, **headers
        )

    def test_a_retry_replays_the_first_answer_and_makes_nothing_twice(self) -> None:
        first = self.post({"title": "Tip", "body": "Use indexes"})
        again = self.post({"title": "Tip", "body": "Use indexes"})
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Post.objects.filter(author=self.bob).count(), 1)

    def test_the_same_key_with_another_body_is_refused(self) -> None:
        self.post({"title": "Tip", "body": "Use indexes"})
        response = self.post({"title": "Other", "body": "Something else"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["header", "Idempotency-Key"])

    def test_a_key_is_forgotten_after_a_day(self) -> None:
        self.post({"title": "Tip", "body": "Use indexes"})
        with time_machine.travel(timezone.now() + timedelta(hours=25)):
            response = self.post({"title": "Tip", "body": "Use indexes"})
        self.assertEqual(response.status_code, 201)
        self.assertNotIn("Idempotent-Replayed", response)
        self.assertEqual(Post.objects.filter(author=self.bob).count(), 2)

    def test_a_retry_while_the_first_runs_waits_unless_the_first_died(self) -> None:
        body = {"title": "Tip", "body": "Use indexes"}
        IdempotentRequest.objects.create(
            user=self.bob,
            key="retry-1",
            method="POST",
            path="/api/v1/posts",
            fingerprint=hashlib.sha256(json.dumps(body).encode()).hexdigest(),
        )
        waiting = self.post(body)
        self.assertEqual(waiting.status_code, 409)
        self.assertEqual(waiting["Retry-After"], "1")
        with time_machine.travel(timezone.now() + timedelta(minutes=3)):
            self.assertEqual(self.post(body).status_code, 201)

    def test_keys_are_per_person(self) -> None:
        self.post({"title": "Tip", "body": "Use indexes"})
        self.client.force_login(self.carol)
        response = self.client.post(
            "/api/v1/posts",
            {"title": "Tip", "body": "Use indexes"},
            content_type=JSON,
            HTTP_IDEMPOTENCY_KEY="retry-1",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Post.objects.count(), 2)


class AuthAndRefusalHeadersTest(CairnTestCase):
    def test_a_bad_token_on_a_write_is_401_with_www_authenticate(self) -> None:
        response = self.client.post(
            "/api/v1/posts",
            {"title": "x", "body": "y"},
            content_type=JSON,
            HTTP_AUTHORIZATION="Bearer cairn_not-a-token",
        )
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response["WWW-Authenticate"].startswith("Bearer"))

    def test_a_daily_limit_says_when_to_come_back(self) -> None:
        for n in range(10):
            do_share_post(self.bob, f"Tip {n}", "Body")
        self.client.force_login(self.bob)
        response = self.client.post(
            "/api/v1/posts", {"title": "One more", "body": "x"}, content_type=JSON
        )
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response["Retry-After"]), 23 * 3600)


class SecurityHeadersTest(CairnTestCase):
    def test_pages_carry_a_strict_content_security_policy(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/people/")
        policy = response["Content-Security-Policy"]
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertIn("style-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertIn("camera=()", response["Permissions-Policy"])

    def test_no_page_has_inline_styles_or_scripts(self) -> None:
        self.client.force_login(self.alice)
        for url in ("/home/", "/people/", "/communities/", "/requests/", "/posts/"):
            with self.subTest(url=url):
                html = self.client.get(url, follow=True).content.decode()
                self.assertNotIn(" style=", html)
                self.assertNotIn("<style", html)
                self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")

    def test_the_forwarded_protocol_is_trusted_only_behind_a_proxy(self) -> None:
        def header_with(count: str) -> str:
            env = {**os.environ, "TRUSTED_PROXY_COUNT": count}
            return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
                [
                    sys.executable,
                    "-c",
                    "import cairn.settings as s; print(s.SECURE_PROXY_SSL_HEADER)",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()

        self.assertEqual(header_with("0"), "None")
        self.assertEqual(header_with("1"), "('HTTP_X_FORWARDED_PROTO', 'https')")
