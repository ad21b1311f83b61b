"""API endpoints of the communities app: communities, membership, threads and resources.

Endpoints that take an id parse their body after the access check (``parse_body``), so someone
who may not see the community always gets 404, whatever they send.
"""

from datetime import datetime

from django.db.models import Count, F, OuterRef, Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from cairn.api.bodies import documents, parse_body
from cairn.api.fields import AbsoluteUrl
from cairn.communities import actions
from cairn.communities.access import (
    community_for,
    membership_for,
    readable_community_for,
    thread_for,
)
from cairn.communities.models import Community, Membership, Thread
from cairn.http import SignedInRequest

router = Router(tags=["communities"])


class CommunityOut(Schema):
    id: int
    name: str
    description: str
    policy: str
    archived: bool = Field(alias="is_archived")
    member_count: int
    my_status: str | None = Field(None, description="pending, active, declined, left or none.")
    my_role: str | None = None
    url: AbsoluteUrl


class CommunityIn(Schema):
    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=4000)
    policy: str = Field("open", description="open, or approval (facilitators welcome members).")


class JoinIn(Schema):
    message: str = Field("", max_length=500)


class AnswerIn(Schema):
    approve: bool


class CommunityMemberOut(Schema):
    id: int
    handle: str = Field(..., alias="user.profile.handle")
    name: str = Field(..., alias="user.profile.name")
    role: str
    status: str
    message: str
    joined_at: datetime | None


class ReplyOut(Schema):
    id: int
    author: str = Field(..., alias="author.profile.handle")
    body: str
    created_at: datetime


class ThreadOut(Schema):
    id: int
    community_id: int
    title: str
    body: str
    author: str = Field(..., alias="author.profile.handle")
    created_at: datetime
    last_activity_at: datetime


class ThreadDetailOut(ThreadOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj: Thread) -> list:
        return list(obj.replies.select_related("author__profile"))


class ThreadIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=10000)


class ReplyIn(Schema):
    body: str = Field(..., max_length=10000)


class ResourceOut(Schema):
    id: int
    title: str
    url: str
    note: str
    shared_by: str = Field(..., alias="shared_by.profile.handle")
    created_at: datetime


class ResourceIn(Schema):
    title: str = Field(..., max_length=200)
    url: str = Field(..., max_length=500)
    note: str = Field("", max_length=2000)


def _communities(request: SignedInRequest):
    mine = Membership.objects.filter(community=OuterRef("pk"), user=request.user)
    return Community.objects.visible_to(request.user).annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active")),
        my_status=mine.values("status")[:1],
        my_role=mine.values("role")[:1],
    )


def _community(request: SignedInRequest, community_id: int) -> Community:
    return get_object_or_404(_communities(request), pk=community_id)


@router.get("/communities", response=list[CommunityOut], summary="Communities in my organisation")
def list_communities(request: SignedInRequest):
    return _communities(request).order_by(F("archived_at").asc(nulls_first=True), "name")


@router.post("/communities", response={201: CommunityOut}, summary="Start a community")
def create_community(request: SignedInRequest, payload: CommunityIn) -> Status:
    community = actions.do_create_community(request.user, **payload.dict())
    return Status(201, _community(request, community.pk))


@router.get("/communities/{community_id}", response=CommunityOut, summary="One community")
def get_community(request: SignedInRequest, community_id: int) -> Community:
    return _community(request, community_id)


@router.put(
    "/communities/{community_id}",
    response=CommunityOut,
    openapi_extra=documents(CommunityIn),
    summary="Change the name, description or join policy (facilitators)",
)
def update_community(request: SignedInRequest, community_id: int) -> Community:
    community = community_for(request.user, community_id)
    payload = parse_body(request, CommunityIn)
    actions.do_update_community(request.user, community, **payload.dict())
    return _community(request, community_id)


@router.post(
    "/communities/{community_id}/join",
    response=CommunityOut,
    openapi_extra=documents(JoinIn),
    summary="Join an open community, or ask to join one by approval",
)
def join_community(request: SignedInRequest, community_id: int) -> Community:
    community = community_for(request.user, community_id)
    payload = parse_body(request, JoinIn)
    actions.do_join(request.user, community, payload.message)
    return _community(request, community_id)


@router.post("/communities/{community_id}/leave", response=CommunityOut, summary="Leave")
def leave_community(request: SignedInRequest, community_id: int) -> Community:
    actions.do_leave(request.user, community_for(request.user, community_id))
    return _community(request, community_id)


@router.post(
    "/communities/{community_id}/archive", response=CommunityOut, summary="Archive (facilitators)"
)
def archive_community(request: SignedInRequest, community_id: int) -> Community:
    actions.do_archive(request.user, community_for(request.user, community_id))
    return _community(request, community_id)


@router.get(
    "/communities/{community_id}/members",
    response=list[CommunityMemberOut],
    summary="Members (and, for facilitators, who is waiting to join)",
)
def list_members(request: SignedInRequest, community_id: int):
    community = readable_community_for(request.user, community_id)
    statuses = ["active"]
    if community.is_facilitator(request.user):
        statuses.append("pending")
    return community.memberships.filter(status__in=statuses).select_related("user__profile")


@router.post(
    "/communities/members/{membership_id}/answer",
    response=CommunityMemberOut,
    openapi_extra=documents(AnswerIn),
    summary="Welcome or decline someone who asked to join (facilitators)",
)
def answer_join_request(request: SignedInRequest, membership_id: int) -> Membership:
    membership = membership_for(request.user, membership_id)
    payload = parse_body(request, AnswerIn)
    return actions.do_answer_join_request(request.user, membership, approve=payload.approve)


@router.post(
    "/communities/members/{membership_id}/facilitate",
    response=CommunityMemberOut,
    summary="Make a member a facilitator (facilitators)",
)
def make_facilitator(request: SignedInRequest, membership_id: int) -> Membership:
    membership = membership_for(request.user, membership_id)
    return actions.do_make_facilitator(request.user, membership)


@router.get("/communities/{community_id}/threads", response=list[ThreadOut], summary="Discussions")
def list_threads(request: SignedInRequest, community_id: int):
    community = readable_community_for(request.user, community_id)
    return community.threads.select_related("author__profile")


@router.post(
    "/communities/{community_id}/threads",
    response={201: ThreadDetailOut},
    openapi_extra=documents(ThreadIn),
    summary="Start a discussion (members)",
)
def start_thread(request: SignedInRequest, community_id: int) -> Status:
    community = readable_community_for(request.user, community_id)
    payload = parse_body(request, ThreadIn)
    thread = actions.do_start_thread(request.user, community, payload.title, payload.body)
    return Status(201, thread_for(request.user, thread.pk))


@router.get("/communities/threads/{thread_id}", response=ThreadDetailOut, summary="A discussion")
def get_thread(request: SignedInRequest, thread_id: int) -> Thread:
    return thread_for(request.user, thread_id)


@router.post(
    "/communities/threads/{thread_id}/replies",
    response={201: ReplyOut},
    openapi_extra=documents(ReplyIn),
    summary="Reply in a discussion (members)",
)
def reply(request: SignedInRequest, thread_id: int):
    thread = thread_for(request.user, thread_id)
    payload = parse_body(request, ReplyIn)
    return Status(201, actions.do_reply(request.user, thread, payload.body))


@router.get(
    "/communities/{community_id}/resources", response=list[ResourceOut], summary="Resources"
)
def list_resources(request: SignedInRequest, community_id: int):
    community = readable_community_for(request.user, community_id)
    return community.resources.select_related("shared_by__profile")


@router.post(
    "/communities/{community_id}/resources",
    response={201: ResourceOut},
    openapi_extra=documents(ResourceIn),
    summary="Share a link with the community (members)",
)
def share_resource(request: SignedInRequest, community_id: int):
    community = readable_community_for(request.user, community_id)
    payload = parse_body(request, ResourceIn)
    return Status(201, actions.do_share_resource(request.user, community, **payload.dict()))
