"""Commitment pages: my commitments (both ways), one commitment, and its follow-through."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Value, When
from django.forms import BaseForm
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from cairn.commitments import actions
from cairn.commitments.access import commitment_for, commitments_of, context_for
from cairn.commitments.forms import (
    CancelForm,
    CommitmentForm,
    ConfirmForm,
    RenegotiateForm,
    end_of_day,
)
from cairn.commitments.models import Commitment
from cairn.errors import form_page
from cairn.http import SignedInRequest, page_or_part

#: The actions' field names that the forms call otherwise.
RENAMED = {"due_at": "due_date"}


@login_required
def commitment_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    initial = {"context": request.GET.get("context", "")[:80]}
    if request.GET.get("to"):
        initial["counterpart"] = request.GET["to"][:60]
    form = CommitmentForm(request.POST or None, user=user, initial=initial)
    # Open ones first, soonest due first; then the closed ones, latest first.
    mine = commitments_of(user).annotate(
        closed=Case(When(status=Commitment.Status.OPEN, then=Value(0)), default=Value(1))
    )
    order = ("closed", "due_at")
    return form_page(
        request,
        form,
        lambda data: actions.do_commit(
            user,
            data["counterpart"].user,
            data["text"],
            form.due_at(),
            context=context_for(user, data["context"]),
        ),
        success="Your commitment is made. You will be reminded.",
        to=lambda commitment: commitment,
        template="commitments/list.html",
        context={
            "made": mine.filter(committer=user).order_by(*order)[:50],
            "owed": mine.filter(counterpart=user).order_by(*order)[:50],
        },
        renamed=RENAMED,
    )


def _detail(
    request: SignedInRequest, commitment: Commitment, forms: dict[str, BaseForm] | None = None
) -> HttpResponse:
    forms = forms or {}
    context = {
        "commitment": commitment,
        "is_committer": commitment.committer_id == request.user.pk,
        "is_counterpart": commitment.counterpart_id == request.user.pk,
        "history": commitment.renegotiations.all(),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "renegotiate_form": forms.get("renegotiate_form") or RenegotiateForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    return page_or_part(request, "commitments/detail.html", "state", context)


@login_required
def commitment_detail(request: SignedInRequest, commitment_id: int) -> HttpResponse:
    return _detail(request, commitment_for(request.user, commitment_id))


def _change(
    request: SignedInRequest,
    commitment: Commitment,
    form: BaseForm,
    name: str,
    act: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Run one change to a commitment from its page; an htmx swap shows its state again."""

    def page(form: BaseForm) -> HttpResponse:
        commitment.refresh_from_db()
        return _detail(request, commitment, forms={name: form})

    return form_page(
        request,
        form,
        act,
        success=success,
        to=commitment,
        page=page,
        fresh=type(form),
        renamed=RENAMED,
    )


@login_required
@require_POST
def confirm(request: SignedInRequest, commitment_id: int) -> HttpResponse:
    commitment = commitment_for(request.user, commitment_id)
    return _change(
        request,
        commitment,
        ConfirmForm(request.POST),
        "confirm_form",
        lambda data: actions.do_confirm(commitment, request.user, data["outcome"]),
        "Thank you for saying how it went.",
    )


@login_required
@require_POST
def renegotiate(request: SignedInRequest, commitment_id: int) -> HttpResponse:
    commitment = commitment_for(request.user, commitment_id)
    return _change(
        request,
        commitment,
        RenegotiateForm(request.POST),
        "renegotiate_form",
        lambda data: actions.do_renegotiate(
            commitment, request.user, end_of_day(data["due_date"], request.user), data["reason"]
        ),
        "The new date is set, and they are told why.",
    )


@login_required
@require_POST
def cancel(request: SignedInRequest, commitment_id: int) -> HttpResponse:
    commitment = commitment_for(request.user, commitment_id)
    return _change(
        request,
        commitment,
        CancelForm(request.POST),
        "cancel_form",
        lambda data: actions.do_cancel(commitment, request.user, data["reason"]),
        "The commitment is cancelled.",
    )
