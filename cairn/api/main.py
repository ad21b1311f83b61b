"""The JSON API under /api/v1: one NinjaAPI, session or personal-token auth, one error shape."""

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth
from psycopg.errors import NumericValueOutOfRange

from cairn.api.bodies import ObjectBodyParser
from cairn.api.openapi import CairnAPI
from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.errors import ActionError
from cairn.people.models import ApiToken, User, hash_token


def active_token(raw: str) -> ApiToken | None:
    """Return the active person's token whose secret is ``raw``, or None."""
    return (
        ApiToken.objects.select_related("user__organisation")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )


class PersonalTokenAuth(HttpBearer):
    """``Authorization: Bearer cairn_…`` with a personal API token.

    A bearer token that matches no token is refused with 401 at once, rather than falling
    through to the session check (whose CSRF refusal would say nothing about the token).
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = active_token(token)
        if found is None:
            raise AuthenticationError(401, "Unknown or revoked API token.")
        now = timezone.now()
        # Audited once a day per token (its first use that day), not on every request.
        today = timezone.localdate(now)
        if found.last_used_at is None or timezone.localdate(found.last_used_at) != today:
            audit.record(Action.TOKEN_USED, actor=found.user, target=found.name, request=request)
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.organisation = found.user.organisation  # type: ignore[attr-defined]
        return found.user


api = CairnAPI(
    title="Cairn API",
    version="1.0.0",
    description=(
        "Cairn's JSON API. Authenticate with your browser session (send the CSRF token on "
        "writes) or a personal API token: `Authorization: Bearer cairn_…` (create one on "
        'your profile page). Errors have the shape `{"detail": [{"loc": [...], "msg": '
        '"..."}]}` (422) or `{"detail": "..."}`.'
    ),
    auth=[PersonalTokenAuth(), django_auth],
    urls_namespace="api-1.0.0",
    parser=ObjectBodyParser(),
)


def error_body(message: str, field: str | None) -> dict[str, object]:
    """Return the error payload in the same shape ninja uses for validation errors."""
    loc = ["body", field] if field else ["body"]
    return {"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}


@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    if exc.status == 422:
        return api.create_response(request, error_body(exc.message, exc.field), status=422)
    response = api.create_response(request, {"detail": exc.message}, status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_id_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """An integer too big for the database (an id in the path, say) names nothing: 404.

    Numbers in queries and bodies have bounds in their schemas; path ids are only ``int``.
    Any other database data error is a bug, and stays a 500.
    """
    if isinstance(exc, DataError) and not isinstance(exc.__cause__, NumericValueOutOfRange):
        raise exc
    return on_not_found(request, Http404())


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Sign in, or send a personal API token as 'Authorization: Bearer …'."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="cairn"'
    return response


def _register_routers() -> None:
    from cairn.api import (
        commitments,
        communities,
        disputes,
        exchange,
        insights,
        learning,
        matching,
        moderation,
        notifications,
        people,
        privacy,
        privileges,
        safeguards,
        search,
        trust,
        webhooks,
    )

    for module in (
        people,
        learning,
        communities,
        exchange,
        commitments,
        notifications,
        trust,
        matching,
        insights,
        privileges,
        safeguards,
        disputes,
        moderation,
        search,
        webhooks,
        privacy,
    ):
        api.add_router("/", module.router)


_register_routers()
