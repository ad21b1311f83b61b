"""Configuring an organisation's LRS, testing it, and sending its learning records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import check_org_admin, organisation_id_of
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.outbound import Answer, OutboundError, check_target, claim
from cairn.people.models import User
from cairn.xapi import client
from cairn.xapi.models import Delivery, LrsConnection
from cairn.xapi.statements import SENT_VERBS, Person, statement_for

BATCH_SIZE = 100
#: How long one sender holds a connection before another may take over (a crashed sender).
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class SendReport:
    """What one send did: statements sent, batches tried, and the error that stopped it."""

    sent: int
    batches: int
    error: str = ""


def do_configure_lrs(
    admin: User,
    *,
    endpoint: str,
    key: str,
    secret: str = "",
    enabled: bool = True,
    send_commitments: bool = False,
    identify_by_email: bool = False,
) -> LrsConnection:
    """Save where the organisation's learning records go; an empty secret keeps the old one.

    A new connection starts from now (history is sent with ``cairn xapi backfill``).
    """
    check_org_admin(admin, "set up learning records")
    try:
        check_target(endpoint)
    except OutboundError as error:
        raise ActionError(error.message, field="endpoint") from error
    with transaction.atomic():
        connection = (
            LrsConnection.objects.select_for_update()
            .filter(organisation_id=organisation_id_of(admin))
            .first()
        )
        if connection is None:
            if not secret:
                raise ActionError("Give the secret that goes with the key.", field="secret")
            newest = Event.objects.filter(organisation_id=organisation_id_of(admin)).order_by("-pk")
            connection = LrsConnection(
                organisation_id=organisation_id_of(admin),
                sent_through_event_id=newest.values_list("pk", flat=True).first() or 0,
            )
        connection.endpoint = endpoint
        connection.key = key
        if secret:
            connection.secret = secret
        connection.enabled = enabled
        connection.send_commitments = send_commitments
        connection.identify_by_email = identify_by_email
        connection.failures = 0
        connection.next_attempt_at = None
        connection.updated_at = timezone.now()
        connection.save()
        record(
            Verb.LRS_CONFIGURED,
            actor=admin,
            obj=connection,
            context={"endpoint": endpoint, "enabled": enabled, "commitments": send_commitments},
        )
        audit.record(
            Action.LRS_CHANGED,
            actor=admin,
            target=endpoint,
            details={
                "enabled": enabled,
                "commitments": send_commitments,
                "secret_changed": bool(secret),
            },
        )
    return connection


def check_lrs(admin: User) -> Answer:
    """Try the saved connection's address and credentials; raise ActionError saying why not."""
    check_org_admin(admin, "set up learning records")
    connection = LrsConnection.objects.filter(organisation_id=organisation_id_of(admin)).first()
    if connection is None:
        raise ActionError("Set up the LRS first.", field="endpoint", status=404)
    try:
        return client.check_credentials(connection.endpoint, connection.key, connection.secret)
    except OutboundError as error:
        raise ActionError(error.message, field="endpoint") from error


def do_backfill(connection: LrsConnection, since=None) -> None:
    """Send history again from ``since`` (or from the start): statements already at the LRS
    are recognised by their ids and not stored twice."""
    events = Event.objects.filter(organisation_id=connection.organisation_id)
    if since is not None:
        events = events.filter(time__lt=since)
    start = events.order_by("-pk").values_list("pk", flat=True).first() if since else 0
    LrsConnection.objects.filter(pk=connection.pk).update(
        sent_through_event_id=start or 0, failures=0, next_attempt_at=None
    )


def _people(events: list[Event]) -> dict[int, Person]:
    ids = {e.actor_id for e in events if e.actor_id} | {
        e.subject_id for e in events if e.subject_id
    }
    rows = User.objects.filter(pk__in=ids).values_list("pk", "profile__name", "email")
    return {pk: Person(pk, name or "", email) for pk, name, email in rows}


def send_pending(connection_id: int, max_batches: int = 50, progress=None) -> SendReport:
    """Send the learning records after the connection's mark, in batches, until none are left.

    One sender at a time (a lease on the connection row). A failure keeps the mark where it
    was, so the same statements go again after the back-off; the ids make that safe.
    ``progress`` is called with the number of events covered by each batch.
    """
    if not claim(LrsConnection.objects.filter(pk=connection_id), LEASE):
        return SendReport(0, 0, "busy or backing off")
    connection = LrsConnection.objects.select_related("organisation").get(pk=connection_id)
    site = settings.SITE_URL.rstrip("/")
    sent = batches = 0
    try:
        while batches < max_batches:
            events = list(
                Event.objects.filter(
                    organisation_id=connection.organisation_id,
                    pk__gt=connection.sent_through_event_id,
                    verb__in=SENT_VERBS,
                ).order_by("pk")[:BATCH_SIZE]
            )
            if not events:
                break
            people = _people(events)
            statements = [
                s
                for e in events
                if (
                    s := statement_for(
                        e,
                        people,
                        site=site,
                        send_commitments=connection.send_commitments,
                        by_email=connection.identify_by_email,
                    )
                )
            ]
            batches += 1
            first, last = events[0].pk, events[-1].pk
            if statements:
                try:
                    answer = client.post_statements(
                        connection.endpoint,
                        connection.key,
                        connection.secret,
                        json.dumps(statements).encode(),
                    )
                except OutboundError as error:
                    _failed(connection, error, len(statements), first, last)
                    return SendReport(sent, batches, error.message)
                Delivery.objects.create(
                    connection=connection,
                    status=Delivery.Status.SENT,
                    statements=len(statements),
                    first_event_id=first,
                    last_event_id=last,
                    http_status=answer.status,
                    elapsed_ms=answer.elapsed_ms,
                )
                sent += len(statements)
            connection.sent_through_event_id = last
            connection.failures = 0
            connection.last_success_at = timezone.now()
            connection.last_error = ""
            connection.next_attempt_at = None
            connection.save(
                update_fields=[
                    "sent_through_event_id",
                    "failures",
                    "last_success_at",
                    "last_error",
                    "next_attempt_at",
                ]
            )
            if progress:
                progress(len(events))
    finally:
        LrsConnection.objects.filter(pk=connection_id).update(lease_until=None)
    return SendReport(sent, batches)


def _failed(connection: LrsConnection, error: OutboundError, count: int, first, last) -> None:
    connection.failures += 1
    connection.next_attempt_at = timezone.now() + connection.retry_delay()
    connection.last_error = error.message
    connection.save(update_fields=["failures", "next_attempt_at", "last_error"])
    Delivery.objects.create(
        connection=connection,
        status=Delivery.Status.FAILED,
        statements=count,
        first_event_id=first,
        last_event_id=last,
        http_status=error.status,
        error=error.message,
    )
