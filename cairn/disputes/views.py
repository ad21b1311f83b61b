"""Dispute pages: my disputes and the evidence I can contest, opening one, reviewing one."""

from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cairn.commitments.models import Commitment
from cairn.disputes import actions
from cairn.disputes.access import (
    disputable_event_for,
    disputable_events,
    dispute_for,
    disputes_for,
    missed_event_for,
)
from cairn.disputes.describe import evidence_words
from cairn.disputes.forms import DisputeForm, ResolveForm
from cairn.disputes.models import Dispute
from cairn.errors import form_page
from cairn.http import SignedInRequest, page_or_part
from cairn.ledger.models import Event, Verb


def _commitment_texts(events: list[Event]) -> dict[str, str]:
    ids = [e.object_id for e in events if e.verb == Verb.MISSED and e.object_id.isdigit()]
    if not ids:
        return {}
    rows = Commitment.objects.filter(pk__in=ids).values_list("pk", "text")
    return {str(pk): text for pk, text in rows}


def describe_all(events: list[Event]) -> dict[int, str]:
    """Return each event's evidence in words (one query for all the commitments)."""
    texts = _commitment_texts(events)
    return {e.pk: evidence_words(e, texts) for e in events}


@login_required
def dispute_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    visible = list(disputes_for(user)[:100])
    mine = [d for d in visible if d.opened_by_id == user.pk]
    to_review = [d for d in visible if d.is_open() and d.can_review(user)]
    contestable = list(disputable_events(user).filter(dispute__isnull=True).order_by("-time")[:20])
    words = describe_all([d.event for d in visible] + contestable)
    for d in visible:
        d.words = words[d.event_id]  # type: ignore[attr-defined]  # for the template
    for e in contestable:
        e.words = words[e.pk]  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "disputes/list.html",
        {"mine": mine, "to_review": to_review, "contestable": contestable},
    )


@login_required
def open_dispute(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = disputable_event_for(request.user, event_id)
    existing = Dispute.objects.filter(event=event).first()
    if existing is not None:
        return redirect(existing)
    words = describe_all([event])[event.pk]
    reviewers: dict[str, str] = {
        Verb.MISSED: "the colleague who marked it, or an organisation admin",
        Verb.CONTENT_HIDDEN: "an organisation admin (who flagged it stays private)",
    }
    who = reviewers.get(event.verb, "an organisation admin (who gave the rating stays private)")
    outcome = (
        "what you wrote is shown to colleagues again"
        if event.verb == Verb.CONTENT_HIDDEN
        else "it stops counting towards your trust"
    )
    return form_page(
        request,
        DisputeForm(request.POST or None),
        lambda data: actions.do_open_dispute(request.user, event, data["reason"]),
        success="Your dispute is with the reviewer.",
        to=lambda dispute: dispute,
        template="disputes/open.html",
        context={
            "event": event,
            "words": words,
            "reviewer_words": who,
            "outcome_words": outcome,
        },
    )


@login_required
def dispute_commitment(request: SignedInRequest, commitment_id: int) -> HttpResponse:
    """ "Dispute this" on a commitment marked missed: the form, or the dispute already open."""
    event = missed_event_for(request.user, commitment_id)
    return redirect("dispute_open", event_id=event.pk)


@login_required
def dispute_detail(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    dispute = dispute_for(request.user, dispute_id)
    return _render_detail(request, dispute, ResolveForm())


def _render_detail(request: SignedInRequest, dispute: Dispute, form: BaseForm) -> HttpResponse:
    dispute.words = describe_all([dispute.event])[dispute.event_id]  # type: ignore[attr-defined]
    context = {"dispute": dispute, "form": form, "can_review": dispute.can_review(request.user)}
    return page_or_part(request, "disputes/detail.html", "review", context)


@login_required
@require_POST
def resolve(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    dispute = dispute_for(request.user, dispute_id)

    def page(form: BaseForm) -> HttpResponse:
        dispute.refresh_from_db()
        return _render_detail(request, dispute, form)

    return form_page(
        request,
        ResolveForm(request.POST),
        lambda data: actions.do_resolve_dispute(
            dispute, request.user, data["outcome"], data["reason"]
        ),
        success="Thank you: the decision is recorded.",
        to=lambda resolved: resolved,
        page=page,
        fresh=ResolveForm,
    )
