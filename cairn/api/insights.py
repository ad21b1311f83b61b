"""API endpoints of the insights app: the admins' view of trust in the organisation."""

from datetime import datetime

from ninja import Router, Schema

from cairn.checks import organisation_id_of
from cairn.http import SignedInRequest
from cairn.insights import queries
from cairn.insights.access import check_insights

router = Router(tags=["insights"])


class DepartmentTrustOut(Schema):
    name: str
    people: int
    low: float
    q1: float
    median: float
    q3: float
    high: float
    dimensions: dict[str, float]


class HelperOut(Schema):
    handle: str
    name: str
    given: int
    recognised: int


class AtRiskOut(Schema):
    id: int
    text: str
    committer: str
    counterpart: str
    due_at: datetime
    overdue: bool


class RingSummaryOut(Schema):
    id: int
    status: str
    members: list[str]
    internal: int
    outside: int
    outsiders: int
    share: float
    why: str


class InsightsOut(Schema):
    departments: list[DepartmentTrustOut]
    under_recognised: list[HelperOut]
    commitments_at_risk: list[AtRiskOut]
    suspected_rings: list[RingSummaryOut]


@router.get("/insights", response=InsightsOut, summary="Insight for admins (admins only)")
def insights(request: SignedInRequest) -> dict[str, object]:
    check_insights(request.user)
    organisation_id = organisation_id_of(request.user)
    return {
        "departments": [
            {**d.__dict__, "dimensions": dict(d.dimensions)}
            for d in queries.trust_by_department(organisation_id)
        ],
        "under_recognised": [
            {
                "handle": h.profile.handle,
                "name": h.profile.name,
                "given": h.given,
                "recognised": h.recognised,
            }
            for h in queries.under_recognised(organisation_id)
        ],
        "commitments_at_risk": [
            {
                "id": c.pk,
                "text": c.text,
                "committer": c.committer.profile.handle,
                "counterpart": c.counterpart.profile.handle,
                "due_at": c.due_at,
                "overdue": c.is_overdue(),
            }
            for c in queries.commitments_at_risk(organisation_id)
        ],
        "suspected_rings": [
            {
                "id": r.pk,
                "status": r.status,
                "members": [m.profile.handle for m in r.members.all()],
                "internal": r.internal_events,
                "outside": r.outside_events,
                "outsiders": r.outsiders,
                "share": r.insularity(),
                "why": r.evidence,
            }
            for r in queries.suspected_rings(organisation_id)
        ],
    }
