"""Shared personas for tests: two organisations, built once per test class.

Acme has alice (admin), bob and carol; Globex has oscar, the outsider who must never see Acme.
"""

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.tasks.backends.dummy import DummyBackend
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, User

if TYPE_CHECKING:
    from cairn.learning.models import Relationship

PASSWORD = "correct horse battery staple"  # noqa: S105

#: A Redis cache on a port nothing listens on: every call to it fails at once. For tests of
#: what Cairn does while a shared cache (``CACHE_URL``) is down.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
#: Tasks run as soon as they are enqueued (``override_settings(TASKS=IMMEDIATE_TASKS)``).
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def make_organisation(slug: str, name: str, domains: tuple[str, ...] = ()) -> Organisation:
    return do_create_organisation(name, slug, email_domains=domains)


def make_person(org: Organisation, name: str, role: str = User.Role.MEMBER, **profile) -> User:
    email = f"{name.lower().replace(' ', '.')}@{org.slug}.example"
    return do_add_person(org, email=email, name=name, password=PASSWORD, role=role, **profile)


def mentoring(mentee: User, mentor: User, visibility: str = "private") -> "Relationship":
    """Return an active mentoring relationship: ``mentee`` asked ``mentor`` about a goal
    ("Write good SQL", of that visibility) and ``mentor`` accepted."""
    from cairn.learning.actions import do_accept, do_request_relationship, do_set_goal

    goal = do_set_goal(mentee, "Write good SQL", visibility=visibility)
    relationship = do_request_relationship(mentee, mentor, "mentoring", goal, "Hi")
    do_accept(mentor, relationship)
    return relationship


def dummy_tasks() -> DummyBackend:
    """Return the task backend of a test under ``override_settings(TASKS=...DummyBackend)``."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    assert isinstance(backend, DummyBackend), backend
    return backend


def at_once[T](*calls: Callable[[], T]) -> list[T | BaseException]:
    """Run ``calls`` on threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test to judge
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class Personas:
    """Acme (alice the admin, bob, carol) and Globex (oscar, who must never see Acme): the
    people every test suite uses, made by :func:`make_personas`."""

    acme: Organisation
    globex: Organisation
    alice: User
    bob: User
    carol: User
    oscar: User


def make_personas[P: Personas | type[Personas]](into: P) -> P:
    """Make the personas in the database as attributes of ``into`` (a test class, or an
    instance for the browser tests' fixture); return it."""
    into.acme = make_organisation("acme", "Acme Learning", ("acme.example",))
    into.globex = make_organisation("globex", "Globex")
    into.alice = make_person(
        into.acme,
        "Alice Archer",
        User.Role.ADMIN,
        title="Head of Data",
        department="Data",
        offers=["SQL", "Stakeholder management"],
        wants=["Public speaking"],
        open_to_mentor=True,
    )
    into.bob = make_person(
        into.acme, "Bob Baker", title="Analyst", department="Data", wants=["SQL"]
    )
    into.carol = make_person(
        into.acme, "Carol Chen", title="Designer", department="Design", offers=["Figma"]
    )
    into.oscar = make_person(into.globex, "Oscar Outsider", title="Spy", department="Intel")
    return into


class CairnTestCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_personas(cls)

    def api(
        self,
        method: str,
        path: str,
        user: User | None = None,
        body: object = None,
        token: str | None = None,
    ) -> Any:
        """Call ``/api/v1{path}`` with ``body`` as JSON, signed in as ``user`` or by ``token``;
        return the test client's response."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if user is not None:
            self.client.force_login(user)
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=headers,
        )

    def rows_on_page(self, path: str, marker: str) -> int:
        """Return how many times ``marker`` (one per row) shows on the page at ``path``."""
        return self.client.get(path).content.decode().count(marker)

    def rows_from_api(self, path: str) -> int:
        """Return how many rows the API list at ``/api/v1{path}`` returned (paginated or not)."""
        body = json.loads(self.client.get(f"/api/v1{path}").content)
        return len(body["items"] if isinstance(body, dict) else body)

    def queries_of(self, url: str) -> int:
        """Return how many queries a GET of ``url`` takes (after a warm-up request for the
        per-process caches); the page must answer 200."""
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def assertSameQueries(  # noqa: N802 (unittest's naming)
        self, url: str, add: Callable[[], object]
    ) -> Any:
        """Assert a GET of ``url`` takes as many queries after ``add()`` as before; return the
        last response, for the test to check that it shows what was added."""
        expected = self.queries_of(url)
        add()
        with self.assertNumQueries(expected):
            return self.client.get(url)

    def assertConstantQueries(  # noqa: N802 (unittest's naming)
        self, listed: Callable[[], int], add_rows: Callable[[int], object]
    ) -> None:
        """Assert a list costs as many queries with 8 rows as with 2.

        ``add_rows(n)`` adds n rows the list shows; ``listed()`` fetches the list and returns how
        many rows it showed (checked, so the test cannot pass on an empty list).
        """
        add_rows(2)
        listed()  # warm per-process caches (content types, sessions)
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(listed(), 2)
        add_rows(6)
        with self.assertNumQueries(len(two.captured_queries)):
            self.assertEqual(listed(), 8)

    def assertPageListConstant(  # noqa: N802 (unittest's naming)
        self, user: User, path: str, marker: str, add_rows: Callable[[int], object]
    ) -> None:
        """Assert the page at ``path``, seen by ``user``, costs as many queries with 8 rows as
        with 2 (a row counted by ``marker``); see :meth:`assertConstantQueries`."""
        self.client.force_login(user)
        self.assertConstantQueries(lambda: self.rows_on_page(path, marker), add_rows)

    def assertApiListConstant(  # noqa: N802 (unittest's naming)
        self, user: User, path: str, add_rows: Callable[[int], object]
    ) -> None:
        """Assert the API list at ``/api/v1{path}``, called by ``user``, costs as many queries
        with 8 rows as with 2; see :meth:`assertConstantQueries`."""
        self.client.force_login(user)
        self.assertConstantQueries(lambda: self.rows_from_api(path), add_rows)
