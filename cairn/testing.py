"""Shared personas for tests: two organisations, built once per test class.

Acme has alice (admin), bob and carol; Globex has oscar, the outsider who must never see Acme.
"""

import threading
from collections.abc import Callable

from django.db import connection
from django.test import TestCase

from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, User

PASSWORD = "correct horse battery staple"  # noqa: S105


def make_organisation(slug: str, name: str, domains: tuple[str, ...] = ()) -> Organisation:
    return do_create_organisation(name, slug, email_domains=domains)


def make_person(org: Organisation, name: str, role: str = User.Role.MEMBER, **profile) -> User:
    email = f"{name.lower().replace(' ', '.')}@{org.slug}.example"
    return do_add_person(org, email=email, name=name, password=PASSWORD, role=role, **profile)


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


class CairnTestCase(TestCase):
    acme: Organisation
    globex: Organisation
    alice: User
    bob: User
    carol: User
    oscar: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.acme = make_organisation("acme", "Acme Learning", ("acme.example",))
        cls.globex = make_organisation("globex", "Globex")
        cls.alice = make_person(
            cls.acme,
            "Alice Archer",
            User.Role.ADMIN,
            title="Head of Data",
            department="Data",
            offers=["SQL", "Stakeholder management"],
            wants=["Public speaking"],
            open_to_mentor=True,
        )
        cls.bob = make_person(
            cls.acme, "Bob Baker", title="Analyst", department="Data", wants=["SQL"]
        )
        cls.carol = make_person(
            cls.acme, "Carol Chen", title="Designer", department="Design", offers=["Figma"]
        )
        cls.oscar = make_person(cls.globex, "Oscar Outsider", title="Spy", department="Intel")
