"""Responses to a request come in order of usefulness: accepted, helpful, then earned trust."""

from cairn.exchange.actions import do_ask, do_mark_response, do_respond
from cairn.exchange.models import HelpRequest, Response
from cairn.people.models import User
from cairn.testing import CairnTestCase, make_person
from cairn.trust.models import TrustProfile


class ResponseOrderTest(CairnTestCase):
    dave: User
    help_request: HelpRequest
    from_bob: Response
    from_dave: Response
    from_carol: Response

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dave = make_person(cls.acme, "Dave Dunn")  # no trust computed yet
        TrustProfile.objects.create(organisation=cls.acme, user=cls.bob, trust=0.2)
        TrustProfile.objects.create(organisation=cls.acme, user=cls.carol, trust=0.9)
        cls.help_request = do_ask(cls.alice, "How do I read a query plan?")
        cls.from_bob = do_respond(cls.bob, cls.help_request, "Answer from Bob")
        cls.from_dave = do_respond(cls.dave, cls.help_request, "Answer from Dave")
        cls.from_carol = do_respond(cls.carol, cls.help_request, "Answer from Carol")

    def page_order(self) -> list[str]:
        self.client.force_login(self.alice)
        text = self.client.get(self.help_request.get_absolute_url()).content.decode()
        names = ["Answer from Carol", "Answer from Bob", "Answer from Dave"]
        return sorted(names, key=text.index)

    def api_order(self) -> list[int]:
        self.client.force_login(self.alice)
        body = self.client.get(f"/api/v1/requests/{self.help_request.pk}").json()
        return [r["id"] for r in body["responses"]]

    def test_more_trusted_responders_come_first_and_unknown_last(self) -> None:
        self.assertEqual(
            self.page_order(), ["Answer from Carol", "Answer from Bob", "Answer from Dave"]
        )
        expected = [self.from_carol.pk, self.from_bob.pk, self.from_dave.pk]
        self.assertEqual(self.api_order(), expected)

    def test_the_page_says_why(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.help_request.get_absolute_url())
        self.assertContains(response, "people with more earned trust come first")

    def test_accepted_then_helpful_come_before_trust(self) -> None:
        do_mark_response(self.alice, self.from_dave, helpful=True)
        self.assertEqual(
            self.page_order(), ["Answer from Dave", "Answer from Carol", "Answer from Bob"]
        )
        do_mark_response(self.alice, self.from_bob, accepted=True)
        self.assertEqual(
            self.page_order(), ["Answer from Bob", "Answer from Dave", "Answer from Carol"]
        )
        self.assertEqual(self.api_order()[0], self.from_bob.pk)

    def test_the_order_costs_no_query_per_response(self) -> None:
        self.client.force_login(self.alice)
        url = self.help_request.get_absolute_url()
        queries = self.queries_of(url)
        for i in range(4):
            person = make_person(self.acme, f"Helper {i}")
            TrustProfile.objects.create(organisation=self.acme, user=person, trust=i / 10)
            do_respond(person, self.help_request, f"Answer {i}")
        self.client.get(url)
        with self.assertNumQueries(queries):
            self.client.get(url)
