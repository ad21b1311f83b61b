"""Corrections to my evidence (everyone), and suspected rings (the organisation's admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cairn.errors import ActionError
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
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_review_ring(request.user, flag, **form.cleaned_data)
        except ActionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Thank you: your review is saved.")
            return redirect("ring", ring_id=flag.pk)
    return render(request, "safeguards/ring.html", {"ring": flag, "form": form})
