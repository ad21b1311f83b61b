"""API endpoints of the insights app: the admins' view of trust in the organisation."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema
from pydantic import BeforeValidator

from cairn.api.fields import Handles
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
    dimensions: Annotated[dict[str, float], BeforeValidator(dict)]


class HelperOut(Schema):
    handle: str = Field(alias="profile.handle")
    name: str = Field(alias="profile.name")
    given: int
    recognised: int


class AtRiskOut(Schema):
    id: int
    text: str
    committer: str = Field(alias="committer.profile.handle")
    counterpart: str = Field(alias="counterpart.profile.handle")
    due_at: datetime
    overdue: bool = Field(alias="is_overdue")


class RingSummaryOut(Schema):
    id: int
    status: str
    members: Handles
    internal: int = Field(alias="internal_events")
    outside: int = Field(alias="outside_events")
    outsiders: int
    share: float = Field(alias="insularity")
    why: str = Field(alias="evidence")


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
        "departments": queries.trust_by_department(organisation_id),
        "under_recognised": queries.under_recognised(organisation_id),
        "commitments_at_risk": queries.commitments_at_risk(organisation_id),
        "suspected_rings": queries.suspected_rings(organisation_id),
    }
