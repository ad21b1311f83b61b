"""My learning journey, and a colleague's shared one. Each view parses its input, calls one
action and renders; what shows is decided in ``timeline``."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cairn.errors import button
from cairn.http import SignedInRequest
from cairn.journey.actions import do_share_moment
from cairn.journey.timeline import Moment, journey_of
from cairn.people.access import profile_for


def _by_month(moments: list[Moment]) -> list[tuple[str, list[Moment]]]:
    return [
        (month, list(items))
        for month, items in groupby(moments, key=lambda m: f"{timezone.localtime(m.time):%B %Y}")
    ]


@login_required
def my_journey(request: SignedInRequest) -> HttpResponse:
    moments = journey_of(request.user, request.user)
    return render(
        request,
        "journey/journey.html",
        {
            "months": _by_month(moments),
            "own": True,
            "person": request.user.profile,
            "shared": sum(m.shared for m in moments),
        },
    )


@login_required
@require_POST
def share_moment(request: SignedInRequest, event_id: int) -> HttpResponse:
    shared = request.POST.get("shared") == "1"
    return button(
        request,
        lambda: do_share_moment(request.user, event_id, shared),
        success="Shared with your colleagues." if shared else "Now private.",
        to=f"/me/journey/#moment-{event_id}",
        back="my_journey",
    )


@login_required
def journey(request: SignedInRequest, handle: str) -> HttpResponse:
    person = profile_for(request.user, handle)
    if person.user_id == request.user.pk:
        return redirect("my_journey")
    moments = journey_of(person.user, request.user)
    return render(
        request,
        "journey/journey.html",
        {"months": _by_month(moments), "own": False, "person": person},
    )
