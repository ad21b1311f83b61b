"""API endpoints of the commitments app: make, list, confirm, renegotiate and cancel."""

from datetime import datetime
from typing import Literal

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cairn.api.bodies import colleague_named, documents, parse_body
from cairn.api.pagination import BoundedPagination
from cairn.commitments import actions
from cairn.commitments.access import commitment_for, commitments_of, context_for
from cairn.commitments.models import Commitment
from cairn.http import SignedInRequest

router = Router(tags=["commitments"])


class RenegotiationOut(Schema):
    old_due_at: datetime
    new_due_at: datetime
    reason: str
    created_at: datetime


class CommitmentOut(Schema):
    id: int
    text: str
    committer: str = Field(..., alias="committer.profile.handle")
    counterpart: str = Field(..., alias="counterpart.profile.handle")
    due_at: datetime
    status: str
    context: str | None = Field(None, description='Where it was made, "app_label.model:id".')
    created_at: datetime
    closed_at: datetime | None
    close_note: str
    renegotiations: list[RenegotiationOut]

    @staticmethod
    def resolve_context(obj: Commitment) -> str | None:
        if obj.context_type_id is None:
            return None
        ct = ContentType.objects.get_for_id(obj.context_type_id)
        return f"{ct.app_label}.{ct.model}:{obj.context_id}"


class CommitmentIn(Schema):
    counterpart: str = Field(..., description="The handle of the colleague you commit to.")
    text: str = Field(..., max_length=200, description="What you commit to.")
    due_at: datetime = Field(..., description="When, with its time zone (ISO 8601).")
    context: str = Field(
        "", description='Optional: a relationship, request or community, "app_label.model:id".'
    )


class ConfirmIn(Schema):
    outcome: Literal["kept", "missed"]


class RenegotiateIn(Schema):
    due_at: datetime
    reason: str = Field(..., max_length=300)


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


def _query(request: SignedInRequest):
    return commitments_of(request.user).prefetch_related("renegotiations")


@router.post("/commitments", response={201: CommitmentOut}, summary="Commit to a colleague")
def create_commitment(request: SignedInRequest, payload: CommitmentIn) -> tuple[int, Commitment]:
    counterpart = colleague_named(request.user, payload.counterpart, "counterpart")
    commitment = actions.do_commit(
        request.user,
        counterpart.user,
        payload.text,
        payload.due_at,
        context=context_for(request.user, payload.context),
    )
    return 201, _query(request).get(pk=commitment.pk)


@router.get("/commitments", response=list[CommitmentOut], summary="Commitments I made or am owed")
@paginate(BoundedPagination)
def list_commitments(
    request: SignedInRequest,
    role: Literal["all", "mine", "owed"] = "all",
    status: Literal["open", "kept", "missed", "cancelled", ""] = "",
):
    found = _query(request)
    if role == "mine":
        found = found.filter(committer=request.user)
    elif role == "owed":
        found = found.filter(counterpart=request.user)
    if status:
        found = found.filter(status=status)
    return found.order_by("due_at", "pk")


@router.get("/commitments/{commitment_id}", response=CommitmentOut, summary="One commitment")
def get_commitment(request: SignedInRequest, commitment_id: int) -> Commitment:
    return commitment_for(request.user, commitment_id)


@router.post(
    "/commitments/{commitment_id}/confirm",
    response=CommitmentOut,
    openapi_extra=documents(ConfirmIn),
    summary="Say it was kept or missed (the counterpart, once)",
)
def confirm_commitment(request: SignedInRequest, commitment_id: int) -> Commitment:
    commitment = commitment_for(request.user, commitment_id)
    payload = parse_body(request, ConfirmIn)
    actions.do_confirm(commitment, request.user, payload.outcome)
    return commitment_for(request.user, commitment_id)


@router.post(
    "/commitments/{commitment_id}/renegotiate",
    response=CommitmentOut,
    openapi_extra=documents(RenegotiateIn),
    summary="Move the date before it is due (the committer), saying why",
)
def renegotiate_commitment(request: SignedInRequest, commitment_id: int) -> Commitment:
    commitment = commitment_for(request.user, commitment_id)
    payload = parse_body(request, RenegotiateIn)
    actions.do_renegotiate(commitment, request.user, payload.due_at, payload.reason)
    return commitment_for(request.user, commitment_id)


@router.post(
    "/commitments/{commitment_id}/cancel",
    response=CommitmentOut,
    openapi_extra=documents(CancelIn),
    summary="Withdraw before it is due (committer) or release the committer (counterpart)",
)
def cancel_commitment(request: SignedInRequest, commitment_id: int) -> Commitment:
    commitment = commitment_for(request.user, commitment_id)
    payload = parse_body(request, CancelIn)
    actions.do_cancel(commitment, request.user, payload.reason)
    return commitment_for(request.user, commitment_id)
