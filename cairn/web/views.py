"""The landing page, the signed-in home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render

from cairn.http import SignedInRequest
from cairn.notifications.feed import BadCursor
from cairn.web import health
from cairn.web.home import around, next_steps_for


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "web/landing.html")


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """My next steps first, then what happened around me; ``?before=`` pages the feed (htmx
    appends the next page under "Show more"; without JavaScript it is a link)."""
    person = getattr(request.user, "profile", None)
    if person is None:
        return render(request, "web/no_organisation.html", status=403)
    before = request.GET.get("before") or None
    try:
        feed = around(request.user, person, before, appended=bool(request.htmx))
    except BadCursor as error:
        return HttpResponseBadRequest(str(error))
    if request.htmx and before:
        return render(request, "web/home.html#feed-page", {"feed": feed})
    context = {"person": person, "steps": next_steps_for(request.user, person), "feed": feed}
    return render(request, "web/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the cache answer and the task worker keeps up, as JSON.

    503 when the database does not answer. A late worker or a cache that does not answer makes
    the status ``degraded`` but stays 200, so a load balancer keeps sending traffic to a web
    server that can still serve; ``?strict=1`` (for uptime monitors) answers 503 for them too.
    """
    if not health.database_ok():
        return JsonResponse({"status": "down", "database": "down"}, status=503)
    worker = health.worker_health()
    cache_ok = health.cache_ok()
    degraded = worker.late or not cache_ok
    status = "degraded" if degraded else "ok"
    code = 503 if degraded and request.GET.get("strict") == "1" else 200
    body = {
        "status": status,
        "database": "ok",
        "cache": "ok" if cache_ok else "down",
        "worker": worker.as_dict(),
    }
    return JsonResponse(body, status=code)
