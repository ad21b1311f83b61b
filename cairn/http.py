"""Request types that say what the middleware and the sign-in checks guarantee.

A view behind ``login_required`` and an API operation behind the API's auth both see a
signed-in :class:`~cairn.people.models.User`; annotating their ``request`` with
:class:`SignedInRequest` tells the type checker so once, instead of a cast per use. Views open
to anyone take :class:`CairnRequest`. Both only describe attributes that
``AuthenticationMiddleware``, ``HtmxMiddleware`` and ``OrganisationMiddleware`` (or the API's
token auth) set; they add nothing at run time. :func:`page_or_part` answers a page that htmx
may swap in part, and :func:`page_of` pages a list.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from cairn.people.models import Organisation, User


class CairnRequest(HttpRequest):
    """Any request through Cairn's middleware: maybe signed in, maybe an htmx swap."""

    user: User | AnonymousUser
    organisation: Organisation | None
    htmx: HtmxDetails


class SignedInRequest(CairnRequest):
    """A request from a signed-in person (``login_required`` views, authenticated API calls)."""

    user: User


def page_or_part(
    request: HttpRequest,
    template: str,
    part: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or in an htmx swap only its partial ``part`` (``template#part``):
    the page works without JavaScript, and htmx replaces just what changed."""
    if getattr(request, "htmx", False):
        template = f"{template}#{part}"
    return render(request, template, context, status=status)


def page_of[Row: Model](
    request: HttpRequest, rows: QuerySet[Row] | Sequence[Row], size: int
) -> Page[Row]:
    """Return the page of ``rows`` that the query string's ``page`` asks for, ``size`` rows a
    page (the last page for a number past it, the first for anything else)."""
    return Paginator(rows, size).get_page(request.GET.get("page"))
