"""The API's published schema, made true to what the API answers in one place.

``CairnAPI`` is the NinjaAPI every router is added to. When it builds the OpenAPI schema it

* declares the refusals any operation can answer (``COMMON_ERRORS``) once, under
  ``components/responses``, with one ``Error`` schema, and refers every operation to them — so an
  endpoint added tomorrow documents them without knowing;
* refuses two different schemas under one name (ninja would silently publish one for both);
* states on every parameter and body that text holds no control character;
* moves the ``$defs`` of request bodies described by hand (``bodies.documents``) into
  ``components/schemas``, so every ``$ref`` resolves.
"""

import copy
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from ninja import NinjaAPI, Schema
from ninja.errors import ConfigError
from ninja.openapi.schema import OpenAPISchema

#: Status -> (component name, description): what any operation may answer besides its own.
COMMON_ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "The body is not a JSON object."),
    401: ("Unauthenticated", "No session, or an unknown or revoked API token."),
    403: ("Forbidden", "Signed in, but not allowed to do this."),
    404: ("NotFound", "No such thing, or not one you may see."),
    409: ("Conflict", "The request clashes with the thing's current state."),
    422: ("Unprocessable", "A field is missing or wrong; `detail[].loc` names it."),
    429: ("TooManyRequests", "A limit is reached; `Retry-After` says when to try again."),
}
COMPONENTS = "#/components/schemas/"
#: Text without C0 control characters but tab, line feed and carriage return, nor DEL.
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """Every refusal: one sentence, or (422) the fields at fault with a sentence each."""

    detail: str | list[ErrorItem]


class _CheckedSchema(OpenAPISchema):
    """Ninja's schema builder, refusing two different schemas published under one name."""

    def add_schema_definitions(self, definitions: dict) -> None:
        _merge_definitions(self.schemas, definitions)


def _merge_definitions(known: dict[str, Any], definitions: dict[str, Any]) -> None:
    for name, definition in definitions.items():
        if name in known and known[name] != definition:
            raise ConfigError(
                f"Two different API schemas are named {name!r}; OpenAPI would publish one for "
                "both. Rename one of the classes."
            )
        known[name] = definition


def _hoist_defs(node: Any, schemas: dict[str, Any]) -> None:
    """Move every nested ``$defs`` into ``schemas`` and point its references there."""
    if isinstance(node, dict):
        if "$defs" in node:
            _merge_definitions(schemas, node.pop("$defs"))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = COMPONENTS + ref.removeprefix("#/$defs/")
        for value in node.values():
            _hoist_defs(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _hoist_defs(value, schemas)


def _add_common_errors(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    error = Error.model_json_schema(ref_template=COMPONENTS + "{model}")
    _merge_definitions(schemas, error.pop("$defs"))
    _merge_definitions(schemas, {"Error": error})
    responses = components.setdefault("responses", {})
    for name, description in COMMON_ERRORS.values():
        responses[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": COMPONENTS + "Error"}}},
        }
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, (name, _) in COMMON_ERRORS.items():
                operation["responses"].setdefault(
                    status, {"$ref": f"#/components/responses/{name}"}
                )


def _with_text_rule(node: Any) -> None:
    """Give every free-text string in ``node`` the pattern the control-character rule enforces."""
    if isinstance(node, dict):
        free = not {"format", "enum", "const", "pattern", "$ref"} & node.keys()
        if node.get("type") == "string" and free:
            node["pattern"] = TEXT_PATTERN
        for value in node.values():
            _with_text_rule(value)
    elif isinstance(node, list):
        for value in node:
            _with_text_rule(value)


def _component_names(node: Any, schemas: dict[str, Any], found: set[str]) -> set[str]:
    """Return the names of the components ``node`` refers to, directly or through others."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENTS):
            name = ref.removeprefix(COMPONENTS)
            if name not in found:
                found.add(name)
                _component_names(schemas.get(name), schemas, found)
        for value in node.values():
            _component_names(value, schemas, found)
    elif isinstance(node, list):
        for value in node:
            _component_names(value, schemas, found)
    return found


def _document_text_rule(schema: dict[str, Any]) -> None:
    """State on every parameter and request body that text holds no control character.

    (``cairn.web.middleware.ControlCharactersMiddleware`` refuses one anywhere in a request.)
    Components that responses use too are left alone: stored text is not re-checked.
    """
    schemas = schema["components"]["schemas"]
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    bodies = [op.get("requestBody", {}) for op in operations]
    answers = [op["responses"] for op in operations]
    for operation in operations:
        for parameter in operation.get("parameters", []):
            _with_text_rule(parameter.get("schema"))
    for body in bodies:
        for content in body.get("content", {}).values():
            _with_text_rule(content.get("schema"))
    input_only = _component_names(bodies, schemas, set()) - _component_names(
        answers, schemas, set()
    )
    for name in input_only:
        _with_text_rule(schemas[name])


class CairnAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Return ninja's schema with the common errors, unique names and resolvable refs."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = _CheckedSchema(api=self, path_prefix=path_prefix)
        # A copy: the paths share dicts with the operations' openapi_extra, built once.
        schema["paths"] = copy.deepcopy(schema["paths"])
        _hoist_defs(schema["paths"], schema["components"]["schemas"])
        _add_common_errors(schema)
        _document_text_rule(schema)
        return schema


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for a URL no view matched: the API's JSON error under /api/, else the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
