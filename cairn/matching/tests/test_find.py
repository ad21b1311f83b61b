"""Find a mentor, peer or community: the adapter's exclusions and reasons, the pages and API."""

from cairn.communities.actions import do_archive, do_create_community
from cairn.communities.models import Community
from cairn.exchange.actions import do_ask, do_respond
from cairn.learning.actions import do_decline, do_request_relationship, do_set_goal
from cairn.learning.models import Goal
from cairn.matching import adapter, indexes
from cairn.matching.builder import build_organisation
from cairn.matching.tasks import queue_build
from cairn.matching.tests.helpers import make_dan
from cairn.people.actions import do_update_profile
from cairn.people.models import User
from cairn.testing import CairnTestCase, make_person


class FindTestCase(CairnTestCase):
    """Acme with mentors for SQL (alice, fay) and public speaking (dan), peers and circles."""

    dan: User
    fay: User
    gus: User
    circle: Community
    old_circle: Community
    goal: Goal

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dan = make_dan(cls.acme, languages=["en", "de"])
        cls.fay = make_person(
            cls.acme,
            "Fay Fisher",
            title="Data Engineer",
            department="Platform",
            offers=["SQL performance tuning", "Data modelling"],
            timezone="Europe/London",
        )
        cls.gus = make_person(
            cls.acme, "Gus Green", title="Analyst", department="Finance", wants=["SQL queries"]
        )
        cls.circle = do_create_community(
            cls.carol, "SQL circle", "We review each other's SQL queries every Friday."
        )
        cls.old_circle = do_create_community(cls.carol, "Old SQL club", "SQL queries, archived.")
        do_archive(cls.carol, cls.old_circle)
        do_create_community(cls.oscar, "Globex SQL guild", "Secret SQL queries.")
        cls.goal = do_set_goal(cls.bob, "Write good SQL queries", skills=["SQL"])

    def setUp(self) -> None:
        indexes.forget()
        self.rebuild()

    def rebuild(self) -> None:
        """Note a change and build both organisations' indexes, as the worker does after one
        (a test's transaction never commits, so its events queue nothing)."""
        for organisation in (self.acme, self.globex):
            queue_build(organisation.pk)
            build_organisation(organisation.pk)


class RecommendationsTest(FindTestCase):
    def names(self, found, mode):
        return [s.profile.name if s.profile else s.community.name for s in found[mode]]

    def test_mentors_who_offer_the_skill_come_first_with_reasons(self) -> None:
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        mentors = self.names(found, "mentor")
        self.assertIn(mentors[0], {"Alice Archer", "Fay Fisher"})
        self.assertNotIn("Bob Baker", mentors)
        first = found["mentor"][0]
        self.assertTrue(first.reasons[0].startswith("offers"))
        self.assertTrue(any("slot" in r for r in first.reasons))

    def test_peers_are_growing_the_same_skill(self) -> None:
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        self.assertEqual(self.names(found, "peer")[0], "Gus Green")
        self.assertTrue(found["peer"][0].reasons[0].startswith("is also learning"))

    def test_communities_are_open_to_the_seeker_and_not_archived(self) -> None:
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        self.assertEqual(self.names(found, "community"), ["SQL circle"])

    def test_the_manager_chain_is_never_recommended(self) -> None:
        do_update_profile(self.bob, manager=self.fay.profile)
        do_update_profile(self.fay, manager=self.alice.profile)
        self.rebuild()
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        mentors = self.names(found, "mentor")
        self.assertNotIn("Fay Fisher", mentors)
        self.assertNotIn("Alice Archer", mentors)

    def test_full_mentors_are_left_out(self) -> None:
        do_update_profile(self.fay, mentoring_capacity=0)
        self.rebuild()
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        self.assertNotIn("Fay Fisher", self.names(found, "mentor"))

    def test_people_who_declined_recently_are_left_out(self) -> None:
        request = do_request_relationship(self.bob, self.fay, "mentoring", self.goal, "Help?")
        do_decline(self.fay, request, "Full this quarter, sorry.")
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        self.assertNotIn("Fay Fisher", self.names(found, "mentor"))
        self.assertIn("Fay Fisher", self.names(adapter.recommendations(self.gus, "SQL"), "mentor"))

    def test_nothing_from_another_organisation(self) -> None:
        found = adapter.recommendations(self.oscar, "SQL queries")
        self.assertEqual(self.names(found, "mentor"), [])
        self.assertEqual(self.names(found, "community"), ["Globex SQL guild"])

    def test_reasons_carry_what_the_ledger_knows(self) -> None:
        for n in range(3):
            request = do_ask(self.gus, f"How do I join these tables, take {n}?")
            do_respond(self.fay, request, "Use a left join.")
        self.rebuild()
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        fay = next(s for s in found["mentor"] if s.profile.user_id == self.fay.pk)
        self.assertIn("answered 3 requests", fay.reasons)

    def test_earned_trust_counts_as_sure_as_the_trust_engine_is(self) -> None:
        from cairn.trust.models import TrustProfile

        TrustProfile.objects.update_or_create(
            user=self.fay,
            defaults={
                "organisation": self.acme,
                "trust": 0.9,
                "confidence": 1.0,
                "responsiveness": 0.1,
                "responsiveness_confidence": 0.5,
            },
        )
        trust, responsiveness = adapter.trust_figures(self.acme.pk)[self.fay.pk]
        self.assertAlmostEqual(trust, 0.9)
        self.assertAlmostEqual(responsiveness, 0.3)
        self.rebuild()
        found = adapter.recommendations(self.bob, adapter.goal_text(self.goal))
        fay = next(s for s in found["mentor"] if s.profile.user_id == self.fay.pk)
        self.assertIn("well trusted by colleagues", fay.reasons)

    def test_trust_figures_are_neutral_without_evidence(self) -> None:
        figures = adapter.trust_figures(self.acme.pk)
        trust, responsiveness = figures.get(self.alice.pk, (0.5, 0.5))
        self.assertAlmostEqual(trust, 0.5, delta=0.5)
        self.assertTrue(0 <= responsiveness <= 1)


class FindPageTest(FindTestCase):
    def test_the_goal_page_offers_to_find_help(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/goals/{self.goal.pk}/")
        self.assertContains(response, f"/match/goals/{self.goal.pk}/")

    def test_the_owner_sees_mentors_peers_and_communities_with_reasons(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/match/goals/{self.goal.pk}/")
        self.assertContains(response, "Mentors and coaches")
        self.assertContains(response, "Fay Fisher")
        self.assertContains(response, "Gus Green")
        self.assertContains(response, "SQL circle")
        self.assertContains(response, "mentoring slot")
        self.assertContains(response, f"/mentoring/ask/{self.fay.profile.handle}/")
        self.assertNotContains(response, "Globex")

    def test_others_cannot_look_for_help_on_someone_elses_goal(self) -> None:
        for person in (self.alice, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(f"/match/goals/{self.goal.pk}/").status_code, 404)

    def test_from_my_wanted_skills(self) -> None:
        self.client.force_login(self.gus)
        skill = self.gus.profile.wants.get()
        response = self.client.get("/match/", {"skill": skill.pk})
        self.assertContains(response, "Fay Fisher")
        self.assertContains(response, 'aria-current="page">SQL queries')

    def test_someone_who_wants_nothing_yet_is_invited_to_say_what(self) -> None:
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/match/"), "Add the skills you want to grow")

    def test_the_page_keeps_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.bob)
        url = f"/match/goals/{self.goal.pk}/"
        expected = self.queries_of(url)
        for n in range(6):
            make_person(self.acme, f"Mentor {n}", offers=["SQL"], department=f"Team {n}")
            do_create_community(self.alice, f"SQL table {n}", "SQL")
        self.rebuild()
        self.client.get(url)
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertContains(response, "Mentor ")


class FindApiTest(FindTestCase):
    def test_recommendations_for_my_goal(self) -> None:
        self.client.force_login(self.bob)
        data = self.client.get(f"/api/v1/goals/{self.goal.pk}/recommendations").json()
        self.assertIn("Fay Fisher", [m["name"] for m in data["mentors"]])
        self.assertEqual(data["peers"][0]["handle"], self.gus.profile.handle)
        self.assertEqual(data["communities"][0]["community_id"], self.circle.pk)
        self.assertTrue(all(m["reasons"] for m in data["mentors"]))

    def test_nobody_else_gets_recommendations_for_my_goal(self) -> None:
        for person in (self.alice, self.oscar):
            self.client.force_login(person)
            response = self.client.get(f"/api/v1/goals/{self.goal.pk}/recommendations")
            self.assertEqual(response.status_code, 404)

    def test_recommendations_for_my_wanted_skills(self) -> None:
        self.client.force_login(self.gus)
        data = self.client.get("/api/v1/recommendations").json()
        self.assertEqual(data["goal"], "SQL queries")
        self.assertIn("Fay Fisher", [m["name"] for m in data["mentors"]])
        response = self.client.get("/api/v1/recommendations", {"skill": 999999})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "skill"])

    def test_visitors_must_sign_in(self) -> None:
        response = self.client.get(f"/api/v1/goals/{self.goal.pk}/recommendations")
        self.assertEqual(response.status_code, 401)
