"""Calls Cairn makes to addresses an organisation's admin typed in: an LRS, a webhook, a chat
channel.

Outgoing requests go only to public addresses unless the operator allows private ones
(``CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS``): an admin must not be able to make Cairn probe the
network it runs in. Redirects are never followed, and every call has a timeout. Each failure
is an :class:`OutboundError` whose message says, in words, what went wrong.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils import timezone

TIMEOUT_SECONDS = 10.0

log = logging.getLogger(__name__)


class OutboundError(Exception):
    """The address was refused, could not be reached, or answered with an error.

    ``status`` is the HTTP status when there was an answer; ``elapsed_ms`` how long it took.
    """

    def __init__(self, message: str, status: int | None = None, elapsed_ms: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.elapsed_ms = elapsed_ms


@dataclass(frozen=True)
class Answer:
    """A successful answer: its HTTP status, how long it took, and its body."""

    status: int
    elapsed_ms: int
    body: str


def check_target(url: str) -> None:
    """Raise :class:`OutboundError` unless ``url`` is http(s) to a host Cairn may call."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("The address must start with https:// (or http://) and name a host.")
    if settings.CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise OutboundError(f"The host {parts.hostname} cannot be found ({error}).") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise OutboundError(
                f"{parts.hostname} is a private or local address ({address}); Cairn only sends "
                "to public addresses unless the operator allows private ones."
            )


def call(
    method: str,
    url: str,
    *,
    what: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Answer:
    """Make one request to an admin-chosen address; ``what`` names the other end in messages
    ("The LRS", "The webhook endpoint"). Any status of 300 or more is an error."""
    check_target(url)
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        response = httpx.request(
            method,
            url,
            content=body,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=False,
        )
    except httpx.TimeoutException as error:
        raise OutboundError(
            f"{what} did not answer within {timeout:g} s.", elapsed_ms=elapsed()
        ) from error
    except httpx.HTTPError as error:
        raise OutboundError(f"{what} cannot be reached: {error}.", elapsed_ms=elapsed()) from error
    if response.status_code >= 300:
        detail = response.text[:300].strip()
        raise OutboundError(
            f"{what} answered {response.status_code}: {detail}".rstrip(": "),
            response.status_code,
            elapsed(),
        )
    return Answer(response.status_code, elapsed(), response.text)


# --- Sending in turn: back-off and one sender at a time ----------------------------------------


class Destination(models.Model):
    """Where the ledger's events go, read in order: an LRS connection, a webhook.

    It keeps the id of the last ledger event dealt with (``sent_through_event_id``), the run
    of failures that sets the back-off, and the lease that lets one sender at a time send.
    """

    enabled = models.BooleanField(default=True)
    sent_through_event_id = models.BigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def retry_delay(self) -> timedelta:
        """Return how long to wait after the current run of failures: 30 s doubling, at most 1 h."""
        return timedelta(seconds=min(30 * 2 ** max(self.failures - 1, 0), 3600))

    def is_due(self, now=None) -> bool:
        """Return whether a send may be attempted now (switched on, not backing off)."""
        now = now or timezone.now()
        return self.enabled and (self.next_attempt_at is None or self.next_attempt_at <= now)


class Attempt(models.Model):
    """One send (or try) to a :class:`Destination`: when, whether it went, the HTTP status of
    the answer, how long it took and, on failure, what went wrong."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=6, choices=Status.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


def claim(rows: models.QuerySet, lease: timedelta) -> bool:
    """Take the sending lease on a :class:`Destination` row that is switched on, not backing
    off and not held by another sender (or held by one that crashed, its lease run out);
    return whether it was taken."""
    now = timezone.now()
    return bool(
        rows.filter(enabled=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(lease_until=now + lease)
    )


def first_in_window(key: str, window: timedelta) -> bool:
    """Return whether this is the first call with ``key`` in the next ``window`` (so a burst
    of events queues one send), marked in the cache all web processes share. A cache that does
    not answer says yes: a send queued twice sends nothing twice (each send claims what is
    owed), one never queued would wait for ``cairn periodic``."""
    try:
        return bool(cache.add(key, 1, timeout=window.total_seconds()))
    except Exception:  # whatever the cache backend raises when it cannot be reached
        log.warning("Could not mark %s in the cache; queuing anyway", key, exc_info=True)
        return True
