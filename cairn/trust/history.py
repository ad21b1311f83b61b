"""Trust over time: one snapshot per person a week, copied from stored trust, never computed in
a request.

The scheduled job (``cairn trust_snapshots``) copies everyone's stored trust into this week's
row; :func:`backfill` computes past weeks from the ledger as it stood then (for an organisation
that starts with history, like the demo). Pages compare groups between two weeks with
:func:`group_trust`.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from cairn.people.models import User
from cairn.trust import adapter
from cairn.trust.engine.confidence import KNOWN_CONFIDENCE
from cairn.trust.models import TrustSnapshot

#: Columns a new snapshot writes over an older one of the same person and week.
SNAPSHOT_FIELDS = ["trust", "confidence", "known"]


def week_of(day: date) -> date:
    """Return the Monday of ``day``'s week: the key of that week's snapshots."""
    return day - timedelta(days=day.weekday())


def is_known(trust: float, confidence: float) -> bool:
    """Return whether trust reads as known in words (the rule of ``TrustProfile.standing``)."""
    return confidence >= KNOWN_CONFIDENCE and trust > 0.0


def _snapshot(
    organisation_id: int, user_id: int, week: date, trust: float, confidence: float
) -> TrustSnapshot:
    """Return the unsaved snapshot of one person's trust in ``week``."""
    return TrustSnapshot(
        organisation_id=organisation_id,
        user_id=user_id,
        week=week,
        trust=trust,
        confidence=confidence,
        known=is_known(trust, confidence),
    )


def _write(rows: list[TrustSnapshot]) -> int:
    TrustSnapshot.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["user", "week"],
        update_fields=SNAPSHOT_FIELDS,
    )
    return len(rows)


def take_snapshots(organisation_id: int, now: datetime | None = None) -> int:
    """Copy the stored trust of the organisation's active members into this week's snapshots
    (0 and not known for someone the engine has not stored yet).

    Idempotent: a second run in the same week overwrites the week's rows. Returns how many
    rows were written.
    """
    week = week_of(timezone.localdate(now or timezone.now()))
    stored = User.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
        "pk", "trust_profile__trust", "trust_profile__confidence"
    )
    return _write(
        [
            _snapshot(organisation_id, user_id, week, trust or 0.0, confidence or 0.0)
            for user_id, trust, confidence in stored
        ]
    )


def backfill(
    organisation_id: int,
    weeks: int,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute the snapshots of the ``weeks`` weeks before this one from the ledger as it stood
    at the end of each, and write them. Returns how many rows were written.

    Each week is a full engine pass over the events up to that week's end, so this belongs to
    set-up (the demo, an import of history), not to requests.
    """
    this_week = week_of(timezone.localdate(now or timezone.now()))
    people = list(
        User.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    written = 0
    rows = adapter.trust_rows(organisation_id)  # read once; each week sees those up to its end
    for done, back in enumerate(range(weeks, 0, -1), 1):
        week = this_week - timedelta(weeks=back)
        end = timezone.make_aware(datetime.combine(week + timedelta(days=7), time.min))
        result, _ = adapter.compute(organisation_id, at=end, rows=rows)
        snapshots = []
        for pk in people:
            i = -1 if result is None else result.index(str(pk))
            trust = 0.0 if i < 0 else float(result.trust[i])
            confidence = 0.0 if i < 0 else float(result.confidence[i])
            snapshots.append(_snapshot(organisation_id, pk, week, trust, confidence))
        written += _write(snapshots)
        if progress is not None:
            progress(done, weeks)
    return written


@dataclass(frozen=True)
class GroupTrust:
    """A group's trust in one week: how many had a snapshot, how many read as known, and
    their average trust on the 0-100 scale the pages use (unknown people count as 0)."""

    week: date
    people: int
    known: int
    average: float

    @property
    def known_percent(self) -> int:
        """Return the share of the group whose trust is known, in percent."""
        return round(100 * self.known / self.people) if self.people else 0


def _week_at(organisation_id: int, on: date) -> date | None:
    """Return the latest week with snapshots at or before ``on``, or None."""
    latest = TrustSnapshot.objects.filter(organisation_id=organisation_id, week__lte=week_of(on))
    return latest.aggregate(week=Max("week"))["week"]


def _split(
    organisation_id: int, user_ids: Collection[int], week: date
) -> tuple[GroupTrust, GroupTrust]:
    """Return the trust of ``user_ids`` and of everyone else in ``week``, in one query."""
    chosen = Q(user_id__in=list(user_ids))
    figures = TrustSnapshot.objects.filter(organisation_id=organisation_id, week=week).aggregate(
        **{
            f"{side}_{name}": aggregate
            for side, group in (("in", chosen), ("out", ~chosen))
            for name, aggregate in (
                ("people", Count("pk", filter=group)),
                ("known", Count("pk", filter=group & Q(known=True))),
                ("average", Avg("trust", filter=group)),
            )
        }
    )

    def side(name: str) -> GroupTrust:
        return GroupTrust(
            week=week,
            people=figures[f"{name}_people"],
            known=figures[f"{name}_known"],
            average=round(100 * (figures[f"{name}_average"] or 0.0), 1),
        )

    return side("in"), side("out")


#: One group's trust before and after, for outcome pages: (who, before, after).
BeforeAfter = tuple[str, GroupTrust, GroupTrust]


def trust_before_after(
    organisation_id: int,
    user_ids: Collection[int],
    before: date,
    after: date,
    names: tuple[str, str] = ("participants", "everyone else"),
) -> list[BeforeAfter]:
    """Return the trust of ``user_ids`` and, beside it, of everyone else in the organisation,
    in the weeks of ``before`` and ``after``, named by ``names``; empty when no snapshot
    reaches back to ``before`` (a comparison with nothing before it would mislead). Four
    queries, whatever the organisation's size."""
    week_before = _week_at(organisation_id, before)
    week_after = _week_at(organisation_id, after)
    if week_before is None or week_after is None:
        return []
    then = _split(organisation_id, user_ids, week_before)
    now = _split(organisation_id, user_ids, week_after)
    return [(names[0], then[0], now[0]), (names[1], then[1], now[1])]


def trust_rows(comparison: list[BeforeAfter]) -> list[tuple[str, object]]:
    """Return a before/after comparison as (figure, value) rows for tables and CSV files."""
    rows: list[tuple[str, object]] = []
    for who, before, after in comparison:
        for when, figure in (("before", before), ("after", after)):
            rows.append((f"Trust known, {who}, {when} (%)", figure.known_percent))
            rows.append((f"Average trust, {who}, {when} (of 100)", figure.average))
    return rows


def known_share_bars(comparison: list[BeforeAfter]) -> list[tuple[str, float]]:
    """Return (label, percent known) bars of a before/after comparison, for a chart."""
    return [
        (f"{who.capitalize()}, {when}", figure.known_percent)
        for who, before, after in comparison
        for when, figure in (("before", before), ("after", after))
    ]
