"""API endpoints of the disputes app: contest an item of evidence, review a dispute."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from cairn.api.bodies import documents, parse_body
from cairn.disputes import actions
from cairn.disputes.access import disputable_event_for, disputable_events, dispute_for, disputes_for
from cairn.disputes.models import Dispute
from cairn.disputes.views import describe_all
from cairn.http import SignedInRequest

router = Router(tags=["disputes"])


class EvidenceOut(Schema):
    event: int
    kind: str
    what: str


class DisputeOut(Schema):
    id: int
    event: int
    what: str
    opened_by: str
    reviewer: str | None
    reason: str
    status: str
    outcome_reason: str
    created_at: datetime
    resolved_at: datetime | None


class DisputeIn(Schema):
    event: int = Field(..., description="The id of the evidence (from /disputes/evidence).")
    reason: str = Field(..., max_length=500)


class DisputeResolveIn(Schema):
    outcome: str = Field(..., description='"upheld" or "overturned".')
    reason: str = Field(..., max_length=500)


def _out(disputes: list[Dispute]) -> list[dict[str, object]]:
    words = describe_all([d.event for d in disputes])
    return [
        {
            "id": d.pk,
            "event": d.event_id,
            "what": words[d.event_id],
            "opened_by": d.opened_by.profile.handle,
            "reviewer": d.reviewer.profile.handle if d.reviewer else None,
            "reason": d.reason,
            "status": d.status,
            "outcome_reason": d.outcome_reason,
            "created_at": d.created_at,
            "resolved_at": d.resolved_at,
        }
        for d in disputes
    ]


@router.get(
    "/disputes/evidence",
    response=list[EvidenceOut],
    summary="Evidence about me that I can dispute",
)
def list_evidence(request: SignedInRequest) -> list[dict[str, object]]:
    events = list(
        disputable_events(request.user).filter(dispute__isnull=True).order_by("-time")[:50]
    )
    words = describe_all(events)
    return [{"event": e.pk, "kind": e.verb, "what": words[e.pk]} for e in events]


@router.get("/disputes", response=list[DisputeOut], summary="Disputes I opened or review")
def list_disputes(request: SignedInRequest) -> list[dict[str, object]]:
    return _out(list(disputes_for(request.user)[:100]))


@router.post("/disputes", response={201: DisputeOut}, summary="Dispute an item of evidence")
def open_dispute(request: SignedInRequest, payload: DisputeIn) -> Status:
    event = disputable_event_for(request.user, payload.event)
    dispute = actions.do_open_dispute(request.user, event, payload.reason)
    return Status(201, _out([dispute_for(request.user, dispute.pk)])[0])


@router.get("/disputes/{dispute_id}", response=DisputeOut, summary="One dispute")
def get_dispute(request: SignedInRequest, dispute_id: int) -> dict[str, object]:
    return _out([dispute_for(request.user, dispute_id)])[0]


@router.post(
    "/disputes/{dispute_id}/resolve",
    response=DisputeOut,
    summary="Uphold or overturn a dispute (the reviewer or an admin)",
    openapi_extra=documents(DisputeResolveIn),
)
def resolve_dispute(request: SignedInRequest, dispute_id: int) -> dict[str, object]:
    dispute = dispute_for(request.user, dispute_id)
    payload = parse_body(request, DisputeResolveIn)
    actions.do_resolve_dispute(dispute, request.user, payload.outcome, payload.reason)
    return _out([dispute_for(request.user, dispute_id)])[0]
