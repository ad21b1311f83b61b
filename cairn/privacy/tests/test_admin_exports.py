"""Admins' CSV exports: streamed, admins only, their organisation only, a bad range refused."""

import csv
import io
from datetime import timedelta

from django.db import transaction
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from cairn.audit.models import Action, AuditEntry
from cairn.disputes.tests.helpers import rating
from cairn.exchange.actions import do_thank
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User
from cairn.privacy.reports import REPORTS
from cairn.testing import CairnTestCase, make_person


def streamed(response: HttpResponseBase) -> bytes:
    """Return the whole body of a streamed response."""
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue()


def read_csv(response: HttpResponseBase) -> list[list[str]]:
    return list(csv.reader(io.StringIO(streamed(response).decode())))


class AdminExportsTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        do_thank(cls.bob, cls.carol, "=HYPERLINK(evil)")
        rating(cls.carol, cls.bob, 0.5)
        with transaction.atomic():
            record(
                Verb.HELPED,
                actor=cls.alice,
                subject=cls.bob,
                time=timezone.now() - timedelta(days=90),
            )

    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_every_report_streams_its_header_and_rows(self) -> None:
        for name, report in REPORTS.items():
            with self.subTest(report=name):
                response = self.client.get(f"/organisation/exports/{name}.csv")
                self.assertIsInstance(response, StreamingHttpResponse)
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                self.assertEqual(read_csv(response)[0], list(report.header))

    def test_members_come_with_their_activity(self) -> None:
        rows = read_csv(self.client.get("/organisation/exports/members.csv"))
        by_handle = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        self.assertEqual(set(by_handle), {"alice.archer", "bob.baker", "carol.chen"})
        self.assertEqual(by_handle["bob.baker"]["thanked_others"], "1")
        self.assertEqual(by_handle["carol.chen"]["thanked_by_others"], "1")
        self.assertEqual(by_handle["bob.baker"]["email"], "bob.baker@acme.example")

    def test_the_ledger_is_the_range_asked_for(self) -> None:
        rows = read_csv(self.client.get("/organisation/exports/ledger.csv"))
        self.assertNotIn("helped", [row[3] for row in rows[1:]])
        start = (timezone.localdate() - timedelta(days=100)).isoformat()
        rows = read_csv(self.client.get("/organisation/exports/ledger.csv", {"from": start}))
        self.assertIn("helped", [row[3] for row in rows[1:]])

    def test_the_ledger_never_says_who_gave_feedback(self) -> None:
        rows = read_csv(self.client.get("/organisation/exports/ledger.csv"))
        rated = [row for row in rows[1:] if row[3] == Verb.RATED]
        self.assertEqual([(row[2], row[4]) for row in rated], [("", "bob.baker")])

    def test_a_formula_is_written_as_text(self) -> None:
        text = streamed(self.client.get("/organisation/exports/ledger.csv"))
        self.assertNotIn(b",=HYPERLINK", text)

    def test_a_bad_date_is_refused_naming_the_field(self) -> None:
        response = self.client.get("/organisation/exports/ledger.csv", {"from": "31/01/2026"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("&#x27;from&#x27; is &#x27;31/01/2026&#x27;", response.content.decode())

    def test_a_range_ending_before_it_starts_is_refused(self) -> None:
        days = {"from": "2026-02-01", "to": "2026-01-01"}
        response = self.client.get("/organisation/exports/ledger.csv", days)
        self.assertEqual(response.status_code, 422)
        self.assertIn("before it starts", response.content.decode())
        api = self.client.get("/api/v1/exports/ledger", days)
        self.assertEqual(api.status_code, 422)
        self.assertEqual(api.json()["detail"][0]["loc"], ["query", "to"])

    def test_the_api_refuses_a_date_that_is_not_one(self) -> None:
        response = self.client.get("/api/v1/exports/ledger", {"from": "2026-13-01"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["query", "from"])

    def test_the_api_streams_the_same_csv(self) -> None:
        page = read_csv(self.client.get("/organisation/exports/members.csv"))
        api = self.client.get("/api/v1/exports/members")
        self.assertIsInstance(api, StreamingHttpResponse)
        self.assertEqual(read_csv(api), page)

    def test_an_unknown_report_is_a_404(self) -> None:
        self.assertEqual(self.client.get("/api/v1/exports/salaries").status_code, 404)

    def test_each_export_is_audited(self) -> None:
        self.client.get("/organisation/exports/ledger.csv", {"from": "2026-01-01"})
        entry = AuditEntry.objects.get(action=Action.REPORT_EXPORTED)
        self.assertEqual(entry.actor_id, self.alice.pk)
        self.assertEqual(entry.details["report"], "ledger")
        self.assertEqual(entry.details["from"], "2026-01-01")

    def test_members_are_refused(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/organisation/exports/").status_code, 403)
        for name in REPORTS:
            self.assertEqual(self.client.get(f"/organisation/exports/{name}.csv").status_code, 403)
            self.assertEqual(self.client.get(f"/api/v1/exports/{name}").status_code, 403)
        self.assertFalse(AuditEntry.objects.filter(action=Action.REPORT_EXPORTED).exists())

    def test_visitors_are_sent_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get("/organisation/exports/members.csv")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/api/v1/exports/members").status_code, 401)

    def test_another_organisations_admin_sees_only_their_own(self) -> None:
        User.objects.filter(pk=self.oscar.pk).update(role=User.Role.ADMIN)
        self.client.force_login(self.oscar)
        for name in REPORTS:
            text = streamed(self.client.get(f"/organisation/exports/{name}.csv"))
            for acme in (b"acme", b"Alice", b"Bob", b"Carol"):
                self.assertNotIn(acme, text, name)

    def test_the_members_export_costs_the_same_queries_at_any_size(self) -> None:
        def listed() -> int:
            return len(read_csv(self.client.get("/organisation/exports/members.csv"))) - 4

        def add_rows(n: int) -> None:
            for _ in range(n):
                make_person(self.acme, f"Extra {User.objects.count()}")

        self.assertConstantQueries(listed, add_rows)
