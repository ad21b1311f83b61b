"""Talking to a Learning Record Store over HTTP: the statements resource, and one read to test
the credentials. The address checks, timeouts and error messages are :mod:`cairn.outbound`'s."""

from __future__ import annotations

from cairn.outbound import Answer, call

HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
LRS = "The LRS"


def post_statements(endpoint: str, key: str, secret: str, body: bytes) -> Answer:
    """POST a JSON list of statements to the LRS's statements resource."""
    url = endpoint.rstrip("/") + "/statements"
    return call("POST", url, what=LRS, body=body, headers=HEADERS, auth=(key, secret))


def check_credentials(endpoint: str, key: str, secret: str) -> Answer:
    """Read one statement with the credentials: proves the address, the key and the secret."""
    url = endpoint.rstrip("/") + "/statements?limit=1"
    return call("GET", url, what=LRS, headers=HEADERS, auth=(key, secret))
