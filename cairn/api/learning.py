"""API endpoints of the learning app: goals, mentoring and partnerships, sessions, feedback.

The same actions and access rules as the pages: ``cairn.learning.actions`` and ``.access``.
"""

from typing import Literal

from django.http import HttpResponse
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from cairn.api.bodies import colleague_named, documents, named_as_sent, parse_body
from cairn.api.learning_schemas import (
    CloseIn,
    CloseRelationshipIn,
    Created,
    FeedbackIn,
    FeedbackSummaryOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    MemberIn,
    MilestoneOut,
    ProposalAnswerIn,
    ReasonIn,
    ReflectionIn,
    ReflectionOut,
    RelationshipOut,
    RequestIn,
    RhythmIn,
    SessionIn,
    SessionOut,
    SessionProposalIn,
    SessionProposalOut,
    TextIn,
    TitleIn,
)
from cairn.api.pagination import BoundedPagination
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.learning import actions, ics
from cairn.learning.access import (
    feedback_context_for,
    goal_for,
    member_relationship_for,
    milestone_for,
    my_relationships,
    own_goal_for,
    proposal_for,
    relationship_for,
    session_for,
)
from cairn.learning.models import Goal, Milestone, Relationship, Session

router = Router(tags=["learning"])


# Goals -------------------------------------------------------------------------------------------


@router.post("/goals", response={201: GoalOut}, summary="Set a learning goal")
def create_goal(request: SignedInRequest, payload: GoalIn) -> Status:
    goal = actions.do_set_goal(request.user, **payload.dict())
    return Status(201, own_goal_for(request.user, goal.pk))


@router.get("/goals", response=list[GoalOut], summary="My goals, or every goal I may see")
@paginate(BoundedPagination)
def list_goals(request: SignedInRequest, scope: Literal["mine", "visible"] = "mine"):
    goals = (
        Goal.objects.visible_to(request.user)
        if scope == "visible"
        else Goal.objects.filter(owner=request.user)
    )
    return goals.select_related("owner__profile").prefetch_related(
        "skills", "milestones", "communities"
    )


@router.get("/goals/{goal_id}", response=GoalOut, summary="One goal")
def get_goal(request: SignedInRequest, goal_id: int) -> Goal:
    return goal_for(request.user, goal_id)


@router.get("/goals/{goal_id}/reflections", response=list[ReflectionOut], summary="Reflections")
def list_reflections(request: SignedInRequest, goal_id: int) -> list:
    return list(goal_for(request.user, goal_id).reflections.all())


@router.patch(
    "/goals/{goal_id}",
    response=GoalOut,
    summary="Change my goal",
    openapi_extra=documents(GoalPatch),
)
def update_goal(request: SignedInRequest, goal_id: int) -> Goal:
    goal = own_goal_for(request.user, goal_id)
    payload = parse_body(request, GoalPatch)
    changes = payload.dict(exclude_unset=True)
    for required in ("title", "visibility"):
        if required in changes and changes[required] is None:
            raise ActionError(f"{required} cannot be empty.", field=required)
    actions.do_update_goal(request.user, goal, **changes)
    return own_goal_for(request.user, goal_id)


@router.post(
    "/goals/{goal_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone",
    openapi_extra=documents(TitleIn),
)
def add_milestone(request: SignedInRequest, goal_id: int) -> Status:
    goal = own_goal_for(request.user, goal_id)
    payload = parse_body(request, TitleIn)
    return Status(201, actions.do_add_milestone(request.user, goal, payload.title))


@router.post(
    "/goals/{goal_id}/milestones/{milestone_id}/done",
    response=MilestoneOut,
    summary="Tick a milestone off",
)
def complete_milestone(request: SignedInRequest, goal_id: int, milestone_id: int) -> Milestone:
    milestone = milestone_for(request.user, goal_id, milestone_id)
    return actions.do_complete_milestone(request.user, milestone)


@router.post(
    "/goals/{goal_id}/reflections",
    response={201: ReflectionOut},
    summary="Reflect on my goal",
    openapi_extra=documents(TextIn),
)
def reflect(request: SignedInRequest, goal_id: int) -> Status:
    goal = own_goal_for(request.user, goal_id)
    payload = parse_body(request, TextIn)
    return Status(201, actions.do_reflect(request.user, goal, payload.text))


@router.post(
    "/goals/{goal_id}/close",
    response=GoalOut,
    summary="Close my goal",
    openapi_extra=documents(CloseIn),
)
def close_goal(request: SignedInRequest, goal_id: int) -> Goal:
    goal = own_goal_for(request.user, goal_id)
    payload = parse_body(request, CloseIn)
    actions.do_close_goal(request.user, goal, payload.outcome, payload.reflection)
    return own_goal_for(request.user, goal_id)


# Mentoring ---------------------------------------------------------------------------------------


@router.post(
    "/mentoring",
    response={201: RelationshipOut},
    summary="Ask a colleague for mentoring, coaching or a peer partnership",
)
def request_relationship(request: SignedInRequest, payload: RequestIn) -> Status:
    person = colleague_named(request.user, payload.person, "person").user
    goal = Goal.objects.filter(owner=request.user, pk=payload.goal_id).first()
    with named_as_sent(goal="goal_id"):
        relationship = actions.do_request_relationship(
            request.user, person, payload.kind, goal, payload.message
        )
    return Status(201, relationship_for(request.user, relationship.pk))


@router.get("/mentoring", response=list[RelationshipOut], summary="My relationships and requests")
@paginate(BoundedPagination)
def list_relationships(request: SignedInRequest, status: str = ""):
    mine = my_relationships(request.user)
    return mine.filter(status=status) if status else mine


@router.get("/mentoring/{relationship_id}", response=RelationshipOut, summary="One relationship")
def get_relationship(request: SignedInRequest, relationship_id: int) -> Relationship:
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/accept", response=RelationshipOut, summary="Accept a request"
)
def accept(request: SignedInRequest, relationship_id: int) -> Relationship:
    actions.do_accept(request.user, member_relationship_for(request.user, relationship_id))
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/decline",
    response=RelationshipOut,
    summary="Decline a request with a kind reason",
    openapi_extra=documents(ReasonIn),
)
def decline(request: SignedInRequest, relationship_id: int) -> Relationship:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, ReasonIn)
    actions.do_decline(request.user, relationship, payload.reason)
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/withdraw",
    response=RelationshipOut,
    summary="Withdraw my unanswered request",
)
def withdraw(request: SignedInRequest, relationship_id: int) -> Relationship:
    actions.do_withdraw(request.user, member_relationship_for(request.user, relationship_id))
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/members",
    response={201: RelationshipOut},
    summary="Add a colleague (a group relationship)",
    openapi_extra=documents(MemberIn),
)
def add_member(request: SignedInRequest, relationship_id: int) -> Status:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, MemberIn)
    person = colleague_named(request.user, payload.person, "person").user
    actions.do_add_member(request.user, relationship, person, payload.role)
    return Status(201, relationship_for(request.user, relationship_id))


@router.post(
    "/mentoring/{relationship_id}/sessions",
    response={201: SessionOut},
    summary="Log a session",
    openapi_extra=documents(SessionIn),
)
def log_session(request: SignedInRequest, relationship_id: int) -> Status:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, SessionIn)
    session = actions.do_log_session(request.user, relationship, **payload.dict())
    return Status(201, session_for(request.user, session.pk))


@router.get(
    "/mentoring/{relationship_id}/sessions",
    response=list[SessionOut],
    summary="Sessions of a relationship",
)
def list_sessions(request: SignedInRequest, relationship_id: int) -> list[Session]:
    relationship = relationship_for(request.user, relationship_id)
    sessions = list(relationship.sessions.all())
    for session in sessions:
        session.relationship = relationship
    return sessions


@router.post(
    "/mentoring/{relationship_id}/complete",
    response=RelationshipOut,
    summary="Complete it with my closing reflection (or add mine afterwards)",
    openapi_extra=documents(ReflectionIn),
)
def complete(request: SignedInRequest, relationship_id: int) -> Relationship:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, ReflectionIn)
    actions.do_complete_relationship(request.user, relationship, payload.reflection)
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/rhythm",
    response=RelationshipOut,
    summary="Agree how often we meet (the health is measured against it)",
    openapi_extra=documents(RhythmIn),
)
def set_rhythm(request: SignedInRequest, relationship_id: int) -> Relationship:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, RhythmIn)
    actions.do_set_rhythm(request.user, relationship, payload.rhythm_days)
    return relationship_for(request.user, relationship_id)


@router.post(
    "/mentoring/{relationship_id}/close",
    response=RelationshipOut,
    summary="Close it kindly, with a reason both members see",
    openapi_extra=documents(CloseRelationshipIn),
)
def close_relationship(request: SignedInRequest, relationship_id: int) -> Relationship:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, CloseRelationshipIn)
    actions.do_close_relationship(request.user, relationship, payload.reason, payload.reflection)
    return relationship_for(request.user, relationship_id)


@router.get(
    "/mentoring/{relationship_id}/proposals",
    response=list[SessionProposalOut],
    summary="Sessions proposed in a relationship I take part in, newest first",
)
@paginate(BoundedPagination)
def list_proposals(request: SignedInRequest, relationship_id: int):
    relationship = member_relationship_for(request.user, relationship_id)
    return relationship.proposals.select_related("proposed_by__profile").order_by("-created_at")


@router.post(
    "/mentoring/{relationship_id}/proposals",
    response={201: SessionProposalOut},
    summary="Propose the next session to the other members",
    openapi_extra=documents(SessionProposalIn),
)
def propose_session(request: SignedInRequest, relationship_id: int) -> Status:
    relationship = member_relationship_for(request.user, relationship_id)
    payload = parse_body(request, SessionProposalIn)
    proposal = actions.do_propose_session(
        request.user, relationship, payload.starts_at, payload.duration_minutes, payload.message
    )
    return Status(201, proposal_for(request.user, proposal.pk))


@router.post(
    "/mentoring/proposals/{proposal_id}/answer",
    response=SessionProposalOut,
    summary="Accept or decline a session another member proposed",
    openapi_extra=documents(ProposalAnswerIn),
)
def answer_proposal(request: SignedInRequest, proposal_id: int) -> object:
    proposal = proposal_for(request.user, proposal_id)
    payload = parse_body(request, ProposalAnswerIn)
    actions.do_answer_proposal(request.user, proposal, payload.accept)
    return proposal_for(request.user, proposal_id)


@router.get(
    "/mentoring/{relationship_id}/calendar.ics",
    summary="All sessions of a relationship as an iCalendar file",
)
def relationship_calendar(request: SignedInRequest, relationship_id: int) -> HttpResponse:
    return ics.relationship_ics(request, relationship_for(request.user, relationship_id))


@router.get(
    "/mentoring/sessions/{session_id}/calendar.ics",
    summary="One session as an iCalendar file",
)
def session_calendar(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = session_for(request.user, session_id)
    return ics.ics_response(request, [session], f"cairn-session-{session.pk}.ics")


# Feedback ----------------------------------------------------------------------------------------


@router.post("/feedback", response={201: Created}, summary="Give feedback after working together")
def give_feedback(request: SignedInRequest, payload: FeedbackIn) -> Status:
    context_object = feedback_context_for(request.user, payload.context_type, payload.context_id)
    receiver = colleague_named(request.user, payload.receiver, "receiver").user
    scores = {
        "helpfulness": payload.helpfulness,
        "responsiveness": payload.responsiveness,
        "openness": payload.openness,
        "presence": payload.presence,
    }
    feedback = actions.do_give_feedback(
        request.user, receiver, context_object, scores, payload.comment
    )
    return Status(201, {"id": feedback.pk})


@router.get(
    "/feedback/mine",
    response=FeedbackSummaryOut,
    summary="Feedback about me, aggregated (averages from three feedbacks on)",
)
def my_feedback(request: SignedInRequest) -> dict[str, object]:
    return actions.feedback_summary(request.user)
