"""Pages that keep relationships alive: the agreed rhythm, proposing and answering the next
session, closing kindly, and the admins' "needs attention" list. Each view parses its input,
calls one action and renders; who may see what is decided in ``access``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from cairn.errors import button, form_page
from cairn.http import SignedInRequest
from cairn.learning import actions
from cairn.learning.access import (
    attention_list,
    member_relationship_for,
    own_check_in_for,
    proposal_for,
    relationship_for,
)
from cairn.learning.forms import CheckInForm, CloseForm, ProposeForm, RhythmForm
from cairn.learning.ics import ics_response
from cairn.learning.models import CheckIn
from cairn.learning.views import relationship_form


@login_required
@require_POST
def relationship_rhythm(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        RhythmForm(request.POST),
        "rhythm_form",
        lambda data: actions.do_set_rhythm(request.user, relationship, data["rhythm_days"]),
        "Saved: the badge now measures against your new rhythm.",
    )


@login_required
@require_POST
def session_propose(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        ProposeForm(request.POST, tz=request.user.profile.timezone),
        "propose_form",
        lambda data: actions.do_propose_session(request.user, relationship, **data),
        "Proposed. The others are told and can accept it.",
    )


@login_required
@require_POST
def proposal_answer(request: SignedInRequest, proposal_id: int, answer: str) -> HttpResponse:
    proposal = proposal_for(request.user, proposal_id)
    accept = answer == "accept"
    return button(
        request,
        lambda: actions.do_answer_proposal(request.user, proposal, accept=accept),
        success="Accepted. Add it to your calendar; you will be reminded."
        if accept
        else "Declined. Propose another time that suits you.",
        to=proposal.relationship,
    )


@login_required
@require_POST
def proposal_withdraw(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_for(request.user, proposal_id)
    return button(
        request,
        lambda: actions.do_withdraw_proposal(request.user, proposal),
        success="Withdrawn.",
        to=proposal.relationship,
    )


@login_required
def proposal_ics(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_for(request.user, proposal_id)
    proposal.relationship = relationship_for(request.user, proposal.relationship_id)
    return ics_response(request, [proposal], f"cairn-planned-session-{proposal.pk}.ics")


@login_required
@require_POST
def relationship_close(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        CloseForm(request.POST),
        "close_form",
        lambda data: actions.do_close_relationship(request.user, relationship, **data),
        "Closed, kindly. Thank you for the time you gave it.",
    )


@login_required
def check_in(request: SignedInRequest, check_in_id: int) -> HttpResponse:
    asked = own_check_in_for(request.user, check_in_id)
    if asked.is_answered():
        return render(request, "learning/check_in.html", {"check_in": asked, "form": None})
    return form_page(
        request,
        CheckInForm(request.POST or None),
        lambda data: actions.do_answer_check_in(request.user, asked, **data),
        success="Thank you: your answers help keep mentoring worthwhile.",
        to=asked.relationship,
        template="learning/check_in.html",
        context={"check_in": asked},
    )


@login_required
def attention(request: SignedInRequest) -> HttpResponse:
    rows = list(attention_list(request.user)[:500])
    check_ins = CheckIn.objects.visible_to(request.user)
    notes = (
        check_ins.exclude(note_for_admins="")
        .select_related("person__profile")
        .order_by("-answered_at")[:20]
    )
    return render(
        request,
        "learning/attention.html",
        {
            "relationships": rows,
            "check_ins": actions.check_in_summary(check_ins),
            "notes": notes,
        },
    )
