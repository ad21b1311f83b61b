"""Talking to a Learning Record Store over HTTP: the statements resource and /about.

Outgoing requests go only to public addresses unless the operator allows private ones
(``CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS``): an organisation's admin must not be able to make
Cairn probe the network it runs in. Redirects are never followed, and every call has a timeout.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

TIMEOUT_SECONDS = 10.0
HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


class LrsError(Exception):
    """The LRS could not be reached or refused what was sent; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Answer:
    """A successful answer: its HTTP status and how long it took."""

    status: int
    elapsed_ms: int
    body: str


def check_target(url: str) -> None:
    """Raise :class:`LrsError` unless ``url`` is http(s) to a host Cairn may call."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsError("The address must start with https:// (or http://) and name a host.")
    if settings.CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise LrsError(f"The host {parts.hostname} cannot be found ({error}).") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise LrsError(
                f"{parts.hostname} is a private or local address ({address}); Cairn only sends "
                "to public addresses unless the operator allows private ones."
            )


def _call(method: str, url: str, key: str, secret: str, body: bytes | None = None) -> Answer:
    check_target(url)
    started = time.monotonic()
    try:
        response = httpx.request(
            method,
            url,
            content=body,
            headers=HEADERS,
            auth=(key, secret),
            timeout=TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.TimeoutException as error:
        raise LrsError(f"The LRS did not answer within {TIMEOUT_SECONDS:.0f} s.") from error
    except httpx.HTTPError as error:
        raise LrsError(f"The LRS cannot be reached: {error}.") from error
    elapsed = round((time.monotonic() - started) * 1000)
    if response.status_code >= 300:
        detail = response.text[:300].strip()
        raise LrsError(f"The LRS answered {response.status_code}: {detail}", response.status_code)
    return Answer(response.status_code, elapsed, response.text)


def post_statements(endpoint: str, key: str, secret: str, body: bytes) -> Answer:
    """POST a JSON list of statements to the LRS's statements resource."""
    return _call("POST", endpoint.rstrip("/") + "/statements", key, secret, body)


def check_credentials(endpoint: str, key: str, secret: str) -> Answer:
    """Read one statement with the credentials: proves the address, the key and the secret."""
    return _call("GET", endpoint.rstrip("/") + "/statements?limit=1", key, secret)
