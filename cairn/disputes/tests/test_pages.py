from cairn.disputes.actions import do_open_dispute
from cairn.disputes.models import Dispute
from cairn.disputes.tests.helpers import MissedCommitmentCase, missed_commitment
from cairn.ledger.models import Event, Verb


class DisputePagesTest(MissedCommitmentCase):
    def test_the_commitment_page_offers_dispute_this_to_the_committer_only(self) -> None:
        url = f"/commitments/{self.commitment.pk}/"
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(url), f"/disputes/commitment/{self.commitment.pk}/")
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(url), "Dispute this")

    def test_dispute_this_leads_to_the_form_and_opens_one_dispute(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(f"/disputes/commitment/{self.commitment.pk}/", follow=True)
        self.assertContains(response, "Review the deck")
        self.assertContains(response, "the colleague who marked it")
        url = f"/disputes/new/{self.missed.pk}/"
        self.client.post(url, {"reason": "I sent it on Friday."})
        response = self.client.post(url, {"reason": "I sent it on Friday."}, follow=True)
        self.assertEqual(Dispute.objects.count(), 1)
        self.assertContains(response, "Waiting for review")

    def test_a_missing_reason_is_a_form_error(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(f"/disputes/new/{self.missed.pk}/", {"reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "errorlist", status_code=422)
        self.assertFalse(Dispute.objects.exists())

    def test_nobody_else_can_dispute_bobs_evidence(self) -> None:
        for user in (self.carol, self.alice, self.oscar):
            self.client.force_login(user)
            response = self.client.post(f"/disputes/new/{self.missed.pk}/", {"reason": "x"})
            self.assertEqual(response.status_code, 404)
            response = self.client.get(f"/disputes/commitment/{self.commitment.pk}/")
            self.assertEqual(response.status_code, 404)

    def test_the_list_shows_what_bob_can_dispute_without_naming_the_rater(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/disputes/")
        self.assertContains(response, "Review the deck")
        self.assertContains(response, "The rating on a response")
        self.assertNotContains(response, "Carol Chen")

    def test_the_reviewer_overturns_it_on_the_page(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/disputes/"), "Waiting for your review")
        response = self.client.get(dispute.get_absolute_url())
        self.assertContains(response, "Your decision")
        response = self.client.post(
            f"/disputes/{dispute.pk}/resolve/",
            {"outcome": "overturned", "reason": "Found it in my inbox."},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Overturned")
        self.assertNotContains(response, "<html")
        self.assertEqual(Event.objects.filter(verb=Verb.DISPUTE_RESOLVED).count(), 1)

    def test_a_bad_review_is_a_form_error(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.carol)
        response = self.client.post(f"/disputes/{dispute.pk}/resolve/", {"outcome": "maybe"})
        self.assertContains(response, "errorlist", status_code=422)
        dispute.refresh_from_db()
        self.assertTrue(dispute.is_open())

    def test_a_second_review_is_refused_with_the_decided_dispute_shown(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.carol)
        url = f"/disputes/{dispute.pk}/resolve/"
        first = self.client.post(url, {"outcome": "overturned", "reason": "Found it."})
        self.assertRedirects(first, dispute.get_absolute_url())
        second = self.client.post(url, {"outcome": "upheld", "reason": "On second thought."})
        self.assertContains(second, "already been reviewed", status_code=409)
        self.assertContains(second, "Overturned", status_code=409)

    def test_the_person_disputing_cannot_decide(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(dispute.get_absolute_url()), "Your decision")
        response = self.client.post(
            f"/disputes/{dispute.pk}/resolve/", {"outcome": "overturned", "reason": "mine"}
        )
        self.assertContains(response, "Only the reviewer or an admin", status_code=403)

    def test_a_rating_dispute_is_hidden_from_the_rater_and_shown_to_admins(self) -> None:
        dispute = do_open_dispute(self.bob, self.rated, "We never worked together.")
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(dispute.get_absolute_url()).status_code, 404)
        self.client.force_login(self.alice)
        response = self.client.get(dispute.get_absolute_url())
        self.assertContains(response, "Your decision")
        self.assertNotContains(response, "Carol Chen")

    def test_outsiders_and_visitors_see_nothing(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(dispute.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get("/disputes/"), "Review the deck")
        self.client.logout()
        self.assertEqual(self.client.get("/disputes/").status_code, 302)

    def test_the_list_keeps_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.alice)
        do_open_dispute(self.bob, self.missed, "I sent it.")

        def add() -> None:
            for i in range(3):
                _, missed = missed_commitment(self.carol, self.bob, f"Thing {i}")
                do_open_dispute(self.carol, missed, "Not fair")

        self.assertContains(self.assertSameQueries("/disputes/", add), "Thing 2")


class DisputeApiTest(MissedCommitmentCase):
    def test_a_person_disputes_and_the_counterpart_overturns_through_the_api(self) -> None:
        self.client.force_login(self.bob)
        evidence = self.client.get("/api/v1/disputes/evidence").json()
        self.assertEqual([e["event"] for e in evidence], [self.rated.pk, self.missed.pk])
        body = {"event": self.missed.pk, "reason": "I sent it."}
        first = self.client.post("/api/v1/disputes", body, content_type="application/json")
        second = self.client.post("/api/v1/disputes", body, content_type="application/json")
        self.assertEqual(first.status_code, 201)
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(first.json()["reviewer"], self.carol.profile.handle)
        dispute_id = first.json()["id"]
        self.client.force_login(self.carol)
        response = self.client.post(
            f"/api/v1/disputes/{dispute_id}/resolve",
            {"outcome": "overturned", "reason": "Found it."},
            content_type="application/json",
        )
        self.assertEqual(response.json()["status"], "overturned")

    def test_bad_input_is_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            "/api/v1/disputes",
            {"event": self.missed.pk, "reason": " "},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "reason"])
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.carol)
        response = self.client.post(
            f"/api/v1/disputes/{dispute.pk}/resolve",
            {"outcome": "maybe", "reason": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "outcome"])

    def test_outsiders_get_404(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/api/v1/disputes/{dispute.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/disputes").json(), [])
        response = self.client.post(
            "/api/v1/disputes",
            {"event": self.missed.pk, "reason": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)
        response = self.client.post(
            f"/api/v1/disputes/{dispute.pk}/resolve",
            {"outcome": "overturned", "reason": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 404)


class DisputeNotificationTest(MissedCommitmentCase):
    def test_the_reviewer_is_asked_and_the_disputer_told_the_outcome(self) -> None:
        from cairn.disputes.actions import do_resolve_dispute

        with self.captureOnCommitCallbacks(execute=True):
            dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        with self.captureOnCommitCallbacks(execute=True):
            do_resolve_dispute(dispute, self.carol, "upheld", "It came late.")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get("/notifications/"), "asks you to review it")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/notifications/"), "reviewed your dispute")


class CommitmentPageDisputeTest(MissedCommitmentCase):
    def test_both_people_see_that_the_miss_is_disputed_and_how_it_went(self) -> None:
        dispute = do_open_dispute(self.bob, self.missed, "I sent it.")
        for user in (self.bob, self.carol):
            self.client.force_login(user)
            response = self.client.get(f"/commitments/{self.commitment.pk}/")
            self.assertContains(response, "This miss was disputed")
            self.assertContains(response, dispute.get_absolute_url())
            self.assertNotContains(response, "Dispute this")


class RatingDisputeNotificationTest(MissedCommitmentCase):
    def test_admins_are_asked_to_review_a_rating_dispute_and_the_rater_is_not_told(self) -> None:
        dispute = do_open_dispute(self.bob, self.rated, "We never worked together.")
        self.client.force_login(self.alice)
        response = self.client.get("/notifications/")
        self.assertContains(response, "Bob Baker disputes a rating they received")
        self.assertEqual(self.alice.notifications.get().url, dispute.get_absolute_url())
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get("/notifications/"), "dispute")
