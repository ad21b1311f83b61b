"""A request that needed the shared cache while it did not answer gets a 503 that says so and
when to try again: JSON on the API, a short page elsewhere. Signing in and out through it are
tested with the sessions (cairn/people/tests/test_cached_sessions.py)."""

import json

import redis
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase

from cairn.web.middleware import CACHE_DOWN_RETRY_AFTER, SharedCacheDownMiddleware


class SharedCacheDownTest(SimpleTestCase):
    def setUp(self) -> None:
        self.middleware = SharedCacheDownMiddleware(lambda request: HttpResponse())
        self.requests = RequestFactory()

    def answer(self, path: str, error: Exception) -> HttpResponse | None:
        request = self.requests.post(path)
        with self.assertLogs("cairn.web.middleware", "ERROR"):
            return self.middleware.process_exception(request, error)

    def test_the_api_answers_json_with_retry_after(self) -> None:
        response = self.answer("/api/v1/thanks", redis.ConnectionError("refused"))
        assert response is not None
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("briefly unavailable", json.loads(response.content)["detail"])
        self.assertEqual(response["Retry-After"], str(CACHE_DOWN_RETRY_AFTER))

    def test_a_page_says_to_try_again_and_a_timeout_counts_too(self) -> None:
        response = self.answer("/home/", redis.TimeoutError("slow"))
        assert response is not None
        self.assertEqual(response.status_code, 503)
        self.assertIn(b"Please try again in a minute", response.content)
        self.assertNotIn(b"still signed in", response.content)

    def test_other_errors_are_left_to_the_500_handler(self) -> None:
        request = self.requests.get("/home/")
        for error in (redis.ResponseError("WRONGTYPE"), ValueError("a bug")):
            self.assertIsNone(self.middleware.process_exception(request, error))
