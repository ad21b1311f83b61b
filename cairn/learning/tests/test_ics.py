"""Sessions as calendar files (RFC 5545): one session, or all of a relationship."""

from datetime import UTC, datetime

import icalendar
from django.urls import reverse

from cairn.learning.actions import do_log_session
from cairn.learning.models import Relationship, Session
from cairn.testing import CairnTestCase, mentoring


class IcsDownloadTest(CairnTestCase):
    rel: Relationship
    session: Session

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rel = mentoring(cls.bob, cls.alice)
        when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        cls.session = do_log_session(cls.bob, cls.rel, when, 45, "Joins, views", "Secret-ish")

    def test_one_session_downloads_as_an_event_without_private_notes(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("session_ics", args=[self.session.pk]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        body = response.content.decode()
        self.assertNotIn("Secret-ish", body)
        self.assertIn("DESCRIPTION:Joins\\, views\r\n", body)  # escaped as RFC 5545 says
        (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        self.assertEqual(event.decoded("dtstart"), datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
        self.assertEqual(event.decoded("dtend"), datetime(2026, 3, 2, 10, 15, tzinfo=UTC))
        self.assertEqual(str(event["description"]), "Joins, views")
        self.assertEqual(str(event["summary"]), "Mentoring: Bob Baker & Alice Archer")
        self.assertTrue(str(event["uid"]).startswith(f"cairn-session-{self.session.pk}@"))

    def test_long_notes_fold_into_lines_of_at_most_75_octets(self) -> None:
        self.client.force_login(self.alice)
        notes = ("Réflexion " * 60).strip()
        session = do_log_session(
            self.bob, self.rel, datetime(2026, 3, 9, 9, 30, tzinfo=UTC), 30, notes, ""
        )
        body = self.client.get(reverse("session_ics", args=[session.pk])).content
        self.assertTrue(all(len(line) <= 75 for line in body.split(b"\r\n")))
        (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        self.assertEqual(str(event["description"]), notes)

    def test_all_sessions_of_a_relationship(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("relationship_ics", args=[self.rel.pk]))
        self.assertEqual(response.content.decode().count("BEGIN:VEVENT"), 1)

    def test_others_get_404(self) -> None:
        for person in (self.carol, self.oscar):
            self.client.force_login(person)
            response = self.client.get(reverse("session_ics", args=[self.session.pk]))
            self.assertEqual(response.status_code, 404)
            response = self.client.get(reverse("relationship_ics", args=[self.rel.pk]))
            self.assertEqual(response.status_code, 404)
