"""Sessions read from a shared Redis cache first (what ``CACHE_URL`` turns on): a page reads no
session row while the cache holds it, a flushed cache costs a query and not a sign-out, and a
sign-out ends the session in the cache too, so no web process keeps serving it."""

import uuid
from unittest import skipUnless

from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cairn.testing import CairnTestCase

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


#: A prefix of this run's own: the SQLite and PostgreSQL suites may share the Redis database.
SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"cairn-test-{uuid.uuid4().hex}",
        "TIMEOUT": 300,
    }
}


@skipUnless(_redis_answers(), f"no Redis answers at {REDIS_URL}")
@override_settings(CACHES=SHARED_CACHE, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
class CachedSessionsTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)
        self.session_key = self.client.cookies["sessionid"].value
        self.cache_key = KEY_PREFIX + self.session_key

    def tearDown(self) -> None:
        caches["default"].delete(self.cache_key)

    def session_reads(self, path: str) -> tuple[int, int]:
        """Return the page's status and how many of its queries read the session table."""
        with CaptureQueriesContext(connection) as queries:
            status = self.client.get(path).status_code
        return status, sum("django_session" in q["sql"] for q in queries.captured_queries)

    def test_a_page_reads_the_session_from_the_cache(self) -> None:
        self.assertIsNotNone(caches["default"].get(self.cache_key))  # written on sign-in
        self.assertEqual(self.session_reads(reverse("home")), (200, 0))

    def test_a_flushed_cache_costs_a_query_not_a_sign_out(self) -> None:
        self.client.get(reverse("home"))
        caches["default"].delete(self.cache_key)
        self.assertEqual(self.session_reads(reverse("home")), (200, 1))
        self.assertEqual(self.session_reads(reverse("home")), (200, 0))  # cached again

    def test_signing_out_ends_the_session_in_the_cache_too(self) -> None:
        self.client.get(reverse("home"))
        cookie = self.session_key
        self.client.post(reverse("account_logout"))
        self.assertIsNone(caches["default"].get(self.cache_key))
        self.client.cookies["sessionid"] = cookie
        response = self.client.get(reverse("home"))
        self.assertRedirects(
            response, f"{reverse('account_login')}?next=/home/", fetch_redirect_response=False
        )
