"""The ledger: append-only, written in the same transaction, exported in the contract."""

import csv
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase, TransactionTestCase

from cairn.ledger.models import Event, LedgerError, Verb
from cairn.ledger.record import event_committed, record
from cairn.testing import CairnTestCase, make_organisation, make_person
from cairn.trust.export import HEADER, export_trust_events


class AppendOnlyTest(CairnTestCase):
    def test_events_cannot_be_updated(self) -> None:
        event = Event.objects.filter(actor=self.bob)[0]
        event.value = 3
        with self.assertRaises(LedgerError):
            event.save()
        with self.assertRaises(LedgerError):
            Event.objects.filter(actor=self.bob).update(value=1)

    def test_events_cannot_be_deleted(self) -> None:
        with self.assertRaises(LedgerError):
            Event.objects.filter(actor=self.bob)[0].delete()
        with self.assertRaises(LedgerError):
            Event.objects.all().delete()


class RecordOutsideTransactionTest(TransactionTestCase):
    def test_record_refuses_to_run_outside_a_transaction(self) -> None:
        org = make_organisation("solo", "Solo")
        user = make_person(org, "Sam Solo")
        with self.assertRaises(LedgerError):
            record(Verb.THANKED, actor=user)

    def test_readers_hear_only_after_commit(self) -> None:
        org = make_organisation("solo", "Solo")
        user = make_person(org, "Sam Solo")
        heard = []

        def listener(sender: object, event: Event, **kwargs: object) -> None:
            heard.append(event.verb)

        event_committed.connect(listener)
        try:
            with transaction.atomic():
                record(Verb.SHARED, actor=user)
                self.assertEqual(heard, [])
            self.assertEqual(heard, [Verb.SHARED])
            try:
                with transaction.atomic():
                    record(Verb.ASKED, actor=user)
                    raise RuntimeError
            except RuntimeError:
                pass
            self.assertEqual(heard, [Verb.SHARED])
        finally:
            event_committed.disconnect(listener)


class ExportTest(CairnTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with transaction.atomic():
            record(Verb.THANKED, actor=cls.bob, subject=cls.alice)
            record(Verb.RATED, actor=cls.bob, subject=cls.alice, value=0.75)
            record(Verb.SHARED, actor=cls.carol)
            record(Verb.THANKED, actor=cls.oscar, subject=cls.oscar)

    def exported(self) -> list[dict[str, str]]:
        out = io.StringIO()
        export_trust_events(self.acme, out)
        return list(csv.DictReader(io.StringIO(out.getvalue())))

    def test_it_writes_the_contract_header_and_trust_kinds_only(self) -> None:
        out = io.StringIO()
        export_trust_events(self.acme, out)
        self.assertEqual(out.getvalue().splitlines()[0], ",".join(HEADER))
        kinds = [row["kind"] for row in self.exported()]
        self.assertEqual(kinds, ["thanked", "rated", "shared"])

    def test_people_are_named_by_handle_and_values_kept(self) -> None:
        rows = self.exported()
        self.assertEqual(rows[1]["actor"], "bob.baker")
        self.assertEqual(rows[1]["subject"], "alice.archer")
        self.assertEqual(float(rows[1]["value"]), 0.75)
        self.assertEqual(rows[2]["subject"], "")
        self.assertGreater(float(rows[0]["time"]), 1.7e9)

    def test_other_organisations_are_not_exported(self) -> None:
        self.assertNotIn("oscar.outsider", {row["actor"] for row in self.exported()})


class ExportCommandTest(TestCase):
    def test_an_unknown_organisation_is_a_clear_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "No organisation 'nope'"):
            call_command("ledger", "export", "--org", "nope", "--out", "-")
