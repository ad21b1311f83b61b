"""Background work for trust: small tasks taking ids, run by ``cairn db_worker``."""

import logging
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.tasks import task

from cairn.people.locking import deferred
from cairn.people.models import Organisation
from cairn.trust import adapter
from cairn.trust.broadcast import trust_stored
from cairn.trust.models import TrustState

log = logging.getLogger(__name__)

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
            summary = adapter.update_organisation(organisation_id)
            if summary.get("stored"):
                trust_stored.send(sender=TrustState, organisation_id=organisation_id)
            if summary.get("bytes_kept"):
                _write_bytes_later(organisation_id)
            if summary.get("mode") != "superseded":
                return summary
    TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)
    queue_pass(organisation_id)  # another pass is running or stored meanwhile: go again after it
    return {"mode": "busy"} if not held else summary


@task()
def write_trust_bytes(organisation_id: int) -> dict[str, Any]:
    """Write the result bytes the organisation's last passes kept, unless a pass is running
    (it writes or keeps them itself, and then asks for this again)."""
    adapter.bytes_write_asked.pop(organisation_id, None)
    with one_pass_at_a_time(organisation_id) as held:
        if not held:
            return {"mode": "busy"}
        return {"mode": adapter.write_kept_bytes(organisation_id)}


def _write_bytes_later(organisation_id: int) -> None:
    """Enqueue :func:`write_trust_bytes` to run once passes have kept the bytes for
    :data:`~cairn.trust.adapter.RESULT_BYTES_EVERY_SECONDS`, unless it is already asked for."""
    now = clock.monotonic()
    asked = adapter.bytes_write_asked.get(organisation_id)
    if asked is not None and now - asked < adapter.RESULT_BYTES_EVERY_SECONDS:
        return
    adapter.bytes_write_asked[organisation_id] = now
    try:
        deferred(write_trust_bytes, adapter.RESULT_BYTES_EVERY_SECONDS).enqueue(organisation_id)
    except Exception:
        adapter.bytes_write_asked.pop(organisation_id, None)
        log.exception("Could not enqueue writing the trust bytes of %s", organisation_id)


#: A burst of events within this many seconds causes one recompute.
DEBOUNCE_SECONDS = 2


def queue_pass(
    organisation_id: int,
    event_id: int | None = None,
    change: str | None = None,
) -> bool:
    """Queue one pass over the organisation's trust unless one is already waiting.

    ``change`` notes a change of the engine's input under the same lock: ``"event"``, the trust
    event ``event_id`` (kept pending, for the pass to fold in incrementally), or ``"full"``,
    something only a full recompute takes in (a decision about evidence, an admin's request).
    Return whether a task was enqueued. The task runs after this transaction commits and, on a
    backend that can defer, a couple of seconds later so that a burst of events is one pass.

    It runs in the request of every trust event, so it takes the small state row's lock for a
    few milliseconds in a transaction of its own; a pass holds that lock only for its last
    small update (the engine's result is stored apart, see :func:`adapter._store`).
    """
    with transaction.atomic():
        state = adapter.locked_state(organisation_id)
        changed: list[str] = []
        if change is not None:
            state.input_version += 1
            changed.append("input_version")
            if change == "event" and event_id is not None and not state.full_due:
                state.pending = [*state.pending, event_id]
                changed.append("pending")
            else:
                state.full_due, state.pending = True, []
                changed += ["full_due", "pending"]
            if len(state.pending) > adapter.MAX_PENDING:
                state.full_due, state.pending = True, []
                changed.append("full_due")
        if not state.mark_queued(changed):
            return False
        task = deferred(recompute_trust, DEBOUNCE_SECONDS)
        transaction.on_commit(lambda: _enqueue(task, organisation_id, event_id))
    return True


def _enqueue(task: Any, organisation_id: int, event_id: int | None) -> None:
    """Enqueue the task; if that fails, clear the flag so that the next event tries again (and
    never break the request whose transaction has already committed)."""
    try:
        task.enqueue(organisation_id, event_id)
    except Exception:
        log.exception("Could not enqueue a trust recompute of organisation %s", organisation_id)
        TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)
