"""API: corrections to my evidence; suspected rings and their review (admins)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema

from cairn.api.bodies import documents, parse_body
from cairn.api.fields import Handles
from cairn.http import SignedInRequest
from cairn.safeguards.access import corrections_for, ring_for, rings_for
from cairn.safeguards.actions import do_review_ring
from cairn.safeguards.models import Correction, RingFlag

router = Router(tags=["safeguards"])


class CorrectionOut(Schema):
    id: int
    given_by: str = Field(alias="actor.profile.handle")
    given_to: str | None = Field(None, alias="subject.profile.handle")
    kind: str = Field(alias="verb")
    count: int
    reason: str
    why: str = Field(alias="get_reason_display")
    counts_again: bool
    created_at: datetime

    @staticmethod
    def resolve_counts_again(obj: Correction) -> bool:
        return obj.ring is not None and obj.ring.status == RingFlag.Status.DISMISSED


class RingFlagOut(Schema):
    id: int
    members: Handles
    evidence: str
    internal_events: int
    outside_events: int
    outsiders: int
    status: str
    note: str
    created_at: datetime


class ReviewIn(Schema):
    status: Literal["confirmed", "dismissed"]
    note: str = Field("", max_length=2000)


@router.get("/safeguards/corrections", response=list[CorrectionOut], summary="My corrections")
def list_corrections(request: SignedInRequest) -> list[Correction]:
    """Thanks, credits and ratings I gave or received that no longer count, and why."""
    return list(corrections_for(request.user)[:200])


@router.get("/safeguards/rings", response=list[RingFlagOut], summary="Suspected rings (admins)")
def list_rings(request: SignedInRequest) -> list[RingFlag]:
    return list(rings_for(request.user)[:200])


@router.get("/safeguards/rings/{ring_id}", response=RingFlagOut, summary="One suspected ring")
def get_ring(request: SignedInRequest, ring_id: int) -> RingFlag:
    return ring_for(request.user, ring_id)


@router.post(
    "/safeguards/rings/{ring_id}/review",
    response=RingFlagOut,
    summary="Review a ring",
    openapi_extra=documents(ReviewIn),
)
def review_ring(request: SignedInRequest, ring_id: int) -> RingFlag:
    """Confirm (their praise of each other stays uncounted) or dismiss (it counts again)."""
    ring = ring_for(request.user, ring_id)
    payload = parse_body(request, ReviewIn)
    return do_review_ring(request.user, ring, payload.status, payload.note)
