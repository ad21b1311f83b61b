from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User
from cairn.safeguards.actions import do_review_ring, do_scan_organisation
from cairn.safeguards.models import RingFlag
from cairn.testing import CairnTestCase, make_person
from cairn.trust.adapter import recompute_organisation


def evidence(verb: str, actor: User, subject: User, times: int = 1) -> None:
    with transaction.atomic():
        for _ in range(times):
            record(verb, actor=actor, subject=subject)


def make_ring(org, prefix: str, size: int = 4, rounds: int = 2) -> list[User]:
    members = [make_person(org, f"{prefix} {i}", department="Ring") for i in range(size)]
    for _ in range(rounds):
        for a in members:
            for s in members:
                if a != s:
                    evidence(Verb.THANKED, a, s)
    return members


class InsightsData(CairnTestCase):
    ring: list[User]
    soon: Commitment
    later: Commitment
    overdue: Commitment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Bob helps a lot and is never thanked; carol is thanked for what she gives.
        evidence(Verb.HELPED, cls.bob, cls.carol, 4)
        evidence(Verb.RESPONDED, cls.bob, cls.alice, 3)
        evidence(Verb.HELPED, cls.carol, cls.alice, 5)
        evidence(Verb.THANKED, cls.alice, cls.carol, 3)
        evidence(Verb.KEPT, cls.alice, cls.bob, 2)
        cls.ring = make_ring(cls.acme, "Ringo")
        now = timezone.now()
        cls.soon = do_commit(cls.bob, cls.alice, "Send the figures", now + timedelta(days=1))
        cls.later = do_commit(cls.bob, cls.alice, "Write the plan", now + timedelta(days=20))
        cls.overdue = do_commit(
            cls.carol, cls.bob, "Fix the logo", now - timedelta(days=1), now=now - timedelta(5)
        )
        do_scan_organisation(cls.acme)
        recompute_organisation(cls.acme)


class InsightsTest(InsightsData):
    def get(self, user: User):
        self.client.force_login(user)
        return self.client.get("/insights/")

    def test_an_admin_sees_every_section(self) -> None:
        response = self.get(self.alice)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<svg class="chart', count=2)
        self.assertContains(response, '<th scope="row">Data</th>', html=False)
        self.assertContains(response, "helped, answered or mentored 7 times")
        self.assertContains(response, "Send the figures")
        self.assertContains(response, "Fix the logo")
        self.assertContains(response, "overdue since")
        self.assertNotContains(response, "Write the plan")
        self.assertContains(response, "4 accounts thanked, credited or rated each other 24 times")
        self.assertContains(response, "and nobody else did")
        for member in self.ring:
            self.assertContains(response, member.profile.name)

    def test_a_dismissed_ring_leaves_the_list(self) -> None:
        do_review_ring(self.alice, RingFlag.objects.get(), RingFlag.Status.DISMISSED)
        response = self.get(self.alice)
        self.assertNotContains(response, "4 accounts thanked")
        self.assertContains(response, "No group of accounts")

    def test_a_generous_person_who_is_thanked_is_not_listed(self) -> None:
        response = self.get(self.alice)
        self.assertNotContains(response, "Carol Chen</a> (Design) helped")

    def test_members_are_refused(self) -> None:
        self.assertEqual(self.get(self.bob).status_code, 403)

    def test_an_outsider_sees_nothing_of_acme(self) -> None:
        response = self.get(self.oscar)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Ringo", status_code=403)

    def test_an_admin_of_another_organisation_sees_only_their_own(self) -> None:
        boss = make_person(self.globex, "Gina Globex", User.Role.ADMIN)
        response = self.get(boss)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Ringo")
        self.assertNotContains(response, "Send the figures")
        self.assertContains(response, "No group of accounts")

    def test_visitors_are_sent_to_sign_in(self) -> None:
        self.assertEqual(self.client.get("/insights/").status_code, 302)

    def test_the_nav_shows_insights_to_admins_only(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/home/"), 'href="/insights/"')
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get("/home/"), 'href="/insights/"')

    def test_the_page_keeps_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        self.client.get("/insights/")
        with self.assertNumQueries(self.count_queries()):
            self.client.get("/insights/")
        make_ring(self.acme, "Second", size=3)
        for i in range(4):
            helper = make_person(self.acme, f"Helper {i}", department=f"Dept {i}")
            evidence(Verb.HELPED, helper, self.bob, 6)
            do_commit(helper, self.bob, f"Thing {i}", timezone.now() + timedelta(hours=5))
        do_scan_organisation(self.acme)
        recompute_organisation(self.acme)
        with self.assertNumQueries(self.count_queries()):
            response = self.client.get("/insights/")
        self.assertContains(response, "Helper 3")
        self.assertContains(response, "3 accounts thanked")

    def count_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/insights/")
        return len(ctx.captured_queries)


class InsightsApiTest(InsightsData):
    def test_the_api_gives_the_same_insights(self) -> None:
        self.client.force_login(self.alice)
        body = self.client.get("/api/v1/insights").json()
        self.assertEqual({d["name"] for d in body["departments"]} >= {"Data", "Design"}, True)
        self.assertIn("integrity", "".join(body["departments"][0]["dimensions"]).lower())
        helpers = {h["handle"]: h for h in body["under_recognised"]}
        self.assertEqual(helpers[self.bob.profile.handle]["given"], 7)
        self.assertEqual(len(body["suspected_rings"]), 1)
        self.assertEqual(body["suspected_rings"][0]["internal"], 24)
        texts = {c["text"] for c in body["commitments_at_risk"]}
        self.assertEqual(texts, {"Send the figures", "Fix the logo"})

    def test_the_api_refuses_members_and_outsiders(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/api/v1/insights").status_code, 403)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get("/api/v1/insights").status_code, 403)


class PoorRatingsAreNoPraiseTest(CairnTestCase):
    def test_a_group_rating_each_other_poorly_is_no_ring(self) -> None:
        members = [make_person(self.acme, f"Critic {i}") for i in range(3)]
        with transaction.atomic():
            for _ in range(3):
                for a in members:
                    for s in members:
                        if a != s:
                            record(Verb.RATED, actor=a, subject=s, value=-0.5)
        from cairn.insights.queries import suspected_rings

        do_scan_organisation(self.acme)
        self.assertEqual(suspected_rings(self.acme.pk), [])
