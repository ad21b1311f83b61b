"""Erasure may rewrite an event's context, and nothing else, and only through its one path."""

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from cairn.ledger.models import Event
from cairn.ledger.record import ERASURE_SETTING, rewrite_contexts
from cairn.testing import CairnTestCase

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def raw(sql: str, params: list[str | int], erasing: bool = False) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if erasing and ON_POSTGRESQL:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
        cursor.execute(sql, params)


class RewriteContextsTest(CairnTestCase):
    def test_it_replaces_the_context_and_keeps_the_rest(self) -> None:
        event = Event.objects.filter(actor=self.bob).first()
        assert event is not None
        before = (event.actor_id, event.verb, event.time, event.object_id)
        self.assertEqual(rewrite_contexts({event.pk: {"reason": "[removed]"}}), 1)
        event = Event.objects.get(pk=event.pk)
        self.assertEqual(event.context, {"reason": "[removed]"})
        self.assertEqual((event.actor_id, event.verb, event.time, event.object_id), before)

    def test_the_guard_is_back_afterwards(self) -> None:
        event = Event.objects.filter(actor=self.bob).first()
        assert event is not None
        rewrite_contexts({event.pk: {}})
        with self.assertRaises(IntegrityError):
            raw("UPDATE ledger_event SET context = %s WHERE id = %s", ['{"x": 1}', event.pk])

    @pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL trigger")
    def test_while_erasing_the_trigger_refuses_any_other_change(self) -> None:
        event = Event.objects.filter(actor=self.bob).first()
        assert event is not None
        with self.assertRaises(IntegrityError):
            raw("UPDATE ledger_event SET verb = 'kept' WHERE id = %s", [event.pk], erasing=True)
        self.assertNotEqual(Event.objects.get(pk=event.pk).verb, "kept")
