"""The search page, and the "someone may have answered this already" hints on the ask form."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cairn.http import SignedInRequest, page_or_part
from cairn.search.models import Kind
from cairn.search.query import (
    ANSWERS_ONLY,
    MAX_QUERY,
    PER_KIND,
    PER_KIND_ALONE,
    RANKING_EXPLAINED,
    search,
)


@login_required
def search_page(request: SignedInRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    groups = search(
        request.user,
        text,
        kinds=[kind] if kind else None,
        per_kind=PER_KIND_ALONE if kind else PER_KIND,
    )
    context = {
        "q": text,
        "kind": kind,
        "kinds": Kind.choices,
        "groups": groups,
        "ranking_explained": RANKING_EXPLAINED,
    }
    return page_or_part(request, "search/search.html", "results", context)


@login_required
def answered_already(request: SignedInRequest) -> HttpResponse:
    """Return the answered requests and lessons that best match a request's title, as the
    person types it (an htmx fragment of the ask form)."""
    title = request.GET.get("title", "").strip()[:MAX_QUERY]
    groups = search(
        request.user,
        title,
        kinds=[Kind.REQUEST, Kind.POST],
        per_kind=3,
        narrow=ANSWERS_ONLY,
    )
    hits = sorted((hit for group in groups for hit in group.hits), key=lambda h: -h.score)
    return render(request, "search/_answered_already.html", {"hits": hits[:4]})
