"""Matching pages: find a mentor, peer or community for a goal; mentoring programs.

Each view parses its input, calls one action (or the recommendation adapter) and renders; who
may see what is decided in ``access``.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cairn.errors import ActionError, button, form_page, refuse
from cairn.figures_csv import figures_csv
from cairn.http import SignedInRequest, page_or_part
from cairn.insights.charts import bars_svg
from cairn.learning.access import own_goal_for
from cairn.matching import actions, adapter
from cairn.matching.access import admin_program_for, participation_of, program_for, programs_for
from cairn.matching.forms import (
    ExcludeForm,
    ProgramForm,
    ReassignForm,
    RunForm,
    SignUpForm,
    SwapForm,
)
from cairn.matching.models import Match, Participant, Program
from cairn.matching.outcomes import programme_outcomes
from cairn.trust.history import known_share_bars

# --- Find a mentor, peer or community ----------------------------------------------------------


def _find_page(
    request: SignedInRequest, text: str, skills: list[str], **context: Any
) -> HttpResponse:
    found: dict[str, list[adapter.Suggestion]] = {}
    if text:
        try:
            found = adapter.recommendations(request.user, text, skills=skills)
        except adapter.NotReady:
            actions.do_prepare_recommendations(request.user)
            context["preparing"] = True
    sections = [(mode, label, found.get(mode, [])) for mode, label in adapter.MODES.items()]
    context.update({"text": text, "sections": sections})
    return render(request, "matching/find.html", context)


@login_required
def find_for_goal(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = own_goal_for(request.user, goal_id)
    return _find_page(request, adapter.goal_text(goal), adapter.goal_skills(goal), goal=goal)


@login_required
def find(request: SignedInRequest) -> HttpResponse:
    """From my wanted skills: one of them (``?skill=``), or all of them."""
    profile = getattr(request.user, "profile", None)
    wanted = list(profile.wants.all()) if profile is not None else []
    skill = next((s for s in wanted if str(s.pk) == request.GET.get("skill")), None)
    skills = [skill.name] if skill else [s.name for s in wanted]
    return _find_page(request, ", ".join(skills), skills, goal=None, wanted=wanted, skill=skill)


# --- Programs ----------------------------------------------------------------------------------


@login_required
def programs(request: SignedInRequest) -> HttpResponse:
    rows = programs_for(request.user).defer("compat_blob")
    mine = set(
        Participant.objects.filter(user=request.user, program__in=rows).values_list(
            "program_id", flat=True
        )
    )
    return render(
        request,
        "matching/programs.html",
        {"programs": rows, "mine": mine, "is_admin": request.user.is_org_admin},
    )


@login_required
def program_new(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_org_admin:
        raise PermissionDenied("Only organisation admins can run programs.")
    return form_page(
        request,
        ProgramForm(request.POST or None),
        lambda data: actions.do_create_program(
            request.user, **{**data, "questions": actions.parse_questions(data["questions"])}
        ),
        success="Your program is ready. Share its page to invite people.",
        to=lambda program: program,
        template="matching/program_form.html",
    )


def _mentors(program: Program) -> list[Participant]:
    return list(
        program.participants.filter(role=Participant.Role.MENTOR)
        .select_related("user__profile")
        .only("role", "capacity", "user_id", "user__profile__name", "user__profile__handle")
        .order_by("user__profile__name")
    )


def _program_page(
    request: SignedInRequest, program: Program, form: BaseForm | None = None
) -> HttpResponse:
    me = participation_of(request.user, program)
    mentors = _mentors(program)
    if form is None:
        initial = SignUpForm.initial_for(me) if me else {"role": "mentee"}
        form = SignUpForm(program=program, user=request.user, mentors=mentors, initial=initial)
    my_match = None
    my_mentees: list[Match] = []
    if me is not None and program.status == Program.Status.PUBLISHED:
        if me.is_mentor():
            my_mentees = list(
                program.matches.filter(mentor=me).select_related("mentee__user__profile")
            )
        else:
            my_match = (
                program.matches.filter(mentee=me).select_related("mentor__user__profile").first()
            )
    counts = {"mentee": 0, "mentor": 0}
    counts.update(program.participants.values_list("role").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "matching/program.html",
        {
            "program": program,
            "me": me,
            "form": form,
            "my_match": my_match,
            "my_mentees": my_mentees,
            "counts": counts,
            "is_admin": program.is_admin(request.user),
            "run_form": RunForm(initial={"objective": program.objective}),
        },
    )


@login_required
def program(request: SignedInRequest, program_id: int) -> HttpResponse:
    return _program_page(request, program_for(request.user, program_id))


@login_required
@require_POST
def program_signup(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = program_for(request.user, program_id)
    form = SignUpForm(request.POST, program=program, user=request.user, mentors=_mentors(program))
    return form_page(
        request,
        form,
        lambda _: actions.do_sign_up(request.user, program, **form.changes()),
        success="You are signed up. We will tell you when matches are out.",
        to=program,
        page=lambda form: _program_page(request, program, form),
    )


@login_required
@require_POST
def program_close(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    return button(
        request,
        lambda: actions.do_close_signups(request.user, program),
        success="Sign-ups are closed. You can run the matching now.",
        to=program,
    )


@login_required
@require_POST
def program_run(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    form = RunForm(request.POST)
    objective = form.cleaned_data["objective"] if form.is_valid() else None
    try:
        program = actions.do_run_matching(request.user, program, objective)
    except ActionError as error:
        return refuse(request, error, program)
    if program.status == Program.Status.COLLECTING and program.run_error:
        messages.error(request, program.run_error)
        return redirect(program)
    return redirect("program_review", program.pk)


def _review_context(program: Program, **forms: Any) -> dict[str, Any]:
    people = [
        f"{side}__{field}"
        for side in ("mentee", "mentor")
        for field in ("role", "capacity", "user_id", "user__profile__name", "user__profile__handle")
    ]
    matches = list(
        program.matches.select_related("mentee__user__profile", "mentor__user__profile")
        .only("score", "reasons", "adjusted", "relationship_id", "mentee__goal_text", *people)
        .order_by("score", "pk")
    )
    mentees = [m.mentee for m in matches]
    mentors = _mentors(program)
    load: dict[int, int] = {}
    for m in matches:
        if m.mentor_id:
            load[m.mentor_id] = load.get(m.mentor_id, 0) + 1
    summary = program.summary or {}
    worst = next((m for m in matches if m.mentee_id == summary.get("worst_mentee")), None)
    context = {
        "program": program,
        "matches": matches,
        "mentors": [(p, load.get(p.pk, 0)) for p in mentors],
        "summary": summary,
        "worst": worst,
        "words": actions.score_words,
        "reassign_form": ReassignForm(mentees=mentees, mentors=mentors),
        "swap_form": SwapForm(mentees=mentees),
        "exclude_form": ExcludeForm(mentees=mentees, mentors=mentors),
        "run_form": RunForm(initial={"objective": program.objective}),
    }
    context.update(forms)
    return context


@login_required
def program_review(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    return page_or_part(request, "matching/review.html", "proposal", _review_context(program))


def _adjust(
    request: SignedInRequest,
    program: Program,
    form: BaseForm,
    name: str,
    act: Callable[[dict[str, Any]], object],
    success: str | None = None,
) -> HttpResponse:
    """Run one change to the proposed matches; an htmx swap shows the proposal again."""

    def page(form: BaseForm) -> HttpResponse:
        program.refresh_from_db()  # the action changed its summary on a locked copy
        context = _review_context(program, **{name: form})
        return page_or_part(request, "matching/review.html", "proposal", context)

    return form_page(
        request,
        form,
        act,
        success=success,
        to=reverse("program_review", args=[program.pk]),
        page=page,
        fresh=lambda: form,
    )


def _matched_mentees(program: Program) -> list[Participant]:
    """Return the mentees in the proposed matches, for the forms that change them."""
    return [m.mentee for m in program.matches.select_related("mentee__user__profile")]


@login_required
@require_POST
def program_reassign(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    return _adjust(
        request,
        program,
        ReassignForm(request.POST, mentees=_matched_mentees(program), mentors=_mentors(program)),
        "reassign_form",
        lambda data: actions.do_reassign(request.user, program, data["mentee"], data["mentor"]),
    )


@login_required
@require_POST
def program_swap(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    return _adjust(
        request,
        program,
        SwapForm(request.POST, mentees=_matched_mentees(program)),
        "swap_form",
        lambda data: actions.do_swap(request.user, program, data["mentee"], data["other"]),
    )


@login_required
@require_POST
def program_exclude(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    people = program.participants.select_related("user__profile")
    form = ExcludeForm(
        request.POST,
        mentees=[p for p in people if p.role == Participant.Role.MENTEE],
        mentors=[p for p in people if p.role == Participant.Role.MENTOR],
    )
    return _adjust(
        request,
        program,
        form,
        "exclude_form",
        lambda data: actions.do_exclude_pair(request.user, program, data["mentee"], data["mentor"]),
        success="They will not be matched. Run the matching again to apply.",
    )


@login_required
@require_POST
def program_publish(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    return button(
        request,
        lambda: actions.do_publish(request.user, program),
        success="The matches are published. Everyone has been told.",
        to=program,
        back=reverse("program_review", args=[program.pk]),
    )


@login_required
def program_outcomes(request: SignedInRequest, program_id: int) -> HttpResponse:
    program = admin_program_for(request.user, program_id)
    outcomes = programme_outcomes(program)
    if request.GET.get("format") == "csv":
        return figures_csv(program.name, outcomes.rows())
    helping = [
        (f"{who.capitalize()}, {when}", value)
        for who, before, after in outcomes.helping
        for when, value in (("before", before), ("after", after))
    ]
    charts = {
        "health": bars_svg(outcomes.health, "Relationships by health") if outcomes.health else "",
        "weeks": bars_svg(outcomes.sessions_by_week, "Sessions held per week")
        if outcomes.sessions_by_week
        else "",
        "helping": bars_svg(helping, "Help given per person per month") if helping else "",
    }
    known = known_share_bars(outcomes.trust)
    charts["trust"] = bars_svg(known, "Share whose trust is known (%)") if known else ""
    return render(
        request,
        "matching/outcomes.html",
        {"program": program, "outcomes": outcomes, "charts": charts},
    )
