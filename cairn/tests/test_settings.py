"""Settings come from the environment, fail loudly on bad values, and pass Django's deploy check."""

import json
import os
import secrets
import subprocess
import sys
from unittest import skipUnless

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import SimpleTestCase, TestCase

from cairn.database import PREPARED_MAX
from cairn.env import env_bool, env_int, env_list
from cairn.people.models import Organisation
from cairn.settings import _mailers


class EnvHelpersTest(SimpleTestCase):
    def setUp(self) -> None:
        self.saved = dict(os.environ)

    def tearDown(self) -> None:
        os.environ.clear()
        os.environ.update(self.saved)

    def test_booleans_accept_clear_words_only(self) -> None:
        os.environ["X_FLAG"] = "Yes"
        self.assertTrue(env_bool("X_FLAG", False))
        os.environ["X_FLAG"] = "maybe"
        with self.assertRaisesMessage(ImproperlyConfigured, "X_FLAG='maybe' is not a boolean"):
            env_bool("X_FLAG", False)

    def test_integers_fail_loudly(self) -> None:
        os.environ["X_NUM"] = "ten"
        with self.assertRaisesMessage(ImproperlyConfigured, "not an integer"):
            env_int("X_NUM", 1)

    def test_lists_drop_blanks(self) -> None:
        os.environ["X_LIST"] = "a.example, ,b.example"
        self.assertEqual(env_list("X_LIST", []), ["a.example", "b.example"])

    def test_email_url_smtp(self) -> None:
        mailer = _mailers("smtp://me%40x.org:pw@mail.x.org:587/?tls=1")["default"]
        options = mailer["OPTIONS"]
        assert isinstance(options, dict)
        self.assertEqual(options["username"], "me@x.org")
        self.assertTrue(options["use_tls"])

    def test_email_url_with_an_unknown_scheme_fails(self) -> None:
        with self.assertRaises(ImproperlyConfigured):
            _mailers("pigeon://coop")


class DeployCheckTest(SimpleTestCase):
    def run_check(self, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
        }
        environment.update(env)
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "cairn", "check", "--deploy", "--fail-level", "WARNING"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_production_settings_pass_the_deploy_check(self) -> None:
        result = self.run_check(
            DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="cairn.example"
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_the_development_key_fails_the_deploy_check(self) -> None:
        result = self.run_check(DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="cairn.example")
        self.assertNotEqual(result.returncode, 0)

    def test_a_bad_value_stops_start_up_with_a_clear_message(self) -> None:
        result = self.run_check(DEBUG="perhaps")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG='perhaps' is not a boolean", result.stderr)


def settings_in_a_new_process(script: str, **env: str) -> str:
    """Run ``script`` in a new Python with the settings built from this environment (without
    the test run's own settings and ``CACHE_URL``) and ``env``; return what it printed."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST")) and k != "CACHE_URL"
    }
    environment.update(DJANGO_SETTINGS_MODULE="cairn.settings", **env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return result.stdout.strip()


class PreparedStatementsSettingTest(SimpleTestCase):
    def options_for(self, **env: str) -> dict[str, object]:
        """Return the database OPTIONS the settings build for a PostgreSQL URL and ``env``."""
        script = (
            "import json, cairn.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
        )
        database = "postgresql://someone@db.example:5432/cairn"
        return json.loads(settings_in_a_new_process(script, DATABASE_URL=database, **env))

    def test_postgresql_binds_on_the_server_and_prepares_by_default(self) -> None:
        options = self.options_for()
        self.assertIs(options["server_side_binding"], True)
        self.assertEqual(options["prepare_threshold"], 1)

    def test_postgresql_compiles_no_plans_and_starts_no_parallel_workers_by_default(self):
        self.assertEqual(
            self.options_for()["options"], "-c jit=off -c max_parallel_workers_per_gather=0"
        )
        options = self.options_for(DATABASE_PARALLEL_WORKERS="2")
        self.assertEqual(options["options"], "-c jit=off -c max_parallel_workers_per_gather=2")

    def test_prepared_statements_can_be_turned_off_for_a_pooler(self) -> None:
        options = self.options_for(DATABASE_PREPARED_STATEMENTS="0")
        self.assertNotIn("server_side_binding", options)
        self.assertNotIn("prepare_threshold", options)


@skipUnless(connection.vendor == "postgresql", "prepared statements are PostgreSQL's")
class PreparedStatementsTest(TestCase):
    def test_a_statement_a_connection_runs_twice_is_prepared_and_kept(self) -> None:
        for _ in range(2):
            list(Organisation.objects.filter(slug="no-such-organisation"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [statement for (statement,) in cursor.fetchall()]
        self.assertTrue(any('FROM "people_organisation"' in s for s in statements), statements)
        self.assertEqual(connection.connection.prepared_max, PREPARED_MAX)

    def test_a_connection_starts_no_parallel_workers(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            self.assertEqual(cursor.fetchone()[0], "0")


class SessionEngineSettingTest(SimpleTestCase):
    def engine_for(self, **env: str) -> str:
        script = "from django.conf import settings; print(settings.SESSION_ENGINE)"
        return settings_in_a_new_process(script, **env)

    def test_sessions_stay_in_the_database_without_a_shared_cache(self) -> None:
        self.assertEqual(self.engine_for(), "django.contrib.sessions.backends.db")

    def test_a_shared_cache_serves_sessions_first(self) -> None:
        self.assertEqual(
            self.engine_for(CACHE_URL="redis://cache.example:6379/0"),
            "cairn.people.sessions",
        )
