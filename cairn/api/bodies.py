"""Reading a JSON body *after* the access check, so that an outsider always gets 404 first.

Endpoints that act on one object take the body with ``parse_body`` inside the view (once the
object is known to be visible) and describe it for OpenAPI with ``openapi_extra=documents(...)``.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError
from ninja.parser import Parser

from cairn.api.openapi import COMPONENTS
from cairn.errors import ActionError
from cairn.people.access import colleagues
from cairn.people.models import Profile, User


def body_is_required(schema: type[Schema]) -> bool:
    """Return whether ``schema`` has a field without a default (then a missing body is a 422)."""
    return any(field.is_required() for field in schema.model_fields.values())


def parse_body[T: Schema](request: HttpRequest, schema: type[T]) -> T:
    """Parse the JSON body once access is settled; errors come back as 422 with the field."""
    if not request.body and body_is_required(schema):
        raise ValidationError(
            [{"loc": ["body"], "msg": "A JSON body is required.", "type": "missing"}]
        )
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ActionError("Send a JSON object.") from None
    if not isinstance(data, dict):
        raise ActionError("Send a JSON object.")
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors(include_url=False)
            ]
        ) from None


def colleague_named(user: User, handle: str, field: str) -> Profile:
    """Return the colleague of ``user`` whose handle the body gives in ``field``; refuse
    (422 on that field) a handle no colleague has."""
    profile = colleagues(user).select_related("user").filter(handle=handle).first()
    if profile is None:
        raise ActionError(f"No colleague has the handle {handle!r}.", field=field)
    return profile


@contextmanager
def named_as_sent(**body_names: str) -> Iterator[None]:
    """Report an action's refusal under the name the body gave its field: within
    ``named_as_sent(goal="goal_id")`` a refusal of ``goal`` comes back on ``goal_id``."""
    try:
        yield
    except ActionError as error:
        if error.field not in body_names:
            raise
        raise ActionError(
            error.message, body_names[error.field], error.status, error.retry_after
        ) from None


def documents(schema: type[Schema]) -> dict[str, object]:
    """Return the OpenAPI request body of an endpoint that parses its body with parse_body()."""
    return {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": schema.model_json_schema(ref_template=COMPONENTS + "{model}")
                }
            },
            "required": body_is_required(schema),
        }
    }


class ObjectBodyParser(Parser):
    """Ninja's JSON parser, refusing a body that is not an object (which ninja would otherwise
    read attribute by attribute: the string ``"AAA"`` made a goal titled ``"AAA".title()``)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("Send a JSON object.")
        return data
