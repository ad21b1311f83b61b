"""``Idempotency-Key`` on the API's writes: a client retrying after a lost answer gets the first
answer again instead of making the thing twice.

A POST to ``/api/`` with the header is stored by person, key, method and path, with a hash of its
body. The same request again within 24 hours replays the stored status and body (with
``Idempotent-Replayed: true``); the same key with a different body is a 422; the same key while
the first request is still running is a 409 (after two minutes it counts as abandoned). Server
errors and 429s are not stored, so a retry runs afresh.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from cairn.api.models import IDEMPOTENCY_TTL, IdempotentRequest
from cairn.people.models import User

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
#: A first request still "running" after this long died with its process: run the retry.
ABANDONED_AFTER = timedelta(minutes=2)


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    body = {"detail": [{"loc": ["header", HEADER], "msg": message, "type": "value_error"}]}
    return JsonResponse(body, status=status, headers=headers)


def _requester(request: HttpRequest) -> User | None:
    """Return who sent the request: the owner of its bearer token, or the signed-in person."""
    from cairn.api.main import active_token

    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        token = active_token(raw.strip())
        return token.user if token else None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _is_storable(response: HttpResponse) -> bool:
    return not response.streaming and response.status_code < 500 and response.status_code != 429


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
            return _error(422, f"Use 1 to {MAX_KEY_LENGTH} printable ASCII characters.")
        user = _requester(request)
        if user is None:
            return self.get_response(request)
        fingerprint = hashlib.sha256(request.body).hexdigest()
        where = {"user": user, "key": key, "method": request.method, "path": request.path[:500]}
        now = timezone.now()
        IdempotentRequest.objects.filter(**where).filter(
            Q(created_at__lte=now - IDEMPOTENCY_TTL)
            | Q(status__isnull=True, created_at__lte=now - ABANDONED_AFTER)
        ).delete()
        try:
            with transaction.atomic():
                stored = IdempotentRequest.objects.create(**where, fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(IdempotentRequest.objects.filter(**where).first(), fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            stored.delete()
            raise
        if not _is_storable(response):
            stored.delete()
            return response
        stored.status = response.status_code
        stored.content_type = response.get("Content-Type", "")[:100]
        stored.body = response.content
        stored.save(update_fields=["status", "content_type", "body"])
        return response

    @staticmethod
    def _replay(stored: IdempotentRequest | None, fingerprint: str) -> HttpResponse:
        if stored is not None and stored.fingerprint != fingerprint:
            return _error(422, "This key was used with a different request; use a new key.")
        if stored is None or stored.status is None:
            return _error(
                409, "The first request with this key is still running.", **{"Retry-After": "1"}
            )
        response = HttpResponse(
            bytes(stored.body), status=stored.status, content_type=stored.content_type or None
        )
        response["Idempotent-Replayed"] = "true"
        return response
