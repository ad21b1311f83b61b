from typing import Any

from django.urls import reverse

from cairn.ledger.models import Verb
from cairn.safeguards.actions import do_scan_organisation
from cairn.safeguards.models import RingFlag
from cairn.safeguards.tests.test_scan import happened
from cairn.testing import CairnTestCase, make_person


def make_ring(organisation, size: int = 3) -> list:  # noqa: ANN001
    ring = [make_person(organisation, f"Ring {organisation.slug} {n} {size}") for n in range(size)]
    for day in range(4):
        for a in ring:
            for b in ring:
                if a != b:
                    happened(Verb.THANKED, a, b, 24 * day + 1)
    return ring


class CorrectionsPageTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(10):
            happened(Verb.THANKED, cls.bob, cls.carol, 10 - i * 0.1)
        do_scan_organisation(cls.acme)

    def test_both_people_concerned_see_the_correction_and_why(self):
        for person, words in (
            (self.bob, "you gave Carol Chen"),
            (self.carol, "Bob Baker gave you"),
        ):
            self.client.force_login(person)
            response = self.client.get(reverse("corrections"))
            self.assertContains(response, "7 thanks")
            self.assertContains(response, words)
            self.assertContains(response, "many from the same person to the same person")

    def test_others_see_an_inviting_empty_page(self):
        for person in (self.alice, self.oscar):
            self.client.force_login(person)
            response = self.client.get(reverse("corrections"))
            self.assertContains(response, "Nothing has been corrected")

    def test_visitors_are_asked_to_sign_in(self):
        self.assertEqual(self.client.get(reverse("corrections")).status_code, 302)


class RingPagesTest(CairnTestCase):
    members: list[Any]
    flag: RingFlag

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.members = make_ring(cls.acme)
        do_scan_organisation(cls.acme)
        cls.flag = RingFlag.objects.get()

    def test_admins_see_the_rings_of_their_organisation(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("rings"))
        self.assertContains(response, self.members[0].profile.name)
        response = self.client.get(reverse("ring", args=[self.flag.pk]))
        self.assertContains(response, "Praise from inside")

    def test_members_and_outsiders_get_a_404(self):
        for person in (self.bob, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("rings")).status_code, 404)
            url = reverse("ring", args=[self.flag.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.post(url, {"status": "dismissed"}).status_code, 404)
        self.flag.refresh_from_db()
        self.assertTrue(self.flag.is_open())

    def test_an_admin_reviews_a_ring_and_a_double_submission_records_once(self):
        self.client.force_login(self.alice)
        url = reverse("ring", args=[self.flag.pk])
        for _ in range(2):
            response = self.client.post(url, {"status": "dismissed", "note": "New team"})
            self.assertRedirects(response, url)
        self.flag.refresh_from_db()
        self.assertEqual(self.flag.status, "dismissed")
        from cairn.ledger.models import Event

        self.assertEqual(Event.objects.filter(verb=Verb.RING_REVIEWED).count(), 1)

    def test_a_review_without_a_decision_shows_a_field_error(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("ring", args=[self.flag.pk]), {"status": "maybe"})
        self.assertContains(response, "Select a valid choice", status_code=422)

    def test_the_list_takes_constant_queries(self):
        self.client.force_login(self.alice)

        def add() -> None:
            make_ring(self.acme, 4)
            make_ring(self.acme, 5)
            do_scan_organisation(self.acme)
            self.assertEqual(RingFlag.objects.count(), 3)

        self.assertSameQueries(reverse("rings"), add)


class CorrectionsQueriesTest(CairnTestCase):
    def test_the_corrections_page_takes_constant_queries(self):
        for i in range(5):
            happened(Verb.THANKED, self.bob, self.carol, 10 - i * 0.1)
        do_scan_organisation(self.acme)
        self.client.force_login(self.bob)

        def add() -> None:
            for i in range(5):
                happened(Verb.THANKED, self.bob, self.alice, 10 - i * 0.1)
                happened(Verb.CREDITED, self.carol, self.bob, 10 - i * 0.1)
            do_scan_organisation(self.acme)

        self.assertContains(self.assertSameQueries(reverse("corrections"), add), "2 credits")
