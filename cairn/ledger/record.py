"""The one way into the ledger, and the hook through which its readers hear of new events."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

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

    ``organisation`` defaults to the actor's. Readers (trust, notifications, feed) hear of the
    event through :data:`event_committed` after the transaction commits, never before.
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
        "subject": subject,
        "value": value,
        "context": context or {},
    }
    if obj is not None:
        fields["object_type"] = obj._meta.label_lower
        fields["object_id"] = str(obj.pk)
    if time is not None:
        fields["time"] = time
    event = Event.objects.create(**fields)
    transaction.on_commit(_announce(event))
    return event


def _announce(event: Event) -> Callable[[], None]:
    def send() -> None:
        event_committed.send(sender=Event, event=event)

    return send


def erase_person(user: Any) -> int:
    """Remove every event a person did or was the subject of (account erasure). Return count."""
    qs = Event.objects.filter(models.Q(actor=user) | models.Q(subject=user))
    return qs._raw_delete(qs.db)
