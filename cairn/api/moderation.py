"""API: flag something for the moderators; the moderators' queue and their decisions.

Every endpoint declares the refusals it can answer with, in the shape the exception handler in
``cairn.api.main`` sends: ``{"detail": "…"}``, or for invalid input (422) the field and why.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from cairn.api.bodies import documents, parse_body
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.moderation import actions
from cairn.moderation.access import flaggable_for, flags_on, is_moderator, item_for, queue_for
from cairn.moderation.models import Flag, ModeratedItem

router = Router(tags=["moderation"])


class FlagIn(Schema):
    target_type: str = Field(
        ...,
        description=(
            'What is flagged: "exchange.post", "exchange.comment", "exchange.helprequest", '
            '"exchange.response", "communities.thread" or "communities.resource".'
        ),
    )
    target_id: int = Field(..., ge=1, le=2**63 - 1)
    reason: Literal["spam", "inappropriate", "off_topic", "private", "other"]
    note: str = Field("", max_length=500, description='Needed when the reason is "other".')


class FlagOut(Schema):
    id: int
    target_type: str = Field(alias="item.target_type")
    target_id: int = Field(alias="item.target_id")
    reason: str
    note: str
    status: str
    created_at: datetime


class ModeratorFlagOut(FlagOut):
    flagger: str = Field(alias="flagger.profile.handle")
    weight: float
    can_hide: bool
    suspicion: str


class ItemOut(Schema):
    id: int
    target_type: str
    target_id: int
    author: str = Field(alias="author.profile.handle")
    community: int | None = Field(None, alias="community_id")
    status: str
    hidden: bool
    hidden_by_flags: bool
    decision: str
    reason: str
    flagged_at: datetime
    decided_at: datetime | None


class ItemDetailOut(ItemOut):
    flags: list[ModeratorFlagOut] = Field(alias="flag_list")


class DecisionIn(Schema):
    decision: Literal["hide", "restore", "dismiss", "redact"]
    reason: str = Field(..., max_length=500, description="The author reads it.")
    texts: dict[str, str] = Field(
        default_factory=dict,
        description='For "redact": the edited text fields of the item (e.g. {"body": "…"}).',
    )


@router.post(
    "/flags",
    response={201: FlagOut},
    summary="Flag something for the moderators",
)
def flag(request: SignedInRequest, payload: FlagIn) -> Status:
    """Spam, inappropriate, off-topic, private information, or something else (with a note).
    At most a few a day (429 with Retry-After beyond that)."""
    target = flaggable_for(request.user, payload.target_type, payload.target_id)
    made = actions.do_flag(request.user, target, payload.reason, payload.note)
    return Status(201, Flag.objects.select_related("item").get(pk=made.pk))


@router.get(
    "/moderation/queue",
    response={200: list[ItemOut]},
    summary="Items waiting for review (admins, facilitators)",
)
def list_queue(request: SignedInRequest) -> list[ModeratedItem]:
    if not is_moderator(request.user):
        raise ActionError("Only admins and community facilitators moderate.", status=403)
    return list(queue_for(request.user).waiting()[:200])


def _detail(request: SignedInRequest, item_id: int) -> ModeratedItem:
    item = item_for(request.user, item_id)
    flags = list(flags_on(request.user, item).select_related("item"))
    item.flag_list = flags  # type: ignore[attr-defined]  # ItemDetailOut reads it as "flags"
    return item


@router.get(
    "/moderation/items/{item_id}",
    response={200: ItemDetailOut},
    summary="One flagged item with its flags",
)
def get_item(request: SignedInRequest, item_id: int) -> ModeratedItem:
    return _detail(request, item_id)


@router.post(
    "/moderation/items/{item_id}/decide",
    response={200: ItemDetailOut},
    summary="Hide, restore, dismiss the flags or edit private information out, with a reason",
    openapi_extra=documents(DecisionIn),
)
def decide(request: SignedInRequest, item_id: int) -> ModeratedItem:
    """The reason is shown to the author. "redact" takes the edited text fields in ``texts``."""
    item = item_for(request.user, item_id)
    payload = parse_body(request, DecisionIn)
    if payload.decision == "redact":
        actions.do_redact(request.user, item, payload.texts, payload.reason)
    else:
        actions.do_decide(request.user, item, payload.decision, payload.reason)
    return _detail(request, item_id)
