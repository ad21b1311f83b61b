"""Schemas of the learning endpoints (cairn/api/learning.py)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from cairn.api.fields import AbsoluteUrl, Names
from cairn.learning.models import Goal, Relationship, Session


class MilestoneOut(Schema):
    id: int
    title: str
    done: bool = Field(alias="is_done")
    done_at: datetime | None


class ReflectionOut(Schema):
    id: int
    text: str
    created_at: datetime


class GoalOut(Schema):
    id: int
    owner: str = Field(..., alias="owner.profile.handle")
    title: str
    why: str
    target_date: date | None
    skills: Names
    communities: list[int]
    visibility: str
    status: str
    progress: int
    milestones: list[MilestoneOut]
    closing_reflection: str
    created_at: datetime
    closed_at: datetime | None
    url: AbsoluteUrl

    @staticmethod
    def resolve_communities(obj: Goal) -> list[int]:
        return [c.pk for c in obj.communities.all()]


Visibility = Literal["private", "partners", "organisation"]


class GoalIn(Schema):
    title: str = Field(..., max_length=160)
    why: str = Field("", max_length=4000)
    target_date: date | None = None
    skills: list[str] = Field(default_factory=list, description="Skill names.")
    communities: list[int] = Field(
        default_factory=list, description="Ids of communities I am a member of."
    )
    visibility: Visibility = "partners"


class GoalPatch(Schema):
    title: str | None = Field(None, max_length=160)
    why: str | None = Field(None, max_length=4000)
    target_date: date | None = None
    skills: list[str] | None = None
    communities: list[int] | None = None
    visibility: Visibility | None = None
    progress: int | None = Field(
        None, ge=0, le=100, description="0–100; null derives it from the milestones again."
    )


class TitleIn(Schema):
    title: str = Field(..., max_length=160)


class TextIn(Schema):
    text: str = Field(..., max_length=4000)


class CloseIn(Schema):
    outcome: Literal["achieved", "set_aside"]
    reflection: str = Field(..., max_length=4000)


class RelationshipMemberOut(Schema):
    handle: str = Field(..., alias="user.profile.handle")
    name: str = Field(..., alias="user.profile.name")
    role: str
    closing_reflection: str


class RelationshipOut(Schema):
    id: int
    kind: str
    status: str
    goal_id: int | None
    requested_by: str = Field(..., alias="requested_by.profile.handle")
    addressee: str = Field(..., alias="addressee.profile.handle")
    message: str | None
    decline_reason: str | None
    created_at: datetime
    responded_at: datetime | None
    completed_at: datetime | None
    members: list[RelationshipMemberOut]
    url: AbsoluteUrl
    rhythm_days: int = Field(..., description="How often the members agreed to meet, in days.")
    last_active: datetime = Field(
        ..., description="When it last showed life: a session, a proposal, a milestone, ..."
    )
    health: Literal["", "on_track", "slowing", "stalled"] = Field(
        ..., description="Measured against the rhythm; empty unless active."
    )
    health_reason: str = Field(..., description="The health explained in words.")

    @staticmethod
    def resolve_health(obj: Relationship) -> str:
        return str(obj.health())

    @staticmethod
    def resolve_goal_id(obj: Relationship, context: dict) -> int | None:
        return obj.goal_id if obj.goal_visible else None

    @staticmethod
    def resolve_message(obj: Relationship, context: dict) -> str | None:
        return obj.message if obj.is_member(context["request"].user) else None

    @staticmethod
    def resolve_decline_reason(obj: Relationship, context: dict) -> str | None:
        return obj.decline_reason if obj.is_member(context["request"].user) else None


class RequestIn(Schema):
    person: str = Field(..., description="The handle of the colleague you ask.")
    kind: Literal["mentoring", "coaching", "peer"] = "mentoring"
    goal_id: int = Field(..., description="One of your open goals.")
    message: str = Field(..., max_length=4000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class ReflectionIn(Schema):
    reflection: str = Field(..., max_length=4000)


class MemberIn(Schema):
    person: str = Field(..., description="The colleague's handle.")
    role: Literal["mentor", "learner", "peer"]


class SessionIn(Schema):
    held_at: datetime = Field(..., description="ISO 8601 with a time zone.")
    duration_minutes: int = Field(..., ge=5, le=600)
    shared_notes: str = Field("", max_length=8000)
    private_notes: str = Field("", max_length=8000)


class SessionOut(Schema):
    id: int
    relationship_id: int
    held_at: datetime
    duration_minutes: int
    shared_notes: str
    private_notes: str | None = Field(None, description="Only for the relationship's members.")

    @staticmethod
    def resolve_private_notes(obj: Session, context: dict) -> str | None:
        user = context["request"].user
        return obj.private_notes if obj.private_notes_visible_to(user) else None


class FeedbackIn(Schema):
    context_type: Literal["learning.session", "learning.relationship", "exchange.response"]
    context_id: int
    receiver: str = Field(..., description="The handle of the person the feedback is for.")
    helpfulness: int = Field(..., ge=1, le=5)
    responsiveness: int = Field(..., ge=1, le=5)
    openness: int = Field(..., ge=1, le=5, description="Openness and honesty.")
    presence: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=4000)


class FeedbackSummaryOut(Schema):
    count: int
    needed: int = Field(..., description="Averages appear from this many feedbacks.")
    averages: dict[str, float] | None
    comments: list[str]


class Created(Schema):
    id: int


class RhythmIn(Schema):
    rhythm_days: Literal[7, 14, 30] = Field(
        ..., description="Meet every week (7), every two weeks (14) or every month (30)."
    )


class CloseRelationshipIn(Schema):
    reason: Literal["got_what_we_needed", "not_a_fit", "circumstances"] = Field(
        ..., description="Why it closes; closing kindly is never held against anyone's trust."
    )
    reflection: str = Field("", max_length=4000)


class SessionProposalIn(Schema):
    starts_at: datetime = Field(..., description="When, with its time zone offset.")
    duration_minutes: int = 60
    message: str = Field("", max_length=2000)


class ProposalAnswerIn(Schema):
    accept: bool


class SessionProposalOut(Schema):
    id: int
    relationship_id: int
    proposed_by: str = Field(..., alias="proposed_by.profile.handle")
    starts_at: datetime
    duration_minutes: int
    message: str
    status: str
    answered_at: datetime | None
    created_at: datetime
