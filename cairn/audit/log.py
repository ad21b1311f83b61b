"""``record()``: the one way into the audit log. Actions call it; so do the sign-in receivers.

Where an act came from (IP, browser) is read from the request the middleware remembers, so an
action function needs no request to audit itself.
"""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from cairn.audit.models import Action, AuditEntry

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class RememberRequestMiddleware:
    """Remember the request being served, so ``record()`` can say where an act came from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _client_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(
    action: Action | str,
    *,
    actor: Any = None,
    organisation: Any = None,
    target: object = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one audit entry. ``organisation`` defaults to the actor's; ``target`` is a
    description (a person is written as their email)."""
    request = request or _current_request.get()
    if organisation is None and actor is not None:
        organisation = getattr(actor, "organisation", None)
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=(actor_label or getattr(actor, "email", ""))[:254],
        action=Action(action),
        target=str(target)[:200],
        ip=_client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        details=details or {},
    )


#: Acts whose target is words the actor chose (a token's name), not a description.
AUTHORED_TARGETS = (Action.TOKEN_CREATED, Action.TOKEN_USED, Action.TOKEN_REVOKED)


def forget(person: Any, mentioning: Q | None, rewrite: Callable[[Any], Any]) -> int:
    """Rewrite the audit entries that mention an erased person; return how many changed.

    The one sanctioned rewrite of the append-only log: the entries stay (what was done, when,
    from where) and ``rewrite`` (text or JSON in, the same with the person's identifiers
    replaced, out) names the person by their tombstone. ``mentioning`` finds the entries;
    the targets the person named themselves (:data:`AUTHORED_TARGETS`) are removed.
    """
    found = Q(actor=person, action__in=AUTHORED_TARGETS)
    if mentioning is not None:
        found |= mentioning
    changed = 0
    entries = AuditEntry.objects.filter(found).values_list(
        "pk", "actor_id", "action", "actor_label", "target", "details"
    )
    for pk, actor_id, action, label, target, details in entries:
        authored = actor_id == person.pk and action in AUTHORED_TARGETS
        changed += QuerySet.update(
            AuditEntry.objects.filter(pk=pk),
            actor_label=rewrite(label),
            target="[removed]" if authored else rewrite(target),
            details=rewrite(details),
        )
    return changed
