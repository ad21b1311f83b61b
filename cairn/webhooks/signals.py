"""Webhooks follow the ledger: an event of a kind some endpoint wants queues a send for it."""

import logging
from datetime import timedelta

from django.utils import timezone

from cairn.ledger.models import Event, Verb
from cairn.outbound import first_in_window
from cairn.webhooks.models import Endpoint
from cairn.webhooks.payloads import EVENT_TYPES
from cairn.webhooks.tasks import send_webhooks

log = logging.getLogger(__name__)

#: Events within this window go in one run of the sender: a burst of activity makes one task.
COALESCE = timedelta(seconds=3)


def on_event_committed(sender: object, event: Event, **kwargs: object) -> None:
    """Queue a send for each switched-on endpoint that wants this kind of event, and for an
    endpoint just added or changed (switched back on, what waited goes). A failure here must
    not break the action that ran: ``cairn periodic`` sends what is owed anyway."""
    try:
        if event.verb in EVENT_TYPES:
            _queue_sends(event)
        elif event.verb in (Verb.WEBHOOK_ADDED, Verb.WEBHOOK_CHANGED):
            endpoint = Endpoint.objects.filter(pk=event.object_id, enabled=True)
            if endpoint.exists():
                _queue(int(event.object_id))
    except Exception:
        log.exception("Could not queue webhook sends for event %s", event.pk)


def _queue(endpoint_id: int) -> None:
    """Queue a send a few seconds from now, unless one is queued already for that window."""
    if first_in_window(f"webhooks-send-queued-{endpoint_id}", COALESCE):
        send_webhooks.using(run_after=timezone.now() + COALESCE).enqueue(endpoint_id)


def _queue_sends(event: Event) -> None:
    wanting = Endpoint.objects.filter(
        organisation_id=event.organisation_id, enabled=True
    ).values_list("pk", "event_types")
    for endpoint_id, event_types in wanting:
        if event.verb in event_types:
            _queue(endpoint_id)
