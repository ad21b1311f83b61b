"""Anti-gaming: per-pair daily caps, the scan that corrects gamed praise, and ring reviews.

``check_pair_cap`` is the first line of the actions that praise a person (thanks, credits,
feedback). ``do_scan_organisation`` reads the organisation's recent praise from the ledger, runs
the pure detectors of :mod:`cairn.safeguards.detect` and records what it corrects; it is
idempotent (an event is corrected at most once, a ring flagged once). Trust hears of each
correction and review from its ledger event and recomputes without (or again with) the evidence.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_person, lock_row
from cairn.people.models import Organisation, User
from cairn.safeguards import detect
from cairn.safeguards.models import CorrectedEvent, Correction, RingFlag

#: How many times a day one person may praise the same person, by verb (override with the
#: ``CAIRN_PAIR_CAPS`` setting).
PAIR_CAPS = {Verb.THANKED: 5, Verb.CREDITED: 5, Verb.RATED: 5}
PAIR_WORDS = {Verb.THANKED: "thank", Verb.CREDITED: "credit", Verb.RATED: "give feedback to"}
PRAISE = (Verb.THANKED, Verb.CREDITED, Verb.RATED)
#: How far back the nightly scan looks.
SCAN_DAYS = 30
#: Serial: more than this many from one person to one person in a rolling day is corrected.
SERIAL_LIMIT = 3
#: Bursts: more than this many from one person in an hour is corrected.
BURST_LIMIT = 20


def pair_cap(verb: str) -> int:
    """Return how many times a day one person may ``verb`` the same person."""
    caps = getattr(settings, "CAIRN_PAIR_CAPS", {}) or {}
    return int(caps.get(str(verb), PAIR_CAPS[Verb(verb)]))


def check_pair_cap(actor: User, subjects: Iterable[User | int], verb: str) -> None:
    """Refuse (429) praise from ``actor`` to someone they already praised this way ``cap``
    times in the last 24 hours.

    Runs inside the action's transaction, before its write: it locks the actor, so parallel
    praise is counted one after the other.
    """
    ids = {getattr(s, "pk", s) for s in subjects}
    ids.discard(None)
    if not ids:
        return
    lock_person(actor)
    cap = pair_cap(verb)
    window = timedelta(hours=24)
    since = timezone.now() - window
    counted = Event.objects.filter(actor=actor, verb=str(verb), subject_id__in=ids, time__gte=since)
    counts: defaultdict[int, int] = defaultdict(int)
    for subject_id in counted.values_list("subject_id", flat=True):
        counts[subject_id] += 1
    full = [subject_id for subject_id, n in counts.items() if n >= cap]
    if full:
        raise ActionError(
            f"You can {PAIR_WORDS[Verb(verb)]} the same person {cap} times a day, and you have "
            "today. It means a lot already; try again tomorrow.",
            field="recipient" if verb != Verb.RATED else "receiver",
            status=429,
            retry_after=counted.filter(subject_id__in=full).seconds_until_freed(window),
        )


def _admins(organisation_id: int) -> list[int]:
    return list(
        User.objects.filter(
            organisation_id=organisation_id, role=User.Role.ADMIN, is_active=True
        ).values_list("pk", flat=True)
    )


def recent_praise(organisation_id: int, now: datetime) -> QuerySet[Event]:
    """Return the organisation's praise from one person to another in the ``SCAN_DAYS`` up to
    ``now``: what the scan and the ring check of flaggers read."""
    return Event.objects.filter(
        organisation_id=organisation_id,
        verb__in=[str(v) for v in PRAISE],
        actor__isnull=False,
        subject__isnull=False,
        time__gte=now - timedelta(days=SCAN_DAYS),
    )


def do_scan_organisation(organisation: Organisation, now=None) -> dict[str, int]:  # noqa: ANN001
    """Correct serial and burst praise and flag rings in one organisation. Return counts."""
    now = now or timezone.now()
    rows = list(
        recent_praise(organisation.pk, now)
        .order_by("time", "pk")
        .values_list("pk", "actor_id", "subject_id", "verb", "time", "value")
    )
    done = {"corrected": 0, "corrections": 0, "rings": 0}
    if not rows:
        return done
    already = set(
        CorrectedEvent.objects.filter(event_id__in=[r[0] for r in rows]).values_list(
            "event_id", flat=True
        )
    )
    codes = {str(v): i for i, v in enumerate(PRAISE)}
    pk = np.array([r[0] for r in rows])
    actor = np.array([r[1] for r in rows])
    subject = np.array([r[2] for r in rows])
    kind = np.array([codes[r[3]] for r in rows])
    when = np.array([r[4].timestamp() for r in rows])
    positive = np.array([r[3] != Verb.RATED or (r[5] or 0) > 0 for r in rows])
    flagged: dict[tuple[str, int, int, str], list[int]] = defaultdict(list)
    serial = detect.serial(actor, subject, kind, when, limit=SERIAL_LIMIT)
    burst = detect.bursts(actor, when, limit=BURST_LIMIT) & ~serial
    for mask, reason in ((serial, Correction.Reason.SERIAL), (burst, Correction.Reason.BURST)):
        for i in np.flatnonzero(mask):
            if int(pk[i]) not in already:
                flagged[(reason, int(actor[i]), int(subject[i]), rows[i][3])].append(int(pk[i]))
                already.add(int(pk[i]))  # one correction per event, even inside a ring too
    people, number = np.unique(np.concatenate([actor, subject]), return_inverse=True)
    number_actor, number_subject = number[: len(actor)], number[len(actor) :]
    rings = detect.find_rings(number_actor[positive], number_subject[positive], len(people))
    with transaction.atomic():
        flags = _flags_by_members(organisation)
        rings_by_members: list[tuple[set[int], RingFlag]] = []
        for found in rings:
            ids = sorted(int(people[m]) for m in found.members)
            ring, new = _flag_ring(organisation, ids, found, flags)
            done["rings"] += int(new)
            if ring.status == RingFlag.Status.DISMISSED:
                continue  # an admin looked and found nothing wrong
            rings_by_members.append((set(ids), ring))
            inside = positive & np.isin(actor, ids) & np.isin(subject, ids)
            for i in np.flatnonzero(inside):
                if int(pk[i]) not in already:
                    key = (Correction.Reason.RING, int(actor[i]), int(subject[i]), rows[i][3])
                    flagged[key].append(int(pk[i]))
                    already.add(int(pk[i]))
        for (why, actor_id, subject_id, verb), events in flagged.items():
            in_ring = next(
                (r for ids, r in rings_by_members if {actor_id, subject_id} <= ids), None
            )
            correction = Correction.objects.create(
                organisation=organisation,
                actor_id=actor_id,
                subject_id=subject_id,
                verb=verb,
                reason=why,
                count=len(events),
                ring=in_ring,
                created_at=now,
            )
            CorrectedEvent.objects.bulk_create(
                [
                    CorrectedEvent(correction=correction, organisation=organisation, event_id=e)
                    for e in events
                ]
            )
            record(
                Verb.EVIDENCE_CORRECTED,
                actor=None,
                organisation=organisation,
                subject=User.objects.get(pk=subject_id),
                obj=correction,
                context={"events": events, "reason": why, "notify": [actor_id]},
            )
            done["corrections"] += 1
            done["corrected"] += len(events)
    return done


def _flags_by_members(organisation: Organisation) -> list[tuple[set[int], RingFlag]]:
    """Return the organisation's ring flags with their members, newest first (one query)."""
    return [
        ({int(i) for i in flag.key.split(",")}, flag)
        for flag in RingFlag.objects.filter(organisation=organisation).order_by(
            "-created_at", "-pk"
        )
    ]


def _flag_ring(
    organisation: Organisation,
    ids: list[int],
    found: detect.Ring,
    flags: list[tuple[set[int], RingFlag]],
) -> tuple[RingFlag, bool]:
    """Return the ring's flag and whether it is new; a new flag notifies the admins.

    A ring already flagged, or materially the same as one (:func:`detect.same_ring`), keeps
    its flag and its review: a dismissed ring stays dismissed until its membership changes.
    """
    members = set(ids)
    exact = next((flag for known, flag in flags if known == members), None)
    similar = next((flag for known, flag in flags if detect.same_ring(members, known)), None)
    known_flag = exact or similar
    if known_flag is not None:
        return known_flag, False
    ring = RingFlag.objects.create(
        organisation=organisation,
        key=",".join(str(i) for i in ids),
        internal_events=found.internal,
        outside_events=found.outside,
        outsiders=found.outsiders,
        evidence=(
            f"{len(ids)} accounts thanked, credited or rated each other {found.internal} times "
            f"in the last {SCAN_DAYS} days, "
            + (
                f"and {found.outsiders} other "
                f"{'person' if found.outsiders == 1 else 'people'} {found.outside} times."
                if found.outsiders
                else "and nobody else did."
            )
        ),
    )
    ring.members.set(ids)
    flags.insert(0, (members, ring))
    record(
        Verb.RING_FLAGGED,
        actor=None,
        organisation=organisation,
        obj=ring,
        context={"notify": _admins(organisation.pk), "members": ids},
    )
    return ring, True


def do_scan(now=None) -> dict[str, int]:  # noqa: ANN001
    """Scan every organisation. Return the summed counts."""
    total = {"corrected": 0, "corrections": 0, "rings": 0}
    for organisation in Organisation.objects.all():
        for name, n in do_scan_organisation(organisation, now).items():
            total[name] += n
    return total


def check_review(admin: User, ring: RingFlag, status: str) -> None:
    """Refuse a review by a non-admin, of another organisation, or to an unknown status."""
    if admin.role != User.Role.ADMIN or ring.organisation_id != admin.organisation_id:
        raise ActionError("No such flag.", status=404)
    if status not in (RingFlag.Status.DISMISSED, RingFlag.Status.CONFIRMED):
        raise ActionError("Choose dismiss or confirm.", field="status")


def do_review_ring(admin: User, ring: RingFlag, status: str, note: str = "") -> RingFlag:
    """Dismiss (its corrections count again) or confirm a ring flag; the same review twice
    changes nothing."""
    check_review(admin, ring, status)
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        ring = lock_row(ring)
        if ring.status == status:
            return ring
        ring.status = status
        ring.note = note
        ring.reviewed_by = admin
        ring.reviewed_at = timezone.now()
        ring.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
        record(
            Verb.RING_REVIEWED,
            actor=admin,
            obj=ring,
            context={"status": status, "url": reverse("ring", args=[ring.pk])},
        )
        audit.record(
            Action.RING_REVIEWED,
            actor=admin,
            target=ring,
            details={"status": status, "ring": ring.pk},
        )
    return ring
