"""The landing page, the signed-in home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from cairn.commitments.access import commitments_of
from cairn.commitments.models import Commitment
from cairn.http import SignedInRequest
from cairn.ledger.models import Event, Verb
from cairn.notifications.feed import feed_for
from cairn.people.access import colleagues
from cairn.web import health


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "web/landing.html")


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    person = getattr(request.user, "profile", None)
    if person is None:
        return render(request, "web/no_organisation.html", status=403)
    missing = []
    if not person.bio:
        missing.append("a short bio")
    if not person.offers.exists():
        missing.append("what you can help with")
    if not person.wants.exists():
        missing.append("what you want to grow")
    joined = (
        Event.objects.filter(organisation=request.organisation, verb=Verb.JOINED)
        .exclude(actor=request.user)
        .select_related("actor__profile")
        .order_by("-time")[:6]
    )
    context = {
        "person": person,
        "missing": missing,
        "recently_joined": [e.actor.profile for e in joined if e.actor is not None],
        "people_count": colleagues(request.user).count(),
        "feed": feed_for(request.user),
        "due_soon": commitments_of(request.user)
        .filter(status=Commitment.Status.OPEN)
        .order_by("due_at")[:5],
    }
    return render(request, "web/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database answers and the task worker keeps up, as JSON.

    503 when the database does not answer. A late worker makes the status ``degraded`` but
    stays 200, so a load balancer keeps sending traffic to a web server that can still serve;
    ``?strict=1`` (for uptime monitors) answers 503 for a late worker too.
    """
    if not health.database_ok():
        return JsonResponse({"status": "down", "database": "down"}, status=503)
    worker = health.worker_health()
    status = "degraded" if worker.late else "ok"
    code = 503 if worker.late and request.GET.get("strict") == "1" else 200
    return JsonResponse(
        {"status": status, "database": "ok", "worker": worker.as_dict()}, status=code
    )
