"""Feedback pages: giving feedback from a context, and my own aggregated view."""

from datetime import timedelta

from django.urls import reverse

from cairn.learning.actions import (
    do_give_feedback,
    feedback_url,
)
from cairn.learning.models import Feedback
from cairn.learning.tests.helpers import GOOD, SessionTestCase, group_session
from cairn.testing import CairnTestCase, make_person


class FeedbackPageTest(SessionTestCase):
    goal_visibility = "organisation"
    held_ago = timedelta(hours=3)
    url: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = feedback_url(cls.session, cls.alice)

    def test_feedback_url_names_the_context_and_the_receiver(self) -> None:
        self.assertEqual(self.url, f"/feedback/learning.session/{self.session.pk}/alice.archer/")

    def test_a_member_gives_feedback_once_on_a_double_click(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), "never sees your name")
        data = {**GOOD, "comment": "Patient"}
        response = self.client.post(self.url, data)
        self.client.post(self.url, data)
        self.assertRedirects(
            response, self.session.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(Feedback.objects.count(), 1)

    def test_feedback_already_given_shows_as_sent_not_as_a_blank_form(self) -> None:
        do_give_feedback(self.bob, self.alice, self.session, GOOD, "Patient")
        self.client.force_login(self.bob)
        page = self.client.get(self.url)
        self.assertContains(page, "You sent Alice Archer feedback on")
        self.assertContains(page, "<dt>Helpfulness</dt><dd>5 of 5</dd>", html=True)
        self.assertContains(page, "Patient")
        self.assertNotContains(page, '<form method="post" class="card"')
        relationship = self.client.get(self.rel.get_absolute_url())
        self.assertContains(relationship, "Feedback sent to Alice Archer")
        self.assertNotContains(relationship, f'href="{self.url}"')

    def test_a_missing_score_is_a_field_error(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {**GOOD, "presence": ""})
        self.assertContains(response, "This field is required", status_code=422)
        self.assertFalse(Feedback.objects.exists())

    def test_non_members_outsiders_and_odd_contexts_get_404(self) -> None:
        for person in (self.carol, self.oscar, self.alice):  # alice cannot rate herself
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url).status_code, 404, person)
        self.client.force_login(self.bob)
        odd = reverse("feedback", args=["people.profile", self.alice.profile.pk, "alice.archer"])
        self.assertEqual(self.client.get(odd).status_code, 404)
        early = reverse("feedback", args=["learning.relationship", self.rel.pk, "alice.archer"])
        self.assertEqual(self.client.get(early).status_code, 404)  # not completed yet


class MyFeedbackPageTest(CairnTestCase):
    def test_it_shows_averages_only_from_three_and_never_names(self) -> None:
        dan = make_person(self.acme, "Dan Dunn")
        session = group_session(self.alice, [self.bob, self.carol, dan])
        self.client.force_login(self.alice)
        for n, person in enumerate((self.bob, self.carol, dan)):
            response = self.client.get(reverse("my_feedback"))
            self.assertNotContains(response, "Helpfulness")
            do_give_feedback(person, self.alice, session, GOOD, f"comment {n}")
        response = self.client.get(reverse("my_feedback"))
        self.assertContains(response, "5.0 of 5")
        self.assertContains(response, "comment 1")
        for name in ("Bob", "Carol", "Dan"):
            self.assertNotContains(response, name)

    def test_nobody_else_sees_my_feedback(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("my_feedback"))
        self.assertContains(response, "No feedback yet")


class ResponseFeedbackTest(CairnTestCase):
    """An accepted response to a request for help (exchange.Response, held generically)."""

    def test_asker_and_responder_rate_each_other_once_accepted(self) -> None:
        from cairn.exchange.actions import do_ask, do_mark_response, do_respond

        help_request = do_ask(self.bob, "How do I index this table?")
        response = do_respond(self.carol, help_request, "Add a composite index.")
        url = feedback_url(response, self.carol)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)  # not accepted yet
        do_mark_response(self.bob, response, accepted=True)
        self.assertContains(self.client.get(url), "Feedback for Carol Chen")
        self.client.post(url, {**GOOD, "comment": "Spot on"})
        feedback = Feedback.objects.get()
        self.assertEqual((feedback.giver, feedback.receiver), (self.bob, self.carol))
        self.assertEqual(feedback.context, response)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 404)
