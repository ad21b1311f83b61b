"""Corrections to my evidence (everyone), and suspected rings (the organisation's admins)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cairn.errors import form_page
from cairn.http import SignedInRequest
from cairn.safeguards.access import corrections_for, ring_for, rings_for
from cairn.safeguards.actions import do_review_ring
from cairn.safeguards.forms import ReviewForm


@login_required
def corrections(request: SignedInRequest) -> HttpResponse:
    rows = list(corrections_for(request.user)[:200])
    return render(request, "safeguards/corrections.html", {"corrections": rows})


@login_required
def rings(request: SignedInRequest) -> HttpResponse:
    flags = list(rings_for(request.user)[:200])
    return render(request, "safeguards/rings.html", {"rings": flags})


@login_required
def ring(request: SignedInRequest, ring_id: int) -> HttpResponse:
    flag = ring_for(request.user, ring_id)
    return form_page(
        request,
        ReviewForm(request.POST or None),
        lambda data: do_review_ring(request.user, flag, **data),
        success="Thank you: your review is saved.",
        to=flag,
        template="safeguards/ring.html",
        context={"ring": flag},
    )
