"""The ledger protected in the database: no update, no delete, except through erasure (a
person's in ``cairn.privacy``, an organisation's in ``erase_organisation``)."""

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError

from cairn.ledger.models import Event
from cairn.ledger.record import ERASURE_SETTING, erase_organisation
from cairn.people.models import Organisation, User
from cairn.testing import CairnTestCase

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL trigger")


def raw(sql: str, params: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


class CascadeRefusedTest(CairnTestCase):
    def test_deleting_a_person_does_not_delete_their_events(self) -> None:
        count = Event.objects.filter(actor=self.bob).count()
        with self.assertRaises(ProtectedError), transaction.atomic():
            self.bob.delete()
        self.assertEqual(Event.objects.filter(actor=self.bob).count(), count)
        self.assertTrue(User.objects.filter(pk=self.bob.pk).exists())

    def test_deleting_an_organisation_does_not_delete_its_ledger(self) -> None:
        with self.assertRaises(ProtectedError), transaction.atomic():
            self.globex.delete()
        self.assertTrue(Event.objects.filter(organisation=self.globex).exists())

    def test_a_raw_update_is_refused(self) -> None:
        event = Event.objects.filter(actor=self.bob)[0]
        with self.assertRaises(IntegrityError):
            raw("UPDATE ledger_event SET value = 5 WHERE id = %s", [event.pk])
        self.assertIsNone(Event.objects.get(pk=event.pk).value)


class ErasureTest(CairnTestCase):
    def test_erasing_an_organisation_removes_its_ledger(self) -> None:
        self.assertGreater(erase_organisation(self.globex), 0)
        self.assertFalse(Organisation.objects.filter(pk=self.globex.pk).exists())
        self.assertFalse(Event.objects.filter(organisation_id=self.globex.pk).exists())
        self.assertTrue(Event.objects.filter(organisation=self.acme).exists())


@postgresql_only
class TriggerTest(CairnTestCase):
    def test_a_raw_delete_is_refused(self) -> None:
        with self.assertRaises(IntegrityError):
            raw("DELETE FROM ledger_event WHERE actor_id = %s", [self.bob.pk])
        self.assertTrue(Event.objects.filter(actor=self.bob).exists())

    def test_an_orm_delete_past_the_python_guard_is_refused(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            models.QuerySet.delete(Event.objects.filter(actor=self.bob))
        self.assertTrue(Event.objects.filter(actor=self.bob).exists())

    def test_the_erasure_setting_lets_a_delete_through(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
            cursor.execute("DELETE FROM ledger_event WHERE actor_id = %s", [self.carol.pk])
            cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])
        self.assertFalse(Event.objects.filter(actor=self.carol).exists())

    def test_erasure_closes_the_door_behind_it(self) -> None:
        erase_organisation(self.globex)
        with self.assertRaises(IntegrityError):
            raw("DELETE FROM ledger_event WHERE actor_id = %s", [self.bob.pk])
