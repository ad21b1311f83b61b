"""The thin adapter between Django and the trust engine.

Ledger rows of one organisation (``values_list``, no model instances) -> engine arrays ->
:func:`~cairn.trust.engine.compute_trust` -> ``bulk_update``/``bulk_create`` of
:class:`~cairn.trust.models.TrustProfile` rows with their explanations, and the engine's
result stored on :class:`~cairn.trust.models.TrustState` for pairwise trust. Only the worker
computes (:func:`recompute_organisation`); pages read what it stored (:func:`stored_result`).
Person ids in the engine are user ids as strings.
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import psycopg
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cairn.fingerprint import source_fingerprint
from cairn.ledger.models import Event
from cairn.people.locking import lock_organisation_row
from cairn.people.models import Organisation, User
from cairn.safeguards.access import corrected_event_ids
from cairn.trust import engine
from cairn.trust.engine import stored
from cairn.trust.engine.events import KIND_CODE
from cairn.trust.models import DIMENSIONS, StoredTrustResult, TrustProfile, TrustState

SCORE_FIELDS = [name for name, _ in DIMENSIONS]
CONFIDENCE_FIELDS = [f"{name}_confidence" for name in SCORE_FIELDS]
PROFILE_FIELDS = [
    "trust",
    "confidence",
    *SCORE_FIELDS,
    *CONFIDENCE_FIELDS,
    "explanation",
    "engine_version",
    "computed_at",
]


ENGINE_VERSION = source_fingerprint(engine)


#: One trust event of the ledger as the adapter reads it: id, actor, subject, verb, time, value.
Row = tuple[int, int, int | None, str, datetime, float | None]


def trust_rows(organisation_id: int, ids: Iterable[int] | None = None) -> list[Row]:
    """Return the organisation's trust events (only those with ``ids``, if given), oldest
    first, without the evidence a dispute overturned, the safeguards corrected or moderators
    hid."""
    found = Event.objects.filter(organisation_id=organisation_id, actor__isnull=False)
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    rows = list(
        found.for_trust().values_list("pk", "actor_id", "subject_id", "verb", "time", "value")
    )
    in_organisation = Event.objects.filter(organisation_id=organisation_id)
    taken_back = (
        in_organisation.overturned_ids()
        | in_organisation.hidden_content_ids()
        | corrected_event_ids(organisation_id)
    )
    return [r for r in rows if r[0] not in taken_back]


def ledger_events(organisation_id: int, rows: list[Row] | None = None) -> engine.Events | None:
    """Return the organisation's trust events as engine :class:`~cairn.trust.engine.Events`
    (from ``rows`` of :func:`trust_rows`, read now if not given; None if none)."""
    if rows is None:
        rows = trust_rows(organisation_id)
    if not rows:
        return None
    people: dict[int, int] = {}

    def number(user_id: int | None) -> int:
        if user_id is None:
            return -1
        return people.setdefault(user_id, len(people))

    actor = np.fromiter((number(r[1]) for r in rows), dtype=np.int64, count=len(rows))
    subject = np.fromiter((number(r[2]) for r in rows), dtype=np.int64, count=len(rows))
    kind = np.fromiter((KIND_CODE[r[3]] for r in rows), dtype=np.int8, count=len(rows))
    when = np.fromiter((r[4].timestamp() for r in rows), dtype=np.float64, count=len(rows))
    value = np.fromiter(
        (np.nan if r[5] is None else r[5] for r in rows), dtype=np.float64, count=len(rows)
    )
    ids = [str(user_id) for user_id in people]
    return engine.events_from_arrays(ids, actor, subject, kind, when, value)


def admin_seeds(organisation_id: int, events: engine.Events) -> list[str]:
    """Return the organisation's admins who appear in the events (they vouch as seeds)."""
    admins = User.objects.filter(
        organisation_id=organisation_id, role=User.Role.ADMIN, is_active=True
    ).values_list("pk", flat=True)
    return [str(pk) for pk in admins if events.index(str(pk)) >= 0]


#: An established member joins the admins as a seed once the admins' trust reaches them at all.
REACHED = 0.02


def compute(
    organisation_id: int, at: datetime | None = None, rows: list[Row] | None = None
) -> tuple[Any, engine.Events | None]:
    """Return the engine's result for the organisation (None without events) and its events
    (read from ``rows`` of :func:`trust_rows` if given), as of ``at`` (default now): a past
    moment sees only the events up to it.

    Seeds are the organisation's admins who have taken part, joined by the engine's most
    established members (long tenure, several vouchers) whom the admins' trust already reaches.
    Admins alone are too few to carry trust across a whole organisation (on the Northwind demo
    two admin seeds left the median member at 0.08); established members alone can be captured
    where a ring outnumbers the honest members around it. Anchoring the second in the first
    keeps both properties. Without admins in the ledger, the engine chooses on its own.
    """
    events = ledger_events(organisation_id, rows)
    if events is not None and at is not None:
        events = events.until(at.timestamp())
    if events is None or not len(events):
        return None, None
    at = at or timezone.now()
    at_seconds = max(at.timestamp(), float(events.time.max()))
    admins = admin_seeds(organisation_id, events)
    if not admins:
        return engine.compute_trust(events, seeds=None, at=at_seconds), events
    anchored = engine.compute_trust(events, seeds=admins, at=at_seconds)
    established = engine.compute_trust(events, seeds=None, at=at_seconds).seeds.tolist()
    reached = [anchored.people[i] for i in established if float(anchored.trust[i]) >= REACHED]
    extra = sorted(set(reached) - set(admins))
    if not extra:
        return anchored, events
    return engine.compute_trust(events, seeds=sorted(admins + extra), at=at_seconds), events


#: Averages of ratings are shown only from this many raters on, so no rating can be told apart.
MIN_RATERS = 3
#: "How it went" is said only when this many people trust reaches worked with the person.
MIN_WITNESSES = 2


def _unattributable(fact: engine.Fact) -> dict[str, Any]:
    """Return a piece of evidence as stored: a rating average of too few raters is dropped,
    so that nobody's rating can be told apart."""
    stored = asdict(fact)
    if fact.kind == "rated" and fact.people < MIN_RATERS:
        stored.update(value=None, average_from=MIN_RATERS)
    return stored


def explanation_of(result: Any, person: str) -> dict[str, Any]:
    """Return the stored explanation of one person: evidence and advice as data, never a name
    (:mod:`cairn.trust.words` puts it into words)."""
    why = engine.explain(result, person)
    return {
        "dimensions": {
            d.name: {
                "evidence": [_unattributable(e) for e in d.evidence],
                "known": d.known,
                "interval": list(d.interval),
                "further": d.further,
            }
            for d in why.dimensions
        },
        "weakest": why.weakest,
        "known": why.known,
        "interval": list(why.interval),
        "further": why.further,
        "needs_backing": why.needs_backing,
        "vouchers": why.vouched_by,
        "backed": why.graph > 0,
        "is_seed": why.is_seed,
        "privileged": why.privileged,
    }


NEWCOMER_EXPLANATION = {
    "newcomer": True,
    "dimensions": {},
    "vouchers": 0,
    "is_seed": False,
    "privileged": False,
}


def _values(result: Any, person: str) -> dict[str, Any]:
    i = result.index(person) if result is not None else -1
    if i < 0:
        values: dict[str, Any] = {"trust": 0.0, "confidence": 0.0}
        values.update(dict.fromkeys(SCORE_FIELDS, 0.5))
        values.update(dict.fromkeys(CONFIDENCE_FIELDS, 0.0))
        values["explanation"] = NEWCOMER_EXPLANATION
        return values
    values = {"trust": float(result.trust[i]), "confidence": float(result.confidence[i])}
    for k, name in enumerate(SCORE_FIELDS):
        values[name] = float(result.dimensions[i, k])
        values[f"{name}_confidence"] = float(result.dimension_confidence[i, k])
    values["explanation"] = {**explanation_of(result, person), **_since(result, i)}
    return values


def _since(result: Any, i: int) -> dict[str, str]:
    """Return when person ``i`` first appears in the result's events (ISO date), for "since
    March"."""
    rows = result.event_rows(i)
    if not rows.size:
        return {}
    first = float(result.events.time[rows].min())
    return {"since": datetime.fromtimestamp(first, UTC).date().isoformat()}


# --- The worker's pass: incremental when it can be, full when it must ------------------------

#: The incremental path folds at most this many pending trust events into the stored result;
#: more, and the pass recomputes everyone (an update costs tens of milliseconds per event on an
#: organisation of a million events, a full recompute tens of seconds).
MAX_PENDING = 200
#: ... and only into a result whose reference time is at most this old: the incremental update
#: keeps the stored reference time, so nobody's older evidence fades until a full recompute.
INCREMENTAL_HOURS = 6


@dataclass
class Snapshot:
    """The organisation's trust state as a pass starts from it."""

    version: int
    stored_version: int
    pending: list[int]
    full_due: bool
    engine_version: str
    computed_at: datetime | None


def locked_state(organisation_id: int) -> TrustState:
    """Return the organisation's trust state, locked until the end of the transaction (made
    first if missing, with an insert that does nothing when another one made it meanwhile).

    The row holds small fields only, so taking it costs a millisecond; every trust event
    does, so nothing may hold it for longer than a few small updates."""
    return lock_organisation_row(TrustState, organisation_id)


def take_snapshot(organisation_id: int, claim: bool = True) -> Snapshot:
    """Return the state a pass starts from, without the stored result (tens of megabytes at
    organisation size, kept apart: :func:`_result_to_go_on_from` reads it when the pass needs
    it). ``claim``: the worker's pass clears ``queued`` (changes from now on queue the next
    pass) and ``full_due`` (this pass takes it in)."""
    with transaction.atomic():
        state = locked_state(organisation_id)
        snap = Snapshot(
            state.input_version,
            state.stored_version,
            [int(pk) for pk in state.pending],
            state.full_due,
            state.engine_version,
            state.computed_at,
        )
        if claim:
            state.queued = state.full_due = False
            state.save(update_fields=["queued", "full_due"])
    return snap


def _stored_blob(organisation_id: int, version: int | None = None) -> bytes | None:
    """Return the stored result's bytes (None: none), if given only while they are still
    those of ``version``.

    On PostgreSQL they travel in binary, not as Django's hex text (twice the size, decoded
    on both sides): tens of megabytes at organisation size."""
    if connection.vendor != "postgresql":
        found = StoredTrustResult.objects.filter(organisation_id=organisation_id)
        if version is not None:
            found = found.filter(version=version)
        row = found.values_list("data", flat=True).first()
        return None if row is None else bytes(row)
    sql = f"SELECT data FROM {_RESULT_TABLE} WHERE organisation_id = %s"  # noqa: S608  # nosec B608
    params: list[int] = [organisation_id]
    if version is not None:
        sql += " AND version = %s"
        params.append(version)
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        found_row = cursor.execute(sql, params, binary=True).fetchone()
    return None if found_row is None or found_row[0] is None else bytes(found_row[0])


def _write_blob(organisation_id: int, blob: bytes | None) -> None:
    """Write the stored result's bytes, on PostgreSQL as a binary parameter (Meridian's 84 MB
    under load: 3.6 s against 7.1 s as Django's hex literal, 0.65 s into the unlogged,
    uncompressed table of migration 0005)."""
    if connection.vendor != "postgresql":
        StoredTrustResult.objects.filter(organisation_id=organisation_id).update(data=blob)
        return
    sql = f"UPDATE {_RESULT_TABLE} SET data = %s WHERE organisation_id = %s"  # noqa: S608  # nosec B608
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [blob, organisation_id])


#: The stored result's table, quoted (a name from the model, nothing from users).
_RESULT_TABLE = '"' + StoredTrustResult._meta.db_table + '"'


#: The result this process's last pass stored, per organisation, with the stored version and
#: time it was stored under: the next pass goes on from it rather than reading and decoding
#: the stored bytes again (tens of megabytes at organisation size).
_last_stored: dict[int, tuple[int, datetime | None, Any]] = {}

#: How often, at most, incremental passes rewrite the stored result's bytes. The bytes serve
#: pairwise trust on pages and a worker that did not run the last pass; the profiles, which
#: pages and recommendations read, are written by every pass. At 10,000 people the bytes are
#: 84 MB, and rewriting them cost PostgreSQL a second of CPU a pass: under steady activity,
#: passes follow each other every few seconds. A pass that keeps them has the worker write
#: them this long after (``cairn.trust.tasks.write_trust_bytes``).
RESULT_BYTES_EVERY_SECONDS = 60.0

#: When this process last wrote an organisation's result bytes (``time.monotonic``).
_bytes_written_at: dict[int, float] = {}

#: When this process last asked the worker to write the kept bytes, per organisation
#: (``time.monotonic``): one request covers every pass until it runs.
bytes_write_asked: dict[int, float] = {}


def _bytes_due(organisation_id: int) -> bool:
    """Return whether an incremental pass should rewrite the result's bytes: this process has
    not written them for :data:`RESULT_BYTES_EVERY_SECONDS` (or ever)."""
    written = _bytes_written_at.get(organisation_id)
    return written is None or clock.monotonic() - written >= RESULT_BYTES_EVERY_SECONDS


def _result_to_go_on_from(organisation_id: int, snap: Snapshot) -> Any:
    """Return the stored result the pass starts from (None: none usable), taking this
    process's own copy when it is still the stored one. The copy is handed over, not shared:
    the pass changes it, and :func:`_store` keeps it again only once it is stored. Otherwise
    the stored bytes, with the events of the passes that kept them folded in again."""
    mine = _last_stored.pop(organisation_id, None)
    if mine is not None and (mine[0], mine[1]) == (snap.stored_version, snap.computed_at):
        return mine[2]
    kept = (
        StoredTrustResult.objects.filter(organisation_id=organisation_id)
        .values_list("version", "folded_since")
        .first()
    )
    if kept is None:
        return None
    version, folded_since = kept
    if version > snap.stored_version or (version < snap.stored_version and not folded_since):
        return None
    blob = _stored_blob(organisation_id, version)
    if blob is None:
        return None  # written again since: the pass starts over
    try:
        result = stored.from_bytes(blob)
    except stored.StoredResultError:
        return None
    if version < snap.stored_version:
        for ids in folded_since:  # the passes that kept the bytes, folded again in their order
            _fold(result, trust_rows(organisation_id, ids))
    return result


def _fold(result: Any, rows: list[Row]) -> set[str]:
    """Fold trust events into a stored result with the engine's incremental update, as one
    pass does; return the people it rescored."""
    touched: set[str] = set()
    for _, actor, subject, verb, time, value in rows:
        people = result.update(
            str(actor),
            None if subject is None else str(subject),
            verb,
            time.timestamp(),
            np.nan if value is None else value,
        )
        touched.update(result.people[i] for i in people)
    result.settle()
    return touched


def full_recompute_reason(snap: Snapshot, result: Any, now: datetime) -> str | None:
    """Return why the pass must recompute everyone, or None when it may fold the pending
    events into the stored result.

    The rule: a full recompute when something only it can take in has happened (an overturned
    dispute, a correction, a ring review, content hidden or shown again, an admin's request:
    ``full_due``), when there is no stored result or it was computed by another engine (a
    change of the engine's code or default parameters changes its version), when more than
    :data:`MAX_PENDING` events are pending, or when the stored result's reference time is more
    than :data:`INCREMENTAL_HOURS` old.
    """
    if snap.full_due:
        return "a decision about evidence, or a request"
    if snap.engine_version != ENGINE_VERSION:
        return "another engine"
    if result is None:
        return "no stored result"
    if len(snap.pending) > MAX_PENDING:
        return "too many events"
    if now.timestamp() - float(result.at) > INCREMENTAL_HOURS * 3600:
        return "the stored result is too old"
    return None


class Superseded(Exception):
    """Another pass stored a result while an incremental one ran: its update is stale."""


def update_organisation(organisation_id: int) -> dict[str, Any]:
    """Bring the organisation's stored trust up to date with its input. Return a summary.

    Nothing to do (a duplicate task): return at once. Otherwise fold the trust events recorded
    since the stored result into it with the engine's incremental update
    (:meth:`~cairn.trust.engine.TrustResult.update`), rewriting the profiles of the people it
    rescored, or recompute everyone when :func:`full_recompute_reason` says so. One pass takes
    everything pending, so a burst of events is one update.
    """
    started, cpu = clock.perf_counter(), clock.process_time()
    snap = take_snapshot(organisation_id)
    if (
        snap.version <= snap.stored_version
        and not snap.full_due
        and snap.engine_version == ENGINE_VERSION
    ):
        if _write_kept_bytes(organisation_id, snap) == "recompute":
            return {**recompute_organisation(organisation_id, snapshot=snap), "mode": "full"}
        return {"mode": "nothing to do", "seconds": clock.perf_counter() - started}
    now = timezone.now()
    result = None
    if snap.engine_version == ENGINE_VERSION and not snap.full_due:
        result = _result_to_go_on_from(organisation_id, snap)
    reason = full_recompute_reason(snap, result, now)
    if reason is not None or result is None:
        summary = recompute_organisation(organisation_id, snapshot=snap)
        return {**summary, "mode": "full", "reason": reason}
    rows = trust_rows(organisation_id, snap.pending)
    touched = _fold(result, rows)
    users = User.objects.filter(
        organisation_id=organisation_id, is_active=True, pk__in=[int(p) for p in touched]
    ).values_list("pk", flat=True)
    values = {pk: _values(result, str(pk)) for pk in users}
    keep_bytes = not _bytes_due(organisation_id)
    try:
        wrote = _store(
            organisation_id,
            snap,
            values,
            None if keep_bytes else stored.to_bytes(result),
            now,
            started,
            folded=set(snap.pending),
            incremental=True,
            result=result,
            keep_bytes=keep_bytes,
        )
    except Superseded:
        return {"mode": "superseded", "seconds": clock.perf_counter() - started}
    return {
        "mode": "incremental",
        "events": len(rows),
        "people": len(values),
        "seconds": clock.perf_counter() - started,
        "cpu_seconds": clock.process_time() - cpu,
        "stored": wrote,
        "bytes_kept": wrote and keep_bytes,
    }


def recompute_organisation(
    organisation: Organisation | int, progress=None, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """Recompute and store the trust of everyone in the organisation. Return a summary.

    ``progress`` (optional) is called with ``(step, done, total)`` while explanations are built.
    The pass is stored under the input version it started from (``snapshot``, taken now if not
    given); one that started from an older version than the stored result reflects writes
    nothing.
    """
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    started = clock.perf_counter()
    # Read before the ledger: a change after it moves the input version on again.
    snap = snapshot or take_snapshot(organisation_id, claim=False)
    rows = trust_rows(organisation_id)
    result, events = compute(organisation_id, rows=rows)
    computed = clock.perf_counter()
    users = list(
        User.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    values = {}
    for done, pk in enumerate(users, 1):
        values[pk] = _values(result, str(pk))
        if progress is not None:
            progress("explaining", done, len(users))
    blob = None if result is None else stored.to_bytes(result)
    wrote = _store(organisation_id, snap, values, blob, now, started, {r[0] for r in rows})
    return {
        "people": len(users),
        "events": 0 if events is None else len(events),
        "compute_seconds": computed - started,
        "seconds": clock.perf_counter() - started,
        "stored": wrote,
    }


def write_kept_bytes(organisation_id: int) -> str:
    """Write the result bytes that passes kept (see :data:`RESULT_BYTES_EVERY_SECONDS`): this
    process's own result, or the stored bytes with the kept passes' events folded in again;
    recompute everyone only when neither can be had. Return what it did: "current" (nothing
    was behind), "written" or "recomputed"."""
    snap = take_snapshot(organisation_id, claim=False)
    done = _write_kept_bytes(organisation_id, snap)
    if done == "recompute":
        recompute_organisation(organisation_id, snapshot=snap)
        return "recomputed"
    return done


def _write_kept_bytes(organisation_id: int, snap: Snapshot) -> str:
    """Write the result the stored profiles reflect when the stored bytes are older (this
    process's own, or rebuilt by :func:`_result_to_go_on_from`). Return "current", "written",
    or "recompute" when the bytes are behind and that result cannot be had."""
    version = (
        StoredTrustResult.objects.filter(organisation_id=organisation_id)
        .values_list("version", flat=True)
        .first()
    )
    if version is None or version >= snap.stored_version:
        return "current"
    result = _result_to_go_on_from(organisation_id, snap)
    if result is None:
        return "recompute"
    with transaction.atomic():
        lock_organisation_row(StoredTrustResult, organisation_id, "data")
        stored_now = (
            TrustState.objects.filter(organisation_id=organisation_id)
            .values_list("stored_version", flat=True)
            .get()
        )
        if stored_now != snap.stored_version:
            return "current"  # a pass stored meanwhile, and wrote or kept the bytes itself
        _write_blob(organisation_id, stored.to_bytes(result))
        StoredTrustResult.objects.filter(organisation_id=organisation_id).update(
            version=snap.stored_version, folded_since=[]
        )
    _bytes_written_at[organisation_id] = clock.monotonic()
    _last_stored[organisation_id] = (snap.stored_version, snap.computed_at, result)
    return "written"


def _store(
    organisation_id: int,
    snap: Snapshot,
    values: dict[int, dict],
    blob: bytes | None,
    now: datetime,
    started: float,
    folded: set[int],
    incremental: bool = False,
    result: Any = None,
    keep_bytes: bool = False,
) -> bool:
    """Store a pass's profiles and result under the input version it started from.

    ``folded`` are the trust events the result reflects: they leave ``pending``, and each one
    recorded after the pass started (a full pass reads the ledger as it is by then) moves the
    stored version on by one. An incremental pass stores only onto the result it loaded; if
    another pass stored meanwhile, it queues a fresh one instead. ``result`` (an incremental
    pass's) is kept in this process for the next pass to go on from; ``keep_bytes`` then
    leaves the stored bytes and their version as they were (``blob`` is not written).

    Passes store one at a time under the lock of the organisation's
    :class:`~cairn.trust.models.StoredTrustResult` row, which requests never take. The
    profiles and the result's bytes are written under that lock alone; the
    :class:`~cairn.trust.models.TrustState` row, which every trust event locks for a moment,
    is locked only for its last small update, just before the commit.
    """
    with transaction.atomic():
        kept = lock_organisation_row(StoredTrustResult, organisation_id, "data")
        # Only a store changes the stored version, and stores hold the lock just taken.
        stored_now = (
            TrustState.objects.filter(organisation_id=organisation_id)
            .values_list("stored_version", flat=True)
            .get()
        )
        if snap.version < stored_now:
            return False  # a newer recompute has already stored its results
        if incremental and stored_now != snap.stored_version:
            raise Superseded  # the update applies to a result that is no longer the stored one
        _write_profiles(organisation_id, values, now)
        kept_now = StoredTrustResult.objects.filter(pk=kept.pk)
        if not keep_bytes:
            _write_blob(organisation_id, blob)
        state = locked_state(organisation_id)
        known = set(snap.pending)
        later = sum(1 for pk in state.pending if pk in folded and pk not in known)
        version = snap.version + later
        if keep_bytes:
            kept_now.update(folded_since=[*kept.folded_since, sorted(folded)])
        else:
            kept_now.update(version=version, folded_since=[])
            _bytes_written_at[organisation_id] = clock.monotonic()
        state.stored_version = version
        state.pending = [pk for pk in state.pending if pk not in folded]
        state.computed_at = now
        state.seconds = clock.perf_counter() - started
        state.engine_version = ENGINE_VERSION
        state.save(
            update_fields=["stored_version", "pending", "computed_at", "seconds", "engine_version"]
        )
    if result is not None:
        _last_stored[organisation_id] = (version, now, result)
    return True


def _write_profiles(organisation_id: int, values: dict[int, dict], now: datetime) -> None:
    """Write the trust profiles of the people in ``values`` (made for those who have none)."""
    existing = {
        p.user_id: p
        for p in TrustProfile.objects.filter(user_id__in=list(values)).only("pk", "user_id")
    }
    changed: list[TrustProfile] = []
    created: list[TrustProfile] = []
    for user_id, fields in values.items():
        profile = existing.get(user_id) or TrustProfile(
            organisation_id=organisation_id, user_id=user_id
        )
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.engine_version = ENGINE_VERSION
        profile.computed_at = now
        (changed if profile.pk else created).append(profile)
    _update_many(changed)
    TrustProfile.objects.bulk_create(created, batch_size=500)


def _update_many(profiles: list[TrustProfile]) -> None:
    """Write the profile fields of many rows in one ``executemany`` UPDATE.

    The same as ``bulk_update(profiles, PROFILE_FIELDS)``, whose CASE WHEN per row and field
    takes seconds for an organisation of 150 people; this takes milliseconds.
    """
    if not profiles:
        return
    connection = transaction.get_connection()
    meta = TrustProfile._meta
    by_name = {f.name: f for f in meta.concrete_fields}
    fields = [by_name[name] for name in PROFILE_FIELDS]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Names from the model, values as parameters: nothing from users in the SQL text.
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608  # nosec B608
    params = [
        [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] + [p.pk]
        for p in profiles
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --- The stored engine result, read by pages ------------------------------------------------


@dataclass
class Stored:
    """The engine result the worker last stored (None: none yet), and whether the engine's
    input has changed since (a recompute is then due)."""

    result: Any
    stale: bool
    queued: bool


_results: dict[int, tuple[tuple[Any, ...], Any]] = {}
_results_lock = threading.Lock()


def stored_result(organisation_id: int) -> Stored:
    """Return the organisation's stored engine result; never computes.

    One small query when this process has already read the stored bytes, two otherwise
    (the bytes are read only when they changed).
    """
    bytes_version = StoredTrustResult.objects.filter(
        organisation_id=OuterRef("organisation_id")
    ).values("version")[:1]
    state = (
        TrustState.objects.filter(organisation_id=organisation_id)
        .only("input_version", "stored_version", "engine_version", "queued", "computed_at")
        .annotate(bytes_version=Subquery(bytes_version))
        .first()
    )
    if state is None:
        return Stored(None, stale=True, queued=False)
    # The bytes may be a pass or two behind the profiles (RESULT_BYTES_EVERY_SECONDS): the
    # answer is then "being updated", and the next pass writes them.
    version = state.bytes_version
    behind = version is None or version < state.stored_version
    stale = state.is_stale() or state.engine_version != ENGINE_VERSION or behind
    # The bytes are those of the last pass unless they are behind; passes that kept them
    # leave the key as it was, so nothing is read again for them.
    key = (version, state.engine_version, None if behind else state.computed_at)
    with _results_lock:
        cached = _results.get(organisation_id)
    if cached is not None and cached[0] == key:
        return Stored(cached[1], stale, state.queued)
    blob = _stored_blob(organisation_id)
    result = None
    if blob is not None and state.engine_version == ENGINE_VERSION:
        try:
            result = stored.from_bytes(bytes(blob))
        except stored.StoredResultError:
            stale = True
    with _results_lock:
        _results[organisation_id] = (key, result)
    return Stored(result, stale, state.queued)


def forget_results() -> None:
    """Drop the results this process has read or stored (tests)."""
    with _results_lock:
        _results.clear()
    _last_stored.clear()
    _bytes_written_at.clear()
    bytes_write_asked.clear()


# --- Pairwise trust in words ------------------------------------------------------------------


def pairwise_words(score: float) -> str:
    """Return how far a viewer can trust someone, in plain words."""
    if score >= 0.6:
        return "you have good reason to trust them"
    if score >= 0.4:
        return "you have some reason to trust them"
    if score > 0.15:
        return "there is little to go on yet"
    return "there is too little to go on yet"


def pairwise_for(result: Any, viewer_id: int, person_id: int) -> dict[str, Any]:
    """Return how much the viewer can trust the person and through whom, from a stored result
    (None: nothing stored yet), for the page and API.

    ``via`` lists the user ids of the people the viewer trusts (directly or through others) who
    worked with the person: the last step of each of the strongest vouching paths. What each of
    them said is never given, only how it went on the whole, and only when there are at least
    ``MIN_WITNESSES`` of them.
    """
    viewer, person = str(viewer_id), str(person_id)
    if result is None or result.index(person) < 0:
        return {
            "score": 0.0,
            "words": "not yet known",
            "worked_together": False,
            "via": [],
            "went": "",
        }
    pair = engine.pairwise_trust(result, viewer, person)
    via: list[int] = []
    for path in pair.paths:
        # The last step before the person: someone trust reaches from the viewer, who has
        # worked with the person and vouches for them.
        if len(path.people) > 2 and int(path.people[-2]) not in via:
            via.append(int(path.people[-2]))
    went = ""
    if via:
        direct = [engine.pairwise_trust(result, str(v), person, k=0).direct for v in via]
        said = [d for d in direct if d is not None]
        if len(said) >= MIN_WITNESSES:
            mean = sum(said) / len(said)
            went = "well" if mean >= 0.65 else ("mixed" if mean >= 0.45 else "not so well")
    return {
        "score": pair.score,
        "words": pairwise_words(pair.score)
        if (via or pair.direct is not None)
        else "not yet known",
        "worked_together": pair.direct is not None,
        "via": via,
        "went": went,
    }
