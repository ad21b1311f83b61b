"""Learning records follow the ledger: a sendable event queues a send, a few seconds later."""

from datetime import timedelta

from django.utils import timezone

from cairn.ledger.models import Event
from cairn.outbound import first_in_window
from cairn.xapi.models import LrsConnection
from cairn.xapi.statements import SENT_VERBS
from cairn.xapi.tasks import send_statements

#: Events within this window go in one batch: a burst of activity makes one send.
COALESCE = timedelta(seconds=10)


def on_event_committed(sender: object, event: Event, **kwargs: object) -> None:
    """Queue a send of the organisation's learning records, once per window."""
    if event.verb not in SENT_VERBS:
        return
    connection_id = (
        LrsConnection.objects.filter(organisation_id=event.organisation_id, enabled=True)
        .values_list("pk", flat=True)
        .first()
    )
    if connection_id is None:
        return
    if first_in_window(f"xapi-send-queued-{connection_id}", COALESCE):
        send_statements.using(run_after=timezone.now() + COALESCE).enqueue(connection_id)
