"""API endpoints for people: me, my profile, the directory, invitations, skills."""

from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cairn.api.bodies import colleague_named
from cairn.api.fields import Names
from cairn.api.pagination import BoundedPagination
from cairn.checks import organisation_id_of
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.people import actions
from cairn.people.access import profile_for
from cairn.people.models import Profile, Skill, User
from cairn.people.views import search_people

router = Router(tags=["people"])


class ProfileOut(Schema):
    handle: str
    name: str
    title: str
    department: str | None = Field(None, alias="department.name")
    manager: str | None = Field(None, alias="manager.handle")
    location: str
    timezone: str
    languages: list[str]
    bio: str
    offers: Names
    wants: Names
    open_to_mentor: bool
    open_to_be_mentored: bool
    open_to_peer: bool
    mentoring_capacity: int


class MeOut(Schema):
    email: str
    role: str
    organisation: str
    profile: ProfileOut


# A field's default when a PATCH leaves it out. Typed Any so the field keeps its real type: a
# null that is sent must still fail validation, while one left out is simply not in the changes.
NOT_SENT: Any = None


class ProfilePatch(Schema):
    """Only the fields sent change. None is only the "not sent" default: a field sent as null is
    a 422 (the columns hold no null), but for the manager, whom null or "" clears."""

    name: str = Field(NOT_SENT, min_length=1, max_length=120)
    title: str = Field(NOT_SENT, max_length=120)
    department: str = Field(NOT_SENT, max_length=80, description="Department name.")
    manager: str | None = Field(None, description="The manager's handle; empty or null to clear.")
    location: str = Field(NOT_SENT, max_length=120)
    timezone: str = Field(NOT_SENT, max_length=64, description="IANA name, e.g. Europe/Paris.")
    languages: list[str] = Field(NOT_SENT)
    bio: str = Field(NOT_SENT, max_length=2000)
    offers: list[str] = Field(NOT_SENT, description="Skills and topics I can help with.")
    wants: list[str] = Field(NOT_SENT, description="Skills I want to grow.")
    open_to_mentor: bool = Field(NOT_SENT)
    open_to_be_mentored: bool = Field(NOT_SENT)
    open_to_peer: bool = Field(NOT_SENT)
    mentoring_capacity: int = Field(NOT_SENT, ge=0, le=20)


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: str = "member"


class InvitationOut(Schema):
    email: str
    role: str
    link: str
    expires_at: str


def _profile_query():
    return Profile.objects.select_related("department", "manager").prefetch_related(
        "offers", "wants"
    )


def _check_member(user: User) -> None:
    """Refuse (403) platform staff, who belong to no organisation and so have no profile."""
    if user.organisation_id is None:
        raise ActionError("Only members of an organisation have a profile here.", status=403)


@router.get("/me", response=MeOut, summary="Who I am")
def me(request: SignedInRequest) -> dict[str, object]:
    user = request.user
    _check_member(user)
    return {
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation.slug if user.organisation else "",
        "profile": _profile_query().get(user=user),
    }


@router.patch("/me/profile", response=ProfileOut, summary="Change my profile")
def update_my_profile(request: SignedInRequest, payload: ProfilePatch) -> Profile:
    _check_member(request.user)
    changes = payload.dict(exclude_unset=True)
    if "manager" in changes:
        handle = changes["manager"]
        if handle:
            changes["manager"] = colleague_named(request.user, handle, "manager")
        else:
            changes["manager"] = None
    actions.do_update_profile(request.user, **changes)
    return _profile_query().get(user=request.user)


@router.get("/people", response=list[ProfileOut], summary="Search the people directory")
@paginate(BoundedPagination)
def list_people(
    request: SignedInRequest,
    q: str = "",
    department: str = "",
    order: Literal["name", "trust"] = "name",
):
    """``order=trust``: people with more earned trust first (newcomers last)."""
    return (
        search_people(request.user, q[:200], department[:80], order)
        .select_related("manager")
        .prefetch_related("wants")
    )


@router.get("/people/{handle}", response=ProfileOut, summary="One colleague's profile")
def get_person(request: SignedInRequest, handle: str) -> Profile:
    return profile_for(request.user, handle)


@router.get("/skills", response=list[str], summary="Skills known in my organisation")
def list_skills(request: SignedInRequest) -> list[str]:
    return list(
        Skill.objects.filter(organisation_id=organisation_id_of(request.user)).values_list(
            "name", flat=True
        )
    )


@router.post(
    "/invitations",
    response={201: InvitationOut},
    summary="Invite someone to my organisation (admins)",
)
def create_invitation(
    request: SignedInRequest, payload: InvitationIn
) -> tuple[int, dict[str, str]]:
    invitation = actions.do_invite(request.user, payload.email, payload.role)
    return 201, {
        "email": invitation.email,
        "role": invitation.role,
        "link": request.build_absolute_uri(f"/join/{invitation.token}/"),
        "expires_at": invitation.expires_at.isoformat(),
    }
