"""API endpoints of the webhooks app: an organisation's admins register, change, test and
remove webhooks and read their delivery logs. Community chat channels are set on their page."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from cairn.api.bodies import documents, parse_body
from cairn.checks import check_org_admin
from cairn.http import SignedInRequest
from cairn.webhooks import actions
from cairn.webhooks.access import webhook_for
from cairn.webhooks.models import Delivery, Endpoint
from cairn.webhooks.payloads import EVENT_TYPES

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, description="Where Cairn POSTs each event.")
    event_types: list[str] = Field(
        ..., description="Ledger verbs to send: " + ", ".join(EVENT_TYPES) + "."
    )
    description: str = Field("", max_length=200)


class WebhookChangeIn(WebhookIn):
    enabled: bool = True
    new_secret: bool = Field(False, description="Make a new signing secret (returned once).")


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    switched_off_at: datetime | None
    failures: int
    last_error: str
    last_success_at: datetime | None
    created_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(..., description="The signing secret, shown this once.")


class DeliveryOut(Schema):
    message_id: str
    event: int | None = Field(..., alias="event_id")
    event_type: str
    created_at: datetime
    status: str
    http_status: int | None
    elapsed_ms: int
    error: str


def _admin(request: SignedInRequest) -> None:
    check_org_admin(request.user, "manage webhooks")


def _webhook(request: SignedInRequest, endpoint_id: int) -> Endpoint:
    """Return one of the organisation's webhooks for an admin: 403 for a member, 404 if not
    theirs."""
    _admin(request)
    return webhook_for(request.user, endpoint_id)


def _out(endpoint: Endpoint, secret: str = "") -> dict[str, object]:
    fields = {f: getattr(endpoint, f) for f in WebhookOut.model_fields if f != "id"}
    return {"id": endpoint.pk, **fields, **({"secret": secret} if secret else {})}


@router.get(
    "/webhooks",
    response={200: list[WebhookOut]},
    summary="The organisation's webhooks (admins)",
)
def list_webhooks(request: SignedInRequest) -> list[dict[str, object]]:
    _admin(request)
    endpoints = Endpoint.objects.visible_to(request.user).filter(community__isnull=True)
    return [_out(e) for e in endpoints.order_by("pk")]


@router.post(
    "/webhooks",
    response={201: WebhookWithSecret},
    summary="Register a webhook (admins); its signing secret is in this answer only",
)
def add_webhook(request: SignedInRequest, payload: WebhookIn) -> Status:
    _admin(request)
    endpoint, secret = actions.do_add_webhook(
        request.user,
        url=payload.url,
        event_types=payload.event_types,
        description=payload.description,
    )
    return Status(201, _out(endpoint, secret))


@router.get(
    "/webhooks/{endpoint_id}",
    response={200: WebhookOut},
    summary="One webhook (admins)",
)
def get_webhook(request: SignedInRequest, endpoint_id: int) -> dict[str, object]:
    return _out(_webhook(request, endpoint_id))


@router.put(
    "/webhooks/{endpoint_id}",
    response={200: WebhookWithSecret | WebhookOut},
    summary="Change a webhook (admins); switching it on sends what waited",
    openapi_extra=documents(WebhookChangeIn),
)
def change_webhook(request: SignedInRequest, endpoint_id: int) -> dict[str, object]:
    endpoint = _webhook(request, endpoint_id)
    payload = parse_body(request, WebhookChangeIn)
    endpoint, secret = actions.do_change_webhook(
        request.user,
        endpoint,
        url=payload.url,
        event_types=payload.event_types,
        description=payload.description,
        enabled=payload.enabled,
        new_secret_wanted=payload.new_secret,
    )
    return _out(endpoint, secret)


@router.delete(
    "/webhooks/{endpoint_id}",
    response={204: None},
    summary="Remove a webhook and its delivery log (admins)",
)
def remove_webhook(request: SignedInRequest, endpoint_id: int) -> Status:
    endpoint = _webhook(request, endpoint_id)
    actions.do_remove_endpoint(request.user, endpoint)
    return Status(204, None)


@router.post(
    "/webhooks/{endpoint_id}/test",
    response={200: DeliveryOut},
    summary="Send a signed test message now; the answer says how it went",
)
def send_test_message(request: SignedInRequest, endpoint_id: int) -> Delivery:
    endpoint = _webhook(request, endpoint_id)
    return actions.send_test(request.user, endpoint)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response={200: list[DeliveryOut]},
    summary="The latest 100 deliveries of a webhook, newest first",
)
def list_deliveries(request: SignedInRequest, endpoint_id: int) -> list[Delivery]:
    endpoint = _webhook(request, endpoint_id)
    return list(endpoint.deliveries.all()[:100])
