"""Sessions as calendar files (RFC 5545): one session, or all of a relationship."""

from datetime import UTC, datetime

from django.urls import reverse

from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.ics import escape, fold
from cairn.testing import CairnTestCase


class IcsFormatTest(CairnTestCase):
    def test_text_is_escaped(self) -> None:
        self.assertEqual(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne")

    def test_long_lines_fold_at_75_octets_without_splitting_characters(self) -> None:
        line = "DESCRIPTION:" + "é" * 100
        folded = fold(line)
        parts = folded.split("\r\n ")
        self.assertTrue(all(len(p.encode()) <= 75 for p in parts))
        self.assertEqual("".join(parts), line)


class IcsDownloadTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        goal = do_set_goal(cls.bob, "Write good SQL", visibility="private")
        cls.rel = do_request_relationship(cls.bob, cls.alice, "mentoring", goal, "Hi")
        do_accept(cls.alice, cls.rel)
        when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        cls.session = do_log_session(cls.bob, cls.rel, when, 45, "Joins, views", "Secret-ish")

    def test_one_session_downloads_as_an_event_without_private_notes(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("session_ics", args=[self.session.pk]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertIn("DTSTART:20260302T093000Z\r\n", body)
        self.assertIn("DTEND:20260302T101500Z\r\n", body)
        self.assertIn("DESCRIPTION:Joins\\, views\r\n", body)
        self.assertNotIn("Secret-ish", body)
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))

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
