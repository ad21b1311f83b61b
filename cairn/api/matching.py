"""API endpoints of matching: recommendations for a goal, and mentoring programs.

Endpoints that take an id parse their body after the access check, so someone who may not see
the program always gets 404 (outsiders) or 403 (members on admin endpoints), whatever they send.
"""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status

from cairn.api.bodies import documents, parse_body
from cairn.api.fields import AbsoluteUrl
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.learning.access import own_goal_for
from cairn.matching import actions, adapter
from cairn.matching.access import admin_program_for, program_for, programs_for
from cairn.matching.models import Match, Participant, Program

router = Router(tags=["matching"])


# Recommendations -------------------------------------------------------------------------------


class SuggestionOut(Schema):
    kind: str = Field(..., description="mentor, peer or community.")
    handle: str | None = Field(None, description="The person's handle (mentors and peers).")
    name: str
    community_id: int | None = None
    score: float = Field(..., description="0 to 1; higher is a better fit.")
    reasons: list[str]


class RecommendationsOut(Schema):
    goal: str
    ready: bool = Field(
        True,
        description="False while the organisation's recommendations are first being prepared "
        "(the lists are then empty; ask again in a minute).",
    )
    mentors: list[SuggestionOut]
    peers: list[SuggestionOut]
    communities: list[SuggestionOut]


def _suggestion(s: adapter.Suggestion) -> dict[str, Any]:
    if s.community is not None:
        return {
            "kind": s.kind,
            "name": s.community.name,
            "community_id": s.community.pk,
            "score": round(s.score, 4),
            "reasons": s.reasons,
        }
    return {
        "kind": s.kind,
        "handle": s.profile.handle,
        "name": s.profile.name,
        "score": round(s.score, 4),
        "reasons": s.reasons,
    }


@router.get(
    "/goals/{goal_id}/recommendations",
    response=RecommendationsOut,
    summary="Mentors, peers and communities for one of my goals, with reasons",
)
def goal_recommendations(request: SignedInRequest, goal_id: int, k: int = 6) -> dict[str, Any]:
    goal = own_goal_for(request.user, goal_id)
    text = adapter.goal_text(goal)
    skills = adapter.goal_skills(goal)
    return _recommended(request, text, k, skills)


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    summary="Mentors, peers and communities for the skills I want to grow, with reasons",
)
def skill_recommendations(
    request: SignedInRequest, skill: int | None = None, k: int = 6
) -> dict[str, Any]:
    profile = getattr(request.user, "profile", None)
    wanted = list(profile.wants.all()) if profile is not None else []
    chosen = [s for s in wanted if skill is None or s.pk == skill]
    if skill is not None and not chosen:
        raise ActionError("Pick one of the skills you want to grow.", field="skill")
    skills = [s.name for s in chosen]
    return _recommended(request, ", ".join(skills), k, skills)


def _recommended(request: SignedInRequest, text: str, k: int, skills: list[str]) -> dict[str, Any]:
    """Return the recommendations for ``text`` as the API gives them (at most 25 of each)."""
    found: dict[str, list[adapter.Suggestion]] = {"mentor": [], "peer": [], "community": []}
    ready = True
    if text:
        try:
            found = adapter.recommendations(request.user, text, max(1, min(k, 25)), skills)
        except adapter.NotReady:
            actions.do_prepare_recommendations(request.user)
            ready = False
    return {
        "goal": text,
        "ready": ready,
        "mentors": [_suggestion(s) for s in found["mentor"]],
        "peers": [_suggestion(s) for s in found["peer"]],
        "communities": [_suggestion(s) for s in found["community"]],
    }


# Programs --------------------------------------------------------------------------------------


class QuestionIn(Schema):
    label: str = Field(..., max_length=200)
    kind: Literal["text", "choice"] = "text"
    choices: list[str] = []


class ProgramIn(Schema):
    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=4000)
    opens_at: datetime
    closes_at: datetime
    questions: list[QuestionIn] = []
    same_department: Literal["allow", "forbid", "require"] = "allow"
    objective: Literal["total", "fair"] = "total"


class ProgramOut(Schema):
    id: int
    name: str
    description: str
    opens_at: datetime
    closes_at: datetime
    questions: list[dict[str, Any]]
    same_department: str
    objective: str
    status: str
    signup_open: bool = Field(alias="is_signup_open")
    summary: dict[str, Any]
    run_error: str
    url: AbsoluteUrl


class SignUpIn(Schema):
    role: Literal["mentee", "mentor"]
    answers: dict[str, str] = {}
    capacity: int = Field(1, ge=1, le=10, description="Mentors: mentees they take.")
    goal_text: str = Field("", max_length=2000, description="Mentees: what they want to grow.")
    goal_id: int | None = Field(None, description="Mentees: one of their open goals.")
    picks: list[int] = Field([], description="Mentees: user ids of up to 3 mentors, best first.")


class ParticipantOut(Schema):
    id: int
    handle: str = Field(..., alias="user.profile.handle")
    name: str = Field(..., alias="user.profile.name")
    role: str
    capacity: int
    goal_text: str
    answers: dict[str, str]
    picks: list[int]


class RunIn(Schema):
    objective: Literal["total", "fair"] | None = None


class MatchOut(Schema):
    mentee_id: int
    mentee: str
    mentor_id: int | None
    mentor: str | None
    score: float | None
    reasons: list[str]
    adjusted: bool
    relationship_id: int | None

    @staticmethod
    def resolve_mentee(obj: Match) -> str:
        return obj.mentee.user.profile.handle

    @staticmethod
    def resolve_mentor(obj: Match) -> str | None:
        return obj.mentor.user.profile.handle if obj.mentor else None


class ProposalOut(Schema):
    status: str
    summary: dict[str, Any]
    matches: list[MatchOut]


class ReassignIn(Schema):
    mentee_id: int = Field(..., description="The mentee's participant id.")
    mentor_id: int | None = Field(..., description="The mentor's participant id, or null.")


class SwapIn(Schema):
    mentee_id: int
    other_id: int


class ExcludeIn(Schema):
    mentee: int = Field(..., description="The mentee's user id.")
    mentor: int = Field(..., description="The mentor's user id.")


def _admin(request: SignedInRequest, program_id: int) -> Program:
    try:
        return admin_program_for(request.user, program_id)
    except PermissionDenied:
        raise ActionError("Only organisation admins can run programs.", status=403) from None


@router.get("/programs", response=list[ProgramOut], summary="Mentoring programs of my organisation")
def list_programs(request: SignedInRequest) -> list[Program]:
    return list(programs_for(request.user)[:200])


@router.post("/programs", response={201: ProgramOut}, summary="Start a program (admins)")
def create_program(request: SignedInRequest, payload: ProgramIn) -> Status:
    data = payload.dict()
    program = actions.do_create_program(request.user, **data)
    return Status(201, program)


@router.get("/programs/{program_id}", response=ProgramOut, summary="One program")
def get_program(request: SignedInRequest, program_id: int) -> Program:
    return program_for(request.user, program_id)


@router.post(
    "/programs/{program_id}/signups",
    response={201: ParticipantOut},
    summary="Sign up (or change my sign-up) as mentee or mentor",
    openapi_extra=documents(SignUpIn),
)
def sign_up(request: SignedInRequest, program_id: int) -> Status:
    program = program_for(request.user, program_id)
    payload = parse_body(request, SignUpIn)
    goal = own_goal_for(request.user, payload.goal_id) if payload.goal_id else None
    participant = actions.do_sign_up(
        request.user,
        program,
        role=payload.role,
        answers=payload.answers,
        capacity=payload.capacity,
        goal_text=payload.goal_text,
        goal=goal,
        picks=payload.picks,
    )
    return Status(201, Participant.objects.select_related("user__profile").get(pk=participant.pk))


@router.get(
    "/programs/{program_id}/signups",
    response=list[ParticipantOut],
    summary="Everyone signed up (admins)",
)
def list_signups(request: SignedInRequest, program_id: int) -> list[Participant]:
    program = _admin(request, program_id)
    return list(program.participants.select_related("user__profile"))


@router.post("/programs/{program_id}/close", response=ProgramOut, summary="Close sign-ups now")
def close_signups(request: SignedInRequest, program_id: int) -> Program:
    program = _admin(request, program_id)
    return actions.do_close_signups(request.user, program)


@router.post(
    "/programs/{program_id}/run",
    response={202: ProgramOut},
    summary="Run the matching (small programs at once, large ones in the background)",
    openapi_extra=documents(RunIn),
)
def run_matching(request: SignedInRequest, program_id: int) -> Status:
    program = _admin(request, program_id)
    payload = parse_body(request, RunIn)
    program = actions.do_run_matching(request.user, program, payload.objective)
    return Status(202, program)


def _proposal(program: Program) -> dict[str, Any]:
    matches = program.matches.select_related("mentee__user__profile", "mentor__user__profile")
    return {"status": program.status, "summary": program.summary, "matches": list(matches)}


@router.get(
    "/programs/{program_id}/proposal",
    response=ProposalOut,
    summary="The proposed matches, weakest first, with scores and reasons (admins)",
)
def get_proposal(request: SignedInRequest, program_id: int) -> dict[str, Any]:
    return _proposal(_admin(request, program_id))


@router.post(
    "/programs/{program_id}/reassign",
    response=ProposalOut,
    summary="Give a mentee another mentor, or none (admins)",
    openapi_extra=documents(ReassignIn),
)
def reassign(request: SignedInRequest, program_id: int) -> dict[str, Any]:
    program = _admin(request, program_id)
    payload = parse_body(request, ReassignIn)
    actions.do_reassign(request.user, program, payload.mentee_id, payload.mentor_id)
    program.refresh_from_db()
    return _proposal(program)


@router.post(
    "/programs/{program_id}/swap",
    response=ProposalOut,
    summary="Swap the mentors of two mentees (admins)",
    openapi_extra=documents(SwapIn),
)
def swap(request: SignedInRequest, program_id: int) -> dict[str, Any]:
    program = _admin(request, program_id)
    payload = parse_body(request, SwapIn)
    actions.do_swap(request.user, program, payload.mentee_id, payload.other_id)
    program.refresh_from_db()
    return _proposal(program)


@router.post(
    "/programs/{program_id}/exclude",
    response=ProgramOut,
    summary="Never match this mentee with this mentor (admins)",
    openapi_extra=documents(ExcludeIn),
)
def exclude(request: SignedInRequest, program_id: int) -> Program:
    program = _admin(request, program_id)
    payload = parse_body(request, ExcludeIn)
    return actions.do_exclude_pair(request.user, program, payload.mentee, payload.mentor)


@router.post(
    "/programs/{program_id}/publish",
    response=ProgramOut,
    summary="Publish the matches: start each mentoring and tell everyone (admins)",
)
def publish(request: SignedInRequest, program_id: int) -> Program:
    program = _admin(request, program_id)
    return actions.do_publish(request.user, program)


@router.get(
    "/programs/{program_id}/my-match",
    response={200: MatchOut, 404: dict[str, str]},
    summary="My published match in a program, and why",
)
def my_match(request: SignedInRequest, program_id: int) -> Any:
    program = program_for(request.user, program_id)
    match = (
        program.matches.select_related("mentee__user__profile", "mentor__user__profile")
        .filter(mentee__user=request.user)
        .first()
        if program.status == Program.Status.PUBLISHED
        else None
    )
    if match is None:
        return 404, {"detail": "No published match for you in this program."}
    return match
