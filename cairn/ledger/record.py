"""The one way into the ledger, and the hook through which its readers hear of new events."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

from cairn.ledger import tally
from cairn.ledger.models import Event, LedgerError, Verb

#: Sent once the transaction that recorded an event has committed; ``event`` is the Event.
event_committed = Signal()


def record(
    verb: Verb | str,
    *,
    actor: Any,
    organisation: Any = None,
    subject: Any = None,
    obj: models.Model | None = None,
    value: float | None = None,
    context: dict[str, Any] | None = None,
    time: datetime | None = None,
) -> Event:
    """Append one event. Must run inside the transaction of the change it describes.

    ``organisation`` defaults to the actor's. ``subject`` is a person or their id (an action
    holding only the id need not read the person for it). Giving and recognition are added to the
    person's :class:`~cairn.ledger.models.Tally` in the same transaction. Readers (trust,
    notifications, feed) hear of the event through :data:`event_committed` after the
    transaction commits, never before.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise LedgerError("record() must run inside the transaction of the change it describes.")
    verb = Verb(verb)
    organisation = organisation or getattr(actor, "organisation", None)
    if organisation is None:
        raise LedgerError("An event needs an organisation.")
    fields: dict[str, Any] = {
        "organisation": organisation,
        "actor": actor,
        "verb": verb,
        "subject_id" if isinstance(subject, int) else "subject": subject,
        "value": value,
        "context": context or {},
    }
    if obj is not None:
        fields["object_type"] = obj._meta.label_lower
        fields["object_id"] = str(obj.pk)
    if time is not None:
        fields["time"] = time
    event = Event.objects.create(**fields)
    event.recorded_object = obj
    tally.count(event)
    transaction.on_commit(_announce(event))
    return event


def _announce(event: Event) -> Callable[[], None]:
    def send() -> None:
        event_committed.send(sender=Event, event=event)

    return send


#: The PostgreSQL setting the ledger's trigger reads: erasure is allowed only while it is "on".
ERASURE_SETTING = "cairn.allow_ledger_erasure"


#: SQLite's guard (its triggers cannot read a per-transaction setting): dropped and put back
#: inside the erasing transaction, so it is never missing from what another connection sees.
SQLITE_GUARD = """
CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event
BEGIN SELECT RAISE(ABORT, 'The ledger is append-only: UPDATE on ledger_event refused'); END;
"""


@contextmanager
def _erasure_allowed() -> Iterator[None]:
    """Let the ledger's database trigger pass deletes and context rewrites, for this
    transaction only."""
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS ledger_event_append_only")
            yield
            with connection.cursor() as cursor:
                cursor.execute(SQLITE_GUARD)
            return
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])


def _delete_events(events: models.QuerySet[Event]) -> int:
    # The plain QuerySet.delete, past the append-only guard: disputes and corrections of the
    # erased events go with them.
    deleted, by_model = models.QuerySet.delete(events)
    return by_model.get(Event._meta.label, 0)


def erase_organisation(organisation: Any) -> int:
    """Delete an organisation with its ledger and everyone in it; return the events removed."""
    with _erasure_allowed():
        count = _delete_events(Event.objects.filter(organisation=organisation))
        organisation.delete()
    return count


def rewrite_contexts(contexts: dict[int, dict[str, Any]]) -> int:
    """Replace the context of the given events (by id); return how many changed.

    The one sanctioned way to take a person's words out of events that stay: erasure keeps
    every event (who did what to whom, when, how much) and removes only what someone wrote.
    On PostgreSQL the trigger lets an update through only while erasing, and only if it
    changes nothing but the context.
    """
    changed = 0
    with _erasure_allowed():
        for pk, context in contexts.items():
            changed += models.QuerySet.update(Event.objects.filter(pk=pk), context=context)
    return changed
