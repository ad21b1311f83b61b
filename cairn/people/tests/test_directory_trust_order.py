"""The directory can list the most trusted first, on the page and in the API."""

from cairn.testing import CairnTestCase, make_person
from cairn.trust.models import TrustProfile


class DirectoryTrustOrderTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        TrustProfile.objects.create(organisation=cls.acme, user=cls.alice, trust=0.5)
        TrustProfile.objects.create(organisation=cls.acme, user=cls.carol, trust=0.9)
        # bob has no trust profile yet: a newcomer comes last.

    def names_on_page(self, **params: str) -> list[str]:
        self.client.force_login(self.alice)
        text = self.client.get("/people/", params).content.decode()
        names = ["Alice Archer", "Bob Baker", "Carol Chen"]
        return sorted(names, key=text.index)

    def test_by_default_people_are_listed_by_name(self) -> None:
        self.assertEqual(self.names_on_page(), ["Alice Archer", "Bob Baker", "Carol Chen"])

    def test_most_trusted_first_puts_newcomers_last(self) -> None:
        self.assertEqual(
            self.names_on_page(order="trust"), ["Carol Chen", "Alice Archer", "Bob Baker"]
        )

    def test_the_page_explains_the_order_and_offers_the_choice(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/people/", {"order": "trust"})
        self.assertContains(response, "People with more earned trust come first")
        self.assertContains(response, '<option value="trust" selected>')
        self.assertNotContains(self.client.get("/people/"), "earned trust come first")

    def test_each_card_shows_trust_in_words_then_on_the_one_scale(self) -> None:
        TrustProfile.objects.filter(user=self.carol).update(confidence=1.0)
        self.client.force_login(self.bob)
        response = self.client.get("/people/", {"order": "trust"})
        standing = TrustProfile.objects.get(user=self.carol).standing()
        self.assertContains(response, f"Trust: <strong>{standing}</strong> · 90 of 100")
        self.assertContains(response, "Trust: <strong>not yet known</strong></p>", count=2)
        self.acme.show_trust_numbers = False
        self.acme.save(update_fields=["show_trust_numbers"])
        response = self.client.get("/people/", {"order": "trust"})
        self.assertContains(response, f"Trust: <strong>{standing}</strong></p>")
        self.assertNotContains(response, "of 100")

    def test_an_unknown_order_falls_back_to_names(self) -> None:
        self.assertEqual(
            self.names_on_page(order="salary"), ["Alice Archer", "Bob Baker", "Carol Chen"]
        )

    def test_the_api_orders_by_trust_and_refuses_unknown_orders(self) -> None:
        self.client.force_login(self.bob)
        items = self.client.get("/api/v1/people", {"order": "trust"}).json()["items"]
        self.assertEqual([i["handle"] for i in items], ["carol.chen", "alice.archer", "bob.baker"])
        response = self.client.get("/api/v1/people", {"order": "salary"})
        self.assertEqual(response.status_code, 422)

    def test_outsiders_see_nobody_of_acme_in_either_order(self) -> None:
        self.client.force_login(self.oscar)
        items = self.client.get("/api/v1/people", {"order": "trust"}).json()["items"]
        self.assertEqual([i["handle"] for i in items], ["oscar.outsider"])
        self.assertNotContains(self.client.get("/people/", {"order": "trust"}), "Carol Chen")

    def test_trust_order_costs_no_query_per_person(self) -> None:
        self.client.force_login(self.alice)

        def add() -> None:
            for i in range(5):
                person = make_person(self.acme, f"Extra {i}", department=f"D{i}", offers=["Go"])
                TrustProfile.objects.create(organisation=self.acme, user=person, trust=i / 10)

        self.assertContains(self.assertSameQueries("/people/?order=trust", add), "Extra 4")
