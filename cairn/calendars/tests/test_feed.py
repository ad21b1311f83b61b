"""A person's calendar subscription: a secret link, their sessions and commitments, nothing else."""

from datetime import datetime, timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone

from cairn.calendars.actions import do_create_calendar_feed, do_revoke_calendar_feed
from cairn.calendars.models import CalendarFeed
from cairn.commitments.actions import do_commit
from cairn.commitments.models import Commitment
from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.models import Relationship
from cairn.ledger.models import Event, Verb
from cairn.testing import CairnTestCase, mentoring


class CalendarFeedTest(CairnTestCase):
    rel: Relationship
    when: datetime
    promise: Commitment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rel = mentoring(cls.bob, cls.alice)
        cls.when = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
        do_log_session(cls.bob, cls.rel, cls.when, 45, "Window functions", "Bob-private-note")
        old = cls.when - timedelta(days=200)
        do_log_session(cls.bob, cls.rel, old, 30, "Long ago", "")
        due = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
        cls.promise = do_commit(cls.bob, cls.alice, "Send the query plan", due)
        do_commit(cls.carol, cls.alice, "Carol-only promise", due)
        # Carol's own relationship, which Bob must not see in his calendar.
        carols_goal = do_set_goal(cls.carol, "Sketch faster", visibility="private")
        other = do_request_relationship(cls.carol, cls.alice, "peer", carols_goal, "Pair?")
        do_accept(cls.alice, other)
        do_log_session(cls.carol, other, cls.when, 60, "Carol-and-Alice-only", "")

    def feed_of(self, key: str):
        return self.client.get(reverse("calendar_feed", args=[key]))

    def test_the_feed_holds_my_sessions_and_commitments_and_parses(self) -> None:
        _, key = do_create_calendar_feed(self.bob)
        response = self.feed_of(key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        cal = icalendar.Calendar.from_ical(response.content)
        events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
        session = events["Mentoring: Bob Baker & Alice Archer"]
        self.assertEqual(session.decoded("dtstart"), self.when)
        self.assertEqual(str(session["description"]), "Window functions")
        due = events["Due to Alice Archer: Send the query plan"]
        self.assertEqual(due.decoded("dtstart"), self.promise.due_at)
        self.assertEqual(len(due.walk("VALARM")), 1)
        self.assertEqual(len(events), 2)  # nothing from 200 days ago, nothing of Carol's
        text = response.content.decode()
        for secret in ("Bob-private-note", "Carol-only promise", "Carol-and-Alice-only"):
            self.assertNotIn(secret, text)

    def test_the_counterpart_sees_a_promise_made_to_them(self) -> None:
        _, key = do_create_calendar_feed(self.alice)
        cal = icalendar.Calendar.from_ical(self.feed_of(key).content)
        summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
        self.assertIn("Bob Baker promised: Send the query plan", summaries)
        self.assertIn("Carol Chen promised: Carol-only promise", summaries)

    def test_only_the_hash_of_the_key_is_kept(self) -> None:
        feed, key = do_create_calendar_feed(self.bob)
        self.assertNotIn(key, feed.key_hash)
        self.assertTrue(key.startswith(feed.prefix))

    def test_a_new_link_replaces_the_old_one(self) -> None:
        _, old = do_create_calendar_feed(self.bob)
        _, new = do_create_calendar_feed(self.bob)
        self.assertEqual(self.feed_of(old).status_code, 404)
        self.assertEqual(self.feed_of(new).status_code, 200)
        self.assertEqual(CalendarFeed.objects.filter(user=self.bob).count(), 1)

    def test_a_revoked_link_stops_working_and_both_are_in_the_ledger(self) -> None:
        _, key = do_create_calendar_feed(self.bob)
        self.assertTrue(do_revoke_calendar_feed(self.bob))
        self.assertEqual(self.feed_of(key).status_code, 404)
        self.assertFalse(do_revoke_calendar_feed(self.bob))
        verbs = set(Event.objects.filter(actor=self.bob).values_list("verb", flat=True))
        self.assertLessEqual({Verb.CALENDAR_FEED_CREATED, Verb.CALENDAR_FEED_REVOKED}, verbs)

    def test_unknown_and_malformed_keys_get_404(self) -> None:
        for key in ("nothing", "cal_" + "x" * 43, "cal_" + "y" * 200, "cal_%00"):
            self.assertEqual(self.feed_of(key).status_code, 404, key)

    def test_someone_who_left_loses_their_feed(self) -> None:
        _, key = do_create_calendar_feed(self.bob)
        self.bob.is_active = False
        self.bob.save(update_fields=["is_active"])
        self.assertEqual(self.feed_of(key).status_code, 404)

    def test_polling_notes_when_the_feed_was_last_fetched(self) -> None:
        feed, key = do_create_calendar_feed(self.bob)
        self.assertIsNone(feed.last_polled_at)
        self.feed_of(key)
        feed.refresh_from_db()
        self.assertIsNotNone(feed.last_polled_at)


class CalendarPageTest(CairnTestCase):
    def test_making_a_link_shows_it_once(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(reverse("calendar_subscription"))
        self.assertContains(page, "You have no calendar link yet.")
        made = self.client.post(reverse("calendar_subscription"), {"action": "create"})
        link = made.context["feed_url"]
        self.assertIn("/calendar/cal_", link)
        self.assertContains(made, link)
        again = self.client.get(reverse("calendar_subscription"))
        self.assertNotContains(again, link)
        self.assertContains(again, "Turn the link off")
        self.assertEqual(self.client.get(link).status_code, 200)

    def test_turning_the_link_off(self) -> None:
        self.client.force_login(self.bob)
        made = self.client.post(reverse("calendar_subscription"), {"action": "create"})
        link = made.context["feed_url"]
        response = self.client.post(reverse("calendar_subscription"), {"action": "revoke"})
        self.assertRedirects(response, reverse("calendar_subscription"))
        self.assertEqual(self.client.get(link).status_code, 404)

    def test_visitors_are_sent_to_sign_in(self) -> None:
        response = self.client.get(reverse("calendar_subscription"))
        self.assertEqual(response.status_code, 302)
