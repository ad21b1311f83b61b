"""Write an organisation's ledger in the trust event contract (../shared/TRUST-EVENTS.md)."""

import csv
from collections.abc import Callable
from typing import TextIO

from cairn.ledger.models import Event
from cairn.people.models import Organisation, Profile

HEADER = ["time", "actor", "subject", "kind", "value"]


def _format_value(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def export_trust_events(
    organisation: Organisation,
    out: TextIO,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the organisation's trust events as contract CSV, oldest first; return the count.

    People are named by their profile handle, which never changes.
    """
    handles = dict(
        Profile.objects.filter(organisation=organisation).values_list("user_id", "handle")
    )
    events = Event.objects.filter(organisation=organisation).for_trust()
    total = events.count()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    written = 0
    rows = events.values_list("time", "actor_id", "subject_id", "verb", "value")
    for time, actor_id, subject_id, verb, value in rows.iterator(chunk_size=5000):
        actor = handles.get(actor_id)
        if actor is None:
            continue
        subject = handles.get(subject_id, "") if subject_id else ""
        timestamp = time.timestamp()
        stamp = str(int(timestamp)) if timestamp.is_integer() else f"{timestamp:.3f}"
        writer.writerow([stamp, actor, subject, verb, _format_value(value)])
        written += 1
        if progress is not None and written % 5000 == 0:
            progress(written, total)
    if progress is not None:
        progress(written, total)
    return written
