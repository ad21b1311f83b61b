"""Commitment pages: the list with its form, one commitment, and following it through."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.commitments.models import Commitment
from cairn.commitments.tests.helpers import CommitmentTestCase
from cairn.testing import CairnTestCase


class CommitmentPagesTest(CommitmentTestCase):
    def future_day(self, days: int = 5) -> str:
        return (timezone.now() + timedelta(days=days)).date().isoformat()

    def test_the_list_shows_both_directions(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get("/commitments/")
        self.assertContains(page, "Owed to me")
        self.assertContains(page, "Review the draft")
        self.assertContains(page, "from Bob Baker")

    def test_open_commitments_come_first(self) -> None:
        closed = do_commit(self.bob, self.alice, "Already kept", self.due - timedelta(days=1))
        do_confirm(closed, self.alice, "kept")
        self.client.force_login(self.alice)
        owed = list(self.client.get("/commitments/").context["owed"])
        self.assertEqual([c.text for c in owed], ["Review the draft", "Already kept"])

    def test_making_a_commitment_redirects_to_it_and_a_double_click_makes_one(self) -> None:
        self.client.force_login(self.carol)
        form = {"counterpart": "bob.baker", "text": "Pair on Figma", "due_date": self.future_day()}
        first = self.client.post("/commitments/", form)
        second = self.client.post("/commitments/", form)
        commitment = Commitment.objects.get(committer=self.carol)
        self.assertRedirects(first, commitment.get_absolute_url())
        self.assertRedirects(second, commitment.get_absolute_url())

    def test_bad_input_shows_field_errors(self) -> None:
        self.client.force_login(self.carol)
        past = (timezone.now() - timedelta(days=2)).date().isoformat()
        response = self.client.post(
            "/commitments/", {"counterpart": "bob.baker", "text": "Late", "due_date": past}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("due_date", response.context["form"].errors)

    def test_an_outsider_cannot_be_chosen(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            "/commitments/",
            {"counterpart": "oscar.outsider", "text": "Hi", "due_date": self.future_day()},
        )
        self.assertIn("counterpart", response.context["form"].errors)

    def test_the_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)

        def add() -> None:
            for n in range(5):
                do_commit(self.carol, self.alice, f"Thing {n}", self.due)
                do_commit(self.alice, self.carol, f"Other {n}", self.due)

        self.assertContains(self.assertSameQueries("/commitments/", add), "Other 4")

    def test_the_counterpart_confirms_it_kept_without_js(self) -> None:
        self.client.force_login(self.alice)
        url = self.commitment.get_absolute_url()
        self.assertContains(self.client.get(url), "It was kept")
        response = self.client.post(f"{url}confirm/", {"outcome": "kept"})
        self.assertRedirects(response, url)
        self.commitment.refresh_from_db()
        self.assertEqual(self.commitment.status, "kept")

    def test_htmx_gets_the_new_state_only(self) -> None:
        self.client.force_login(self.alice)
        url = self.commitment.get_absolute_url()
        response = self.client.post(
            f"{url}confirm/", {"outcome": "kept"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="state"')
        self.assertNotContains(response, "<html")

    def test_htmx_gets_a_refusal_it_can_show(self) -> None:
        self.client.force_login(self.bob)
        url = self.commitment.get_absolute_url()
        response = self.client.post(
            f"{url}renegotiate/", {"due_date": self.future_day(9)}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required")

    def test_the_committer_cannot_confirm_and_sees_renegotiation(self) -> None:
        self.client.force_login(self.bob)
        url = self.commitment.get_absolute_url()
        page = self.client.get(url)
        self.assertNotContains(page, "It was kept")
        self.assertContains(page, "Need more time?")
        response = self.client.post(f"{url}confirm/", {"outcome": "kept"})
        self.assertEqual(response.status_code, 403)
        self.commitment.refresh_from_db()
        self.assertTrue(self.commitment.is_open())

    def test_a_bad_or_late_confirmation_shows_the_form_with_the_reason(self) -> None:
        self.client.force_login(self.alice)
        url = f"{self.commitment.get_absolute_url()}confirm/"
        self.assertContains(
            self.client.post(url, {"outcome": "maybe"}), "Select a valid choice", status_code=422
        )
        do_confirm(self.commitment, self.alice, "kept")
        response = self.client.post(url, {"outcome": "missed"})
        self.assertContains(response, "This commitment is already kept.", status_code=409)

    def test_renegotiating_keeps_the_history_on_the_page(self) -> None:
        self.client.force_login(self.bob)
        url = self.commitment.get_absolute_url()
        response = self.client.post(
            f"{url}renegotiate/", {"due_date": self.future_day(9), "reason": "Data came late"}
        )
        self.assertRedirects(response, url)
        self.assertContains(self.client.get(url), "Data came late")

    def test_renegotiating_without_a_reason_is_a_field_error(self) -> None:
        self.client.force_login(self.bob)
        url = self.commitment.get_absolute_url()
        response = self.client.post(f"{url}renegotiate/", {"due_date": self.future_day(9)})
        self.assertEqual(response.status_code, 422)
        self.assertIn("reason", response.context["renegotiate_form"].errors)

    def test_cancelling(self) -> None:
        self.client.force_login(self.alice)
        url = self.commitment.get_absolute_url()
        self.assertRedirects(self.client.post(f"{url}cancel/", {"reason": ""}), url)
        self.commitment.refresh_from_db()
        self.assertEqual(self.commitment.status, "cancelled")

    def test_a_colleague_who_is_not_party_to_it_gets_404(self) -> None:
        self.client.force_login(self.carol)
        url = self.commitment.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"{url}confirm/", {"outcome": "kept"}).status_code, 404)
        self.assertNotContains(self.client.get("/commitments/"), "Review the draft")

    def test_an_outsider_gets_404(self) -> None:
        self.client.force_login(self.oscar)
        url = self.commitment.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"{url}cancel/").status_code, 404)

    def test_a_visitor_is_asked_to_sign_in(self) -> None:
        response = self.client.get("/commitments/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


class WithinIncludeTest(CairnTestCase):
    def test_it_lists_my_commitments_made_within_an_object_and_offers_a_new_one(self) -> None:
        due = timezone.now() + timedelta(days=3)
        earlier = do_commit(self.alice, self.bob, "Send the data", due)
        mine = do_commit(self.bob, self.alice, "Review it", due, context=earlier)
        do_commit(self.alice, self.bob, "Another thing", due, context=earlier)
        request = RequestFactory().get("/")
        request.user = self.bob
        html = render_to_string(
            "commitments/_within.html", {"within": earlier, "to": "alice.archer"}, request
        )
        self.assertIn(mine.text, html)
        self.assertIn("Another thing", html)
        self.assertIn("context=commitments.commitment%3A", html)
        request.user = self.carol
        html = render_to_string("commitments/_within.html", {"within": earlier}, request)
        self.assertNotIn("Review it", html)
