"""The four insights for admins, each read in a fixed number of queries.

Ledger and trust rows in, plain Python structures out; the charts are drawn by
:mod:`cairn.insights.charts`. Suspected rings are the flags the safeguards stored
(:mod:`cairn.safeguards.detect` is the one ring detector).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db.models import F
from django.utils import timezone

from cairn.commitments.models import Commitment
from cairn.ledger.models import Tally
from cairn.people.models import Profile
from cairn.safeguards.models import RingFlag
from cairn.trust.models import DIMENSIONS, TrustProfile

#: Commitments due within this many days count as at risk.
AT_RISK_DAYS = 3
#: A helper gave at least this much to be listed as under-recognised.
MIN_GIVEN = 5
#: … and received at most this share of recognition per thing given.
MAX_RECOGNITION_RATE = 0.25


@dataclass
class DepartmentTrust:
    """Trust in one department: the spread of overall trust and the four dimensions' medians."""

    name: str
    people: int
    low: float
    q1: float
    median: float
    q3: float
    high: float
    dimensions: list[tuple[str, float]] = field(default_factory=list)


def trust_by_department(organisation_id: int) -> list[DepartmentTrust]:
    """Return each department's trust spread and dimension medians (one query)."""
    names = [name for name, _ in DIMENSIONS]
    rows = TrustProfile.objects.filter(
        organisation_id=organisation_id, user__is_active=True
    ).values_list("user__profile__department__name", "trust", *names)
    grouped: dict[str, list[tuple[float, ...]]] = {}
    for department, *values in rows:
        grouped.setdefault(department or "No department", []).append(tuple(values))
    out = []
    for name in sorted(grouped):
        values = np.array(grouped[name], dtype=float)
        trust = values[:, 0]
        q = np.quantile(trust, [0.0, 0.25, 0.5, 0.75, 1.0])
        medians = np.median(values[:, 1:], axis=0)
        out.append(
            DepartmentTrust(
                name=name,
                people=len(trust),
                low=float(q[0]),
                q1=float(q[1]),
                median=float(q[2]),
                q3=float(q[3]),
                high=float(q[4]),
                dimensions=[
                    (label, float(m)) for (_, label), m in zip(DIMENSIONS, medians, strict=True)
                ],
            )
        )
    return out


@dataclass
class Helper:
    """Someone who gives much and is rarely credited or thanked for it."""

    profile: Profile
    given: int
    recognised: int


def under_recognised(organisation_id: int, limit: int = 10) -> list[Helper]:
    """Return the most generous active people who are rarely credited or thanked (one query,
    over the organisation's tallies rather than its ledger)."""
    shortfall = F("recognised") - MAX_RECOGNITION_RATE * F("given")
    chosen = (
        Tally.objects.filter(
            organisation_id=organisation_id,
            user__is_active=True,
            user__profile__isnull=False,
            given__gte=MIN_GIVEN,
            recognised__lte=MAX_RECOGNITION_RATE * F("given"),
        )
        .annotate(shortfall=shortfall)
        .select_related("user__profile__department")
        .order_by("shortfall", "-given", "user_id")[:limit]
    )
    return [Helper(t.user.profile, t.given, t.recognised) for t in chosen]


def commitments_at_risk(organisation_id: int, now: datetime | None = None) -> list[Commitment]:
    """Return open commitments due within three days or overdue and unconfirmed (one query)."""
    now = now or timezone.now()
    return list(
        Commitment.objects.filter(
            organisation_id=organisation_id,
            status=Commitment.Status.OPEN,
            due_at__lte=now + timedelta(days=AT_RISK_DAYS),
        )
        .select_related("committer__profile", "counterpart__profile")
        .order_by("due_at", "pk")[:50]
    )


def suspected_rings(organisation_id: int) -> list[RingFlag]:
    """Return the rings the safeguards flagged that no admin has dismissed, newest first (two
    queries)."""
    return list(
        RingFlag.objects.filter(organisation_id=organisation_id)
        .exclude(status=RingFlag.Status.DISMISSED)
        .prefetch_related("members__profile")[:20]
    )
