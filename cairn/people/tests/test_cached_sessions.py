"""Sessions read from a shared Redis cache first (what ``CACHE_URL`` turns on): a page reads no
session row while the cache holds it, a flushed or unreachable cache costs a query and not a
sign-out, and a sign-out ends the session in the cache too, so no web process keeps serving
it."""

import uuid
from unittest import mock, skipUnless

import redis
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cairn.testing import PASSWORD, UNREACHABLE_CACHE, CairnTestCase

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
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
@override_settings(CACHES=SHARED_CACHE, SESSION_ENGINE="cairn.people.sessions")
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


@override_settings(SESSION_ENGINE="cairn.people.sessions")
class UnreachableCacheTest(CairnTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.bob)  # while the cache answers

    def test_people_signed_in_keep_working_from_the_database(self) -> None:
        with override_settings(CACHES=UNREACHABLE_CACHE):
            with self.assertLogs("cairn.people.sessions", "WARNING") as logs:
                response = self.client.get(reverse("home"))
        self.assertContains(response, "Sign out")
        self.assertIn("Could not read a session from the cache", logs.output[0])

    def test_signing_out_fails_with_nothing_changed_rather_than_leave_a_copy(self) -> None:
        key = self.client.cookies["sessionid"].value
        with override_settings(CACHES=UNREACHABLE_CACHE):
            with self.assertLogs("cairn.web.middleware", "ERROR"):
                response = self.client.post(reverse("account_logout"))
            self.assertContains(response, "You are still signed in", status_code=503)
            self.assertEqual(response["Retry-After"], "30")
            self.assertTrue(Session.objects.filter(session_key=key).exists())
            self.assertEqual(self.client.cookies["sessionid"].value, key)
            with self.assertLogs("cairn.people.sessions", "WARNING"):
                self.assertContains(self.client.get(reverse("home")), "Sign out")
        self.client.post(reverse("account_logout"))  # the cache is back: now it works
        self.assertFalse(Session.objects.filter(session_key=key).exists())

    def test_signing_in_says_it_waits_for_the_cache_rather_than_fail(self) -> None:
        self.client.logout()
        form = {"login": self.bob.email, "password": PASSWORD}
        with override_settings(CACHES=UNREACHABLE_CACHE):
            with self.assertLogs("cairn.web.middleware", "ERROR") as logs:
                response = self.client.post(reverse("account_login"), form)
        self.assertContains(response, "briefly unavailable", status_code=503)
        self.assertIn("POST /accounts/login/", logs.output[0])
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_new_session_asks_the_database_whether_its_key_is_taken(self) -> None:
        from cairn.people.sessions import SessionStore

        with override_settings(CACHES=UNREACHABLE_CACHE):
            with self.assertLogs("cairn.people.sessions", "WARNING"):
                session = SessionStore()
                session["seen"] = True
                session.save()
        self.assertTrue(SessionStore().exists(str(session.session_key)))


@override_settings(SESSION_ENGINE="cairn.people.sessions")
class SignOutRaceTest(CairnTestCase):
    def test_a_copy_a_request_cached_while_the_row_was_deleted_goes_too(self) -> None:
        from django.contrib.sessions.backends.db import SessionStore as DbStore

        from cairn.people.sessions import SessionStore

        self.client.force_login(self.bob)
        key = self.client.cookies["sessionid"].value
        cache_key = KEY_PREFIX + key
        delete_row = DbStore.delete

        def read_meanwhile(store: DbStore, session_key: str | None = None) -> None:
            SessionStore(key).load()  # the cache missed: the row is read and cached again
            self.assertIsNotNone(caches["default"].get(cache_key))
            delete_row(store, session_key)

        with mock.patch.object(DbStore, "delete", read_meanwhile):
            self.client.post(reverse("account_logout"))
        self.assertIsNone(caches["default"].get(cache_key))
        self.assertFalse(Session.objects.filter(session_key=key).exists())
