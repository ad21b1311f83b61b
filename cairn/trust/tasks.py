"""Background work for trust: small tasks taking ids, run by ``cairn db_worker``."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.tasks import task

from cairn.people.models import Organisation
from cairn.trust import adapter
from cairn.trust.models import TrustState

#: The PostgreSQL advisory-lock class of trust passes (the second key is the organisation).
PASS_LOCK = 0x7472


@contextmanager
def one_pass_at_a_time(organisation_id: int) -> Iterator[bool]:
    """Yield whether this process holds the organisation's pass lock (a PostgreSQL session
    advisory lock, released at the end or when the worker dies; elsewhere always True), so
    that two workers never update one organisation at once."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [PASS_LOCK, organisation_id])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [PASS_LOCK, organisation_id])


@task()
def recompute_trust(organisation_id: int, event_id: int | None = None) -> dict[str, Any] | None:
    """Bring the stored trust of an organisation up to date after ``event_id`` (and everything
    else pending: a burst is one pass). Return the adapter's summary.

    Incremental or full by :func:`cairn.trust.adapter.full_recompute_reason`; a duplicate
    finds nothing to do and returns at once. If another worker is in a pass over the same
    organisation, this one queues the next pass and leaves.
    """
    if not Organisation.objects.filter(pk=organisation_id).exists():
        TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)
        return None
    with one_pass_at_a_time(organisation_id) as held:
        if held:
            return adapter.update_organisation(organisation_id)
    from cairn.trust.actions import do_queue_recompute

    TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)
    do_queue_recompute(organisation_id)
    return {"mode": "busy"}
