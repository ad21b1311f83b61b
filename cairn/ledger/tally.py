"""Each person's running count of giving and recognition, kept beside the ledger.

:func:`count` runs inside :func:`cairn.ledger.record.record`, in the transaction that appends
the event: one row per person, incremented by an upsert, so the tally changes exactly when the
event commits, and two transactions wait for each other only when they count for the same
person. A catch-up job keyed by the last counted event id would not be exact: ids are taken
when a row is inserted, not when its transaction commits, so an event with a smaller id can
commit after a larger one was counted and be skipped for good.

:func:`recount` rebuilds an organisation's rows from the ledger, for writers that bypass
``record()`` (the bulk demo builder) and for checking that nothing drifted.
"""

from django.db import connection, transaction
from django.db.models import Count

from cairn.ledger.models import GIVING, RECOGNITION, Event, Tally

_UPSERT = (
    "INSERT INTO ledger_tally (organisation_id, user_id, given, recognised) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (organisation_id, user_id) DO UPDATE SET "
    "given = ledger_tally.given + excluded.given, "
    "recognised = ledger_tally.recognised + excluded.recognised"
)


def counted(event: Event) -> tuple[int, int, int] | None:
    """Return (person, given, recognised) that ``event`` adds to a tally, or None."""
    if event.verb in GIVING and event.actor_id is not None and event.subject_id is not None:
        return event.actor_id, 1, 0
    if event.verb in RECOGNITION and event.subject_id is not None:
        return event.subject_id, 0, 1
    return None


def count(event: Event) -> None:
    """Add ``event`` to its person's tally (one query, none for events it does not count)."""
    adds = counted(event)
    if adds is None:
        return
    person, given, recognised = adds
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [event.organisation_id, person, given, recognised])


def from_ledger(organisation_id: int) -> dict[int, tuple[int, int]]:
    """Return each person's (given, recognised), counted from the ledger (two queries)."""
    events = Event.objects.filter(organisation_id=organisation_id).order_by()
    given = events.filter(verb__in=GIVING, actor__isnull=False, subject__isnull=False)
    recognised = events.filter(verb__in=RECOGNITION, subject__isnull=False)
    tallies: dict[int, tuple[int, int]] = {}
    for person, n in given.values_list("actor_id").annotate(n=Count("*")):
        tallies[person] = (n, 0)
    for person, n in recognised.values_list("subject_id").annotate(n=Count("*")):
        tallies[person] = (tallies.get(person, (0, 0))[0], n)
    return tallies


def kept(organisation_id: int) -> dict[int, tuple[int, int]]:
    """Return each person's (given, recognised) as the tally holds it (one query)."""
    rows = Tally.objects.filter(organisation_id=organisation_id)
    return {u: (g, r) for u, g, r in rows.values_list("user_id", "given", "recognised")}


def recount(organisation_id: int) -> int:
    """Replace the organisation's tallies by a count from the ledger; return how many."""
    rows = [
        Tally(organisation_id=organisation_id, user_id=person, given=g, recognised=r)
        for person, (g, r) in from_ledger(organisation_id).items()
    ]
    with transaction.atomic():
        Tally.objects.filter(organisation_id=organisation_id).delete()
        Tally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
