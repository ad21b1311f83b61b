"""API lists not covered beside their app cost as many queries with many rows as with a few.

Each test grows one list (2 rows, then 6 more) and checks the query count stays the same while
the list really grew. The lists covered elsewhere: people, goals, mentoring, communities and
their members/threads/resources, requests, posts, thanks, commitments, notifications,
moderation queue, webhooks, data exports.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.disputes.actions import do_open_dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.exchange.actions import do_credit, do_share_post
from cairn.learning.actions import (
    do_accept,
    do_log_session,
    do_reflect,
    do_request_relationship,
    do_set_goal,
)
from cairn.ledger.models import Verb
from cairn.matching.actions.programs import do_create_program, do_sign_up
from cairn.matching.builder import build_organisation
from cairn.matching.tasks import queue_build
from cairn.notifications.actions import do_follow
from cairn.people.actions import do_update_profile
from cairn.people.models import User
from cairn.safeguards.actions import do_scan_organisation
from cairn.safeguards.tests.test_pages import make_ring
from cairn.safeguards.tests.test_scan import happened
from cairn.testing import CairnTestCase, make_person
from cairn.trust.models import TrustProfile


def rows_in(body: Any) -> int:
    """Return how many rows an API list answered: a list, a page of ``items``, search's
    ``groups`` or recommendations' mentors and peers."""
    if isinstance(body, list):
        return len(body)
    if "items" in body:
        return len(body["items"])
    if "groups" in body:
        return sum(len(group["items"]) for group in body["groups"])
    return len(body["mentors"]) + len(body["peers"])


class ApiListQueriesTest(CairnTestCase):
    def rows_and_queries(self, path: str) -> tuple[int, int]:
        """Return how many rows ``/api/v1{path}`` lists and how many queries that took."""
        self.client.get(f"/api/v1{path}")  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(f"/api/v1{path}")
        self.assertEqual(response.status_code, 200, response.content)
        return rows_in(response.json()), len(captured.captured_queries)

    def assertQueriesDoNotGrow(  # noqa: N802 (unittest's naming)
        self, path: str, viewer: User, add_rows: Callable[[int], object]
    ) -> None:
        """Assert ``path`` costs the same queries after ``add_rows(6)`` as after ``add_rows(2)``."""
        self.client.force_login(viewer)
        add_rows(2)
        few, queries = self.rows_and_queries(path)
        add_rows(6)
        many, more_queries = self.rows_and_queries(path)
        self.assertGreater(many, few, f"{path} did not list the added rows")
        self.assertEqual(more_queries, queries, f"{path}: {queries} queries, then {more_queries}")

    def newcomers(self, n: int, **profile: Any) -> list[User]:
        start = User.objects.count()
        return [make_person(self.acme, f"Newcomer {start + i}", **profile) for i in range(n)]

    def test_skills(self) -> None:
        self.assertQueriesDoNotGrow(
            "/skills",
            self.bob,
            lambda n: [
                self.newcomers(1, offers=[f"Skill {User.objects.count()}"]) for _ in range(n)
            ],
        )

    def test_the_people_by_trust(self) -> None:
        def add(n: int) -> None:
            for person in self.newcomers(n, title="Trusted", offers=["SQL"]):
                TrustProfile.objects.create(
                    organisation=self.acme, user=person, trust=person.pk / 100, confidence=0.5
                )

        self.assertQueriesDoNotGrow("/people?order=trust&q=Trusted&limit=50", self.bob, add)

    def test_the_feed(self) -> None:
        def add(n: int) -> None:
            for person in self.newcomers(n):
                do_follow(self.bob, person)
                do_set_goal(person, f"Goal of {person.pk}", visibility="organisation")

        self.assertQueriesDoNotGrow("/feed", self.bob, add)

    def test_reflections(self) -> None:
        goal = do_set_goal(self.bob, "Learn SQL", visibility="organisation")
        self.assertQueriesDoNotGrow(
            f"/goals/{goal.pk}/reflections",
            self.bob,
            lambda n: [do_reflect(self.bob, goal, f"Thought {i}") for i in range(n)],
        )

    def test_sessions(self) -> None:
        do_update_profile(self.alice, mentoring_capacity=20)
        goal = do_set_goal(self.bob, "Learn SQL", visibility="partners")
        relationship = do_accept(
            self.alice, do_request_relationship(self.bob, self.alice, "mentoring", goal, "Hi")
        )
        start = timezone.now() - timedelta(days=30)

        def add(n: int) -> None:
            done = relationship.sessions.count()
            for i in range(done, done + n):
                do_log_session(self.alice, relationship, start + timedelta(hours=i), 30)

        self.assertQueriesDoNotGrow(f"/mentoring/{relationship.pk}/sessions", self.bob, add)

    def test_credits(self) -> None:
        post = do_share_post(self.alice, "How we ship", "Notes", skills=["SQL"])
        self.assertQueriesDoNotGrow(
            f"/credits/exchange.post/{post.pk}",
            self.bob,
            lambda n: do_credit(self.alice, post, [(p, "Helped") for p in self.newcomers(n)]),
        )

    def test_programs_and_their_signups(self) -> None:
        now = timezone.now()

        def add_programs(n: int) -> None:
            for _ in range(n):
                do_create_program(
                    self.alice,
                    name=f"Program {User.objects.count()}",
                    opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=30),
                )
                self.newcomers(1)  # a fresh name for the next program

        self.assertQueriesDoNotGrow("/programs", self.bob, add_programs)
        program = do_create_program(
            self.alice,
            name="Spring",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
        )

        def add_signups(n: int) -> None:
            for person in self.newcomers(n):
                do_sign_up(person, program, role="mentee", goal_text="Learn SQL")

        self.assertQueriesDoNotGrow(f"/programs/{program.pk}/signups", self.alice, add_signups)

    def test_disputes_and_evidence(self) -> None:
        def add_evidence(n: int) -> None:
            for person in self.newcomers(n):
                missed_commitment(self.bob, person, f"Deck for {person.pk}")

        self.assertQueriesDoNotGrow("/disputes/evidence", self.bob, add_evidence)

        def add_disputes(n: int) -> None:
            for person in self.newcomers(n):
                _, missed = missed_commitment(self.bob, person, f"Report for {person.pk}")
                do_open_dispute(self.bob, missed, "I sent it.")

        self.assertQueriesDoNotGrow("/disputes", self.bob, add_disputes)

    def test_corrections(self) -> None:
        def add_corrections(n: int) -> None:
            for person in self.newcomers(n):
                for i in range(5):
                    happened(Verb.THANKED, self.bob, person, 10 - i * 0.1)
            do_scan_organisation(self.acme)

        self.assertQueriesDoNotGrow("/safeguards/corrections", self.bob, add_corrections)

    def test_rings(self) -> None:
        self.ring_sizes: list[int] = []

        def add_rings(n: int) -> None:
            for _ in range(n):
                # Rings of distinct sizes (their members' names differ), each within the
                # burst limit.
                make_ring(self.acme, 3 + len(self.ring_sizes))
                self.ring_sizes.append(0)
            do_scan_organisation(self.acme)

        self.assertQueriesDoNotGrow("/safeguards/rings", self.alice, add_rings)

    def test_recommendations(self) -> None:
        do_update_profile(self.bob, wants=["SQL"])
        self.assertQueriesDoNotGrow(
            "/recommendations",
            self.bob,
            lambda n: (
                self.newcomers(n, offers=["SQL"], open_to_mentor=True),
                queue_build(self.acme.pk),
                build_organisation(self.acme.pk),
            ),
        )

    def test_search(self) -> None:
        self.assertQueriesDoNotGrow(
            "/search?q=zebra",
            self.bob,
            lambda n: [
                do_share_post(self.carol, f"Zebra crossing {i}", "Stripes", skills=["SQL"])
                for i in range(n)
            ],
        )

    def test_commitments_kept_and_missed(self) -> None:
        due = timezone.now() - timedelta(days=1)

        def add(n: int) -> None:
            for person in self.newcomers(n):
                commitment = do_commit(
                    self.bob, person, "Send it", due, now=due - timedelta(days=3)
                )
                do_confirm(commitment, person, "kept")

        self.assertQueriesDoNotGrow("/commitments", self.bob, add)
