"""Learning pages: goals, mentoring and partnerships, sessions, feedback. Each view parses its
input, calls one action and renders; who may see what is decided in ``access``."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cairn.errors import ActionError, add_action_error, button, form_page
from cairn.http import SignedInRequest, page_or_part
from cairn.learning import actions, ics
from cairn.learning.access import (
    feedback_context_for,
    feedback_sent,
    goal_for,
    member_relationship_for,
    milestone_for,
    my_relationships,
    own_goal_for,
    relationship_for,
    session_for,
)
from cairn.learning.forms import (
    AddMemberForm,
    CloseForm,
    CloseGoalForm,
    CompleteForm,
    DeclineForm,
    FeedbackForm,
    GoalEditForm,
    GoalForm,
    MilestoneForm,
    ProposeForm,
    ReflectionForm,
    RequestForm,
    RhythmForm,
    SessionForm,
)
from cairn.learning.models import (
    FEEDBACK_MIN_FOR_SUMMARY,
    Feedback,
    Goal,
    Milestone,
    Relationship,
    RelationshipMember,
)
from cairn.people.access import profile_for

# Goals -------------------------------------------------------------------------------------------


def _goals_with_details():
    return Goal.objects.select_related("owner__profile").prefetch_related(
        "skills", Prefetch("milestones", queryset=Milestone.objects.order_by("created_at", "pk"))
    )


@login_required
def goals(request: SignedInRequest) -> HttpResponse:
    mine = _goals_with_details().filter(owner=request.user)
    others = (
        _goals_with_details()
        .visible_to(request.user)
        .filter(status=Goal.Status.OPEN)
        .exclude(owner=request.user)[:60]
    )
    return render(
        request,
        "learning/goals.html",
        {
            "open_goals": [g for g in mine if g.is_open()],
            "closed_goals": [g for g in mine if not g.is_open()],
            "others": others,
        },
    )


@login_required
def goal_new(request: SignedInRequest) -> HttpResponse:
    form = GoalForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda _: actions.do_set_goal(request.user, **form.changes()),
        success="Your goal is set. Add a first step when you are ready.",
        to=lambda goal: goal,
        template="learning/goal_form.html",
        context={"goal": None},
    )


def _goal_context(request: SignedInRequest, goal: Goal, milestone_form: BaseForm) -> dict[str, Any]:
    relationships = (
        Relationship.objects.visible_to(request.user)
        .filter(goal=goal)
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user__profile"))
        )
    )
    return {
        "goal": goal,
        "is_owner": goal.owner_id == request.user.pk,
        "reflections": goal.reflections.all(),
        "relationships": relationships,
        "communities": goal.communities.filter(archived_at__isnull=True),
        "help_requests": goal.help_requests.visible_to(request.user).order_by("-created_at"),
        "milestone_form": milestone_form,
        "reflection_form": ReflectionForm(),
    }


@login_required
def goal(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = goal_for(request.user, goal_id)
    return render(request, "learning/goal.html", _goal_context(request, goal, MilestoneForm()))


@login_required
def goal_edit(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = own_goal_for(request.user, goal_id)
    form = GoalEditForm(
        request.POST or None, initial=GoalEditForm.initial_for(goal), user=request.user
    )
    return form_page(
        request,
        form,
        lambda _: actions.do_update_goal(request.user, goal, **form.changes()),
        success="Your goal is saved.",
        to=goal,
        template="learning/goal_form.html",
        context={"goal": goal},
    )


def _milestones(request: SignedInRequest, goal_id: int, form: BaseForm) -> HttpResponse:
    """The goal's page as it stands now with ``form`` to add a step, or in an htmx swap only
    its milestones."""
    goal = own_goal_for(request.user, goal_id)
    context = _goal_context(request, goal, form)
    return page_or_part(request, "learning/goal.html", "milestones", context)


@login_required
@require_POST
def milestone_add(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = own_goal_for(request.user, goal_id)
    return form_page(
        request,
        MilestoneForm(request.POST),
        lambda data: actions.do_add_milestone(request.user, goal, data["title"]),
        success=None,
        to=goal,
        page=lambda form: _milestones(request, goal_id, form),
        fresh=MilestoneForm,
    )


@login_required
@require_POST
def milestone_done(request: SignedInRequest, goal_id: int, milestone_id: int) -> HttpResponse:
    milestone = milestone_for(request.user, goal_id, milestone_id)
    if not request.htmx:
        return button(
            request,
            lambda: actions.do_complete_milestone(request.user, milestone),
            success=None,
            to=milestone.goal,
        )
    form = MilestoneForm()
    try:
        actions.do_complete_milestone(request.user, milestone)
    except ActionError as error:
        add_action_error(form, error)
    return _milestones(request, goal_id, form)


@login_required
@require_POST
def goal_reflect(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = own_goal_for(request.user, goal_id)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a few words first.")
        return redirect(goal)
    return button(
        request,
        lambda: actions.do_reflect(request.user, goal, form.cleaned_data["text"]),
        success="Reflection saved.",
        to=goal,
    )


@login_required
def goal_close(request: SignedInRequest, goal_id: int) -> HttpResponse:
    goal = own_goal_for(request.user, goal_id)
    return form_page(
        request,
        CloseGoalForm(request.POST or None),
        lambda data: actions.do_close_goal(request.user, goal, **data),
        success="Goal closed. Thank you for writing down what you learned.",
        to=goal,
        template="learning/goal_close.html",
        context={"goal": goal},
    )


# Mentoring ---------------------------------------------------------------------------------------


@login_required
def mentoring(request: SignedInRequest) -> HttpResponse:
    mine = list(my_relationships(request.user))
    me = request.user.pk
    incoming = [r for r in mine if r.is_pending() and r.addressee_id == me]
    outgoing = [r for r in mine if r.is_pending() and r.requested_by_id == me]
    active = [r for r in mine if r.status == Relationship.Status.ACTIVE]
    past = [r for r in mine if not r.is_pending() and r.status != Relationship.Status.ACTIVE]
    return render(
        request,
        "learning/mentoring.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "active": active,
            "past": past,
            "decline_form": DeclineForm(),
            "mentoring_now": actions.active_mentoring_count(request.user),
        },
    )


@login_required
def mentoring_request(request: SignedInRequest, handle: str) -> HttpResponse:
    person = profile_for(request.user, handle)
    # Links from "Find a mentor" carry the goal and the kind of partnership as a starting point.
    initial = {key: request.GET[key] for key in ("goal", "kind") if request.GET.get(key)}
    form = RequestForm(request.POST or None, owner=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda data: actions.do_request_relationship(
            request.user, person.user, data["kind"], data["goal"], data["message"]
        ),
        success=f"Your request is on its way to {person.name}.",
        to=lambda relationship: relationship,
        page=lambda form: render(
            request,
            "learning/request.html",
            {
                "person": person,
                "form": form,
                "is_me": person.user_id == request.user.pk,
                "mentoring_now": actions.active_mentoring_count(person.user),
                "has_capacity": actions.has_capacity(person.user),
                "has_goals": form.fields["goal"].queryset.exists(),  # type: ignore[attr-defined]
            },
        ),
    )


def _prefill(request: SignedInRequest, names: tuple[str, ...]) -> dict[str, str]:
    """Return the form's starting values carried in the link ("Log how it went")."""
    return {name: request.GET[name][:40] for name in names if request.GET.get(name)}


def relationship_page(
    request: SignedInRequest, relationship: Relationship, **forms
) -> HttpResponse:
    user = request.user
    is_member = relationship.is_member(user)
    me = next((m for m in relationship.members.all() if m.user_id == user.pk), None)
    sessions = list(relationship.sessions.all())
    others = [m for m in relationship.members.all() if m.user_id != user.pk]
    given: set[tuple[str, int, int]] = set()
    if is_member:
        given = set(
            Feedback.objects.filter(
                giver=user,
                receiver__in=[m.user_id for m in others],
                content_type__app_label="learning",
            )
            .filter(
                Q(content_type__model="session", object_id__in=[s.pk for s in sessions])
                | Q(content_type__model="relationship", object_id=relationship.pk)
            )
            .values_list("content_type__model", "object_id", "receiver_id")
        )
    for session in sessions:
        session.feedback_todo = [  # type: ignore[attr-defined]  # for the template
            m for m in others if is_member and ("session", session.pk, m.user_id) not in given
        ]
        session.feedback_sent = [  # type: ignore[attr-defined]  # for the template
            m for m in others if ("session", session.pk, m.user_id) in given
        ]
    feedback_todo = [m for m in others if ("relationship", relationship.pk, m.user_id) not in given]
    proposals = (
        list(relationship.proposals.select_related("proposed_by__profile").order_by("starts_at"))
        if is_member
        else []
    )
    tz = user.profile.timezone
    feedback_sent = [m for m in others if ("relationship", relationship.pk, m.user_id) in given]
    context = {
        "relationship": relationship,
        "is_member": is_member,
        "me": me,
        "others": others,
        "sessions": sessions,
        "feedback_todo": feedback_todo,
        "feedback_sent": feedback_sent,
        "goal_visible": relationship.goal_visible,
        "goal_title": relationship.goal_title_for(user),
        "session_form": forms.get("session_form")
        or SessionForm(tz=tz, initial=_prefill(request, ("held_at", "duration_minutes"))),
        "check_in_todo": relationship.check_ins.filter(
            person_id=user.pk, answered_at__isnull=True
        ).first()
        if is_member
        else None,
        "proposals": [p for p in proposals if p.is_open() or p.is_upcoming() or p.is_to_log()],
        "propose_form": forms.get("propose_form") or ProposeForm(tz=tz),
        "rhythm_form": forms.get("rhythm_form")
        or RhythmForm(initial={"rhythm_days": relationship.rhythm_days}),
        "close_form": forms.get("close_form") or CloseForm(),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "member_form": forms.get("member_form") or AddMemberForm(user=user),
    }
    return render(request, "learning/relationship.html", context)


def relationship_form(
    request: SignedInRequest,
    relationship: Relationship,
    form: BaseForm,
    name: str,
    act: Callable[[dict[str, Any]], object],
    success: str | Callable[[object], str],
    to: str | None = None,
) -> HttpResponse:
    """Run one action from a form on a relationship's page (``name`` is the form's place on
    it); a refusal shows the page again with the form and its errors."""
    return form_page(
        request,
        form,
        act,
        success=success,
        to=to or relationship,
        page=lambda form: relationship_page(
            request, relationship_for(request.user, relationship.pk), **{name: form}
        ),
    )


@login_required
def relationship(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    return relationship_page(request, relationship_for(request.user, relationship_id))


@login_required
@require_POST
def relationship_accept(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return button(
        request,
        lambda: actions.do_accept(request.user, relationship),
        success="Accepted. Say hello and plan a first session.",
        to=relationship,
    )


@login_required
@require_POST
def relationship_decline(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        DeclineForm(request.POST),
        "decline_form",
        lambda data: actions.do_decline(request.user, relationship, data["reason"]),
        "Declined, kindly. Thank you for answering.",
        to="mentoring",
    )


@login_required
@require_POST
def relationship_withdraw(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return button(
        request,
        lambda: actions.do_withdraw(request.user, relationship),
        success="Your request is withdrawn.",
        to="mentoring",
    )


@login_required
@require_POST
def session_log(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        SessionForm(request.POST, tz=request.user.profile.timezone),
        "session_form",
        lambda data: actions.do_log_session(request.user, relationship, **data),
        "Session logged.",
    )


@login_required
@require_POST
def relationship_complete(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship_form(
        request,
        relationship,
        CompleteForm(request.POST),
        "complete_form",
        lambda data: actions.do_complete_relationship(
            request.user, relationship, data["reflection"]
        ),
        "Thank you for your reflection.",
    )


@login_required
@require_POST
def relationship_add_member(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    relationship = member_relationship_for(request.user, relationship_id)
    form = AddMemberForm(request.POST, user=request.user)
    return relationship_form(
        request,
        relationship,
        form,
        "member_form",
        lambda data: actions.do_add_member(
            request.user, relationship, data["person"].user, data["role"]
        ),
        lambda _: f"{form.cleaned_data['person'].name} joined.",
    )


@login_required
def relationship_ics(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    return ics.relationship_ics(request, relationship_for(request.user, relationship_id))


@login_required
def session_ics(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = session_for(request.user, session_id)
    return ics.ics_response(request, [session], f"cairn-session-{session.pk}.ics")


# Feedback ----------------------------------------------------------------------------------------


@login_required
def feedback(
    request: SignedInRequest, context_type: str, context_id: int, handle: str
) -> HttpResponse:
    context_object = feedback_context_for(request.user, context_type, context_id)
    receiver = profile_for(request.user, handle)
    if (
        receiver.user_id not in context_object.feedback_parties()
        or receiver.user_id == request.user.pk
    ):
        raise Http404("No such colleague here.")
    sent = feedback_sent(request.user, receiver.user, context_object)
    if sent is not None:
        back = getattr(context_object, "get_absolute_url", None)
        return render(
            request,
            "learning/feedback_sent.html",
            {"feedback": sent, "receiver": receiver, "back": back() if back else None},
        )
    form = FeedbackForm(request.POST or None)
    back = getattr(context_object, "get_absolute_url", None)
    return form_page(
        request,
        form,
        lambda data: actions.do_give_feedback(
            request.user, receiver.user, context_object, form.scores(), data["comment"]
        ),
        success=f"Thank you. {receiver.name} will never see your name on it.",
        to=back() if back else "mentoring",
        template="learning/feedback.html",
        context={"receiver": receiver, "context_object": context_object},
    )


@login_required
def my_feedback(request: SignedInRequest) -> HttpResponse:
    summary = actions.feedback_summary(request.user)
    return render(
        request,
        "learning/my_feedback.html",
        {"summary": summary, "minimum": FEEDBACK_MIN_FOR_SUMMARY},
    )
