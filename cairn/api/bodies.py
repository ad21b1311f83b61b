"""Reading a JSON body *after* the access check, so that an outsider always gets 404 first.

Endpoints that act on one object take the body with ``parse_body`` inside the view (once the
object is known to be visible) and describe it for OpenAPI with ``openapi_extra=documents(...)``.
"""

import json

import pydantic
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError

from cairn.errors import ActionError


def parse_body[T: Schema](request: HttpRequest, schema: type[T]) -> T:
    """Parse the JSON body once access is settled; errors come back as 422 with the field."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ActionError("Send a JSON object.") from None
    try:
        return schema.model_validate(data if isinstance(data, dict) else {})
    except pydantic.ValidationError as error:
        raise ValidationError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors(include_url=False)
            ]
        ) from None


def documents(schema: type[Schema]) -> dict[str, object]:
    """Return the OpenAPI request body of an endpoint that parses its body with parse_body()."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }
