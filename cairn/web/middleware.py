"""Input and response rules every page and API operation share, kept in one place.

``ControlCharactersMiddleware`` refuses control characters (all but tab, line feed and carriage
return) before any view sees them: PostgreSQL cannot store a NUL in text, and none of these
belongs in what people write. A path holding one is a 404; a query parameter, a form field or a
JSON body field holding one is a 422 that names it.

``StyledNotFoundMiddleware`` shows Cairn's own "Not found" page in development too (with
``DEBUG`` on, Django would list every URL pattern instead); production uses ``404.html``
through Django's own handler already.

``ResponseHeadersMiddleware`` adds the Permissions-Policy header to every response and a
``Retry-After`` to every 429 that does not say when to come back.

``SharedCacheDownMiddleware`` answers a request that needed the shared cache (Redis, with
``CACHE_URL``) while it did not answer with a 503 that says so and when to try again, rather
than a 500: signing in (allauth keeps its rate limits there) and signing out (the cached
session must go) wait for it. Like any 5xx, the 503 saves no session change.
"""

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

#: C0 controls but tab, line feed and carriage return, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a 429 tells a client to wait when the refusal itself did not say.
DEFAULT_RETRY_AFTER = 60
#: What a 503 for a shared cache that did not answer tells the client to wait (its client
#: gives up on a connection after 1 s, and a restarted Redis answers within seconds).
CACHE_DOWN_RETRY_AFTER = 30

log = logging.getLogger(__name__)


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (location, text) for every key and string inside a parsed JSON value."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, key), key
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _first_bad_field(request: HttpRequest) -> tuple[str, tuple[str | int, ...]] | None:
    """Return (where, location) of the first value holding a control character, or None."""
    for name, values in request.GET.lists():
        if CONTROL.search(name) or any(CONTROL.search(v) for v in values):
            return "query", (name,)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            return None  # the view answers a body that is not JSON
        for loc, text in _strings(data, ()):
            if CONTROL.search(text):
                return "body", loc
        return None
    # The API reads its raw body, which parsing the form here would consume: only pages.
    is_form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
    if is_form and not request.path.startswith("/api/"):
        for name, values in request.POST.lists():
            if CONTROL.search(name) or any(CONTROL.search(v) for v in values):
                return "form", (name,)
    return None


class ControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL.search(request.path):
            raise Http404("No such page.")
        bad = _first_bad_field(request)
        if bad is None:
            return self.get_response(request)
        where, loc = bad
        field = ".".join(str(part) for part in loc)
        message = (
            f"{field} holds a control character (such as NUL); only tab and line breaks may "
            "appear in text."
        )
        if request.path.startswith("/api/"):
            detail = [{"loc": [where, *loc], "msg": message, "type": "value_error"}]
            return JsonResponse({"detail": detail}, status=422)
        return HttpResponse(
            format_html("<!doctype html><title>Not accepted</title><p>{}</p>", message),
            status=422,
        )


class ResponseHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if response.status_code == 429 and "Retry-After" not in response:
            response["Retry-After"] = str(DEFAULT_RETRY_AFTER)
        return response


class StyledNotFoundMiddleware:
    """With ``DEBUG`` on, answer a 404 with the site's ``404.html`` rather than Django's
    technical page: for an address no pattern matches, and for a view that raised Http404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        unmatched = getattr(request, "resolver_match", None) is None
        if settings.DEBUG and response.status_code == 404 and unmatched:
            return render(request, "404.html", status=404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        return None


class SharedCacheDownMiddleware:
    """Turn the shared cache's connection errors into a 503 with ``Retry-After``: JSON for the
    API, a short page otherwise (which says, on signing out, that the person is still signed
    in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        import redis  # only once a view has raised: without CACHE_URL it is never needed

        if not isinstance(exception, redis.ConnectionError | redis.TimeoutError):
            return None
        log.error(
            "The shared cache did not answer: %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        retry_after = {"Retry-After": str(CACHE_DOWN_RETRY_AFTER)}
        if request.path.startswith("/api/"):
            detail = (
                "Cairn cannot do this just now: part of it is briefly unavailable. Try again in "
                f"{CACHE_DOWN_RETRY_AFTER} seconds."
            )
            return JsonResponse({"detail": detail}, status=503, headers=retry_after)
        # Without the request: no context processor runs, so none can reach for the cache.
        page = render_to_string(
            "503.html", {"signing_out": request.path == reverse("account_logout")}
        )
        return HttpResponse(page, status=503, headers=retry_after)
