"""Abuse of flags, caught with the safeguards' own detectors (:mod:`cairn.safeguards.detect`).

A flag that looks like abuse is still queued for moderators, marked with why, but adds nothing
towards hiding the item:

- mass-flagging by one person: more than :data:`SERIAL_LIMIT` flags on one colleague's work in a
  rolling day (``detect.serial``), or more than :data:`BURST_LIMIT` flags in an hour
  (``detect.bursts``);
- a ring flagging one victim: flaggers of the same item who form a ring of mutual praise by
  ``detect.find_rings`` on their praise, or who sit in a ring the safeguards already flagged and
  an admin has not dismissed.
"""

from datetime import timedelta

import numpy as np
from django.utils import timezone

from cairn.ledger.models import Event, Verb
from cairn.people.models import User
from cairn.safeguards import detect
from cairn.safeguards.actions import recent_praise
from cairn.safeguards.models import RingFlag

#: More flags than this from one person on one colleague's work in a rolling day is serial.
SERIAL_LIMIT = 3
#: More flags than this from one person in an hour is a burst.
BURST_LIMIT = 5
DAY = 86400.0
HOUR = 3600.0


def suspicion_of(flagger: User, event: Event) -> str:
    """Return why the flag recorded as ``event`` looks like mass-flagging ("serial", "burst"),
    or "" when it does not. Reads the flagger's flags of the last day (one query)."""
    rows = list(
        Event.objects.filter(
            actor_id=flagger.pk, verb=Verb.FLAGGED, time__gte=event.time - timedelta(days=1)
        )
        .order_by("time", "pk")
        .values_list("pk", "subject_id", "time")
    )
    if not rows:
        return ""
    ids = [r[0] for r in rows]
    index = ids.index(event.pk) if event.pk in ids else len(ids) - 1
    actor = np.zeros(len(rows), dtype=np.int64)
    subject = np.array([r[1] or 0 for r in rows], dtype=np.int64)
    when = np.array([r[2].timestamp() for r in rows])
    kind = np.zeros(len(rows), dtype=np.int64)
    if detect.serial(actor, subject, kind, when, window=DAY, limit=SERIAL_LIMIT)[index]:
        return "serial"
    if detect.bursts(actor, when, window=HOUR, limit=BURST_LIMIT)[index]:
        return "burst"
    return ""


def ring_flaggers(organisation_id: int, flagger_ids: list[int]) -> set[int]:
    """Return those of ``flagger_ids`` (flaggers of one item) who flagged it as a ring: two or
    more of them in one ring of mutual praise, found by ``detect.find_rings`` on the praise
    they received, or in a ring the safeguards flagged and no admin dismissed."""
    flaggers = set(flagger_ids)
    if len(flaggers) < 2:
        return set()
    found: set[int] = set()
    stored = RingFlag.objects.filter(organisation_id=organisation_id, members__in=flaggers).exclude(
        status=RingFlag.Status.DISMISSED
    )
    for ring in stored.prefetch_related("members").distinct():
        inside = {m.pk for m in ring.members.all()} & flaggers
        if len(inside) >= 2:
            found |= inside
    rows = list(
        recent_praise(organisation_id, timezone.now())
        .filter(subject_id__in=flaggers)
        .values_list("actor_id", "subject_id", "verb", "value")
    )
    positive = [r for r in rows if r[2] != Verb.RATED or (r[3] or 0) > 0]
    if not positive:
        return found
    people, number = np.unique(
        np.array([r[0] for r in positive] + [r[1] for r in positive]), return_inverse=True
    )
    half = len(positive)
    for found_ring in detect.find_rings(number[:half], number[half:], len(people)):
        inside = {int(people[m]) for m in found_ring.members} & flaggers
        if len(inside) >= 2:
            found |= inside
    return found
