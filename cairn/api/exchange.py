"""API endpoints of the exchange app: requests for help, responses, posts, comments, credits
and thanks. Endpoints that take an id parse their body after the access check."""

from datetime import datetime
from typing import Literal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cairn.api.bodies import colleague_named, documents, named_as_sent, parse_body
from cairn.api.fields import AbsoluteUrl, Handles, Names
from cairn.api.pagination import BoundedPagination
from cairn.communities.access import community_for
from cairn.errors import ActionError
from cairn.exchange import actions
from cairn.exchange.access import (
    credit_target_for,
    help_request_for,
    post_for,
    response_for,
    responses_by_trust,
)
from cairn.exchange.models import Credit, HelpRequest, Post, Response
from cairn.exchange.views import filter_requests
from cairn.http import SignedInRequest
from cairn.people.models import User

router = Router(tags=["exchange"])


class ResponseOut(Schema):
    id: int
    responder: str = Field(..., alias="responder.profile.handle")
    body: str
    created_at: datetime
    helpful: bool
    accepted: bool


class HelpRequestOut(Schema):
    id: int
    title: str
    details: str
    asker: str = Field(..., alias="asker.profile.handle")
    status: str
    skills: Names
    directed_to: Handles
    community_id: int | None
    goal_id: int | None
    created_at: datetime
    first_response_at: datetime | None
    hours_to_first_response: float | None
    resolved_at: datetime | None
    url: AbsoluteUrl


class HelpRequestDetailOut(HelpRequestOut):
    responses: list[ResponseOut]

    @staticmethod
    def resolve_responses(obj: HelpRequest) -> list:
        return list(responses_by_trust(obj))


class AskIn(Schema):
    title: str = Field(..., max_length=200)
    details: str = Field("", max_length=8000)
    skills: list[str] = Field(default_factory=list)
    directed_to: list[str] = Field(default_factory=list, description="Handles of colleagues.")
    community_id: int | None = None
    goal_id: int | None = Field(None, description="One of my own goals this request serves.")


class RespondIn(Schema):
    body: str = Field(..., max_length=8000)


class MarkIn(Schema):
    helpful: bool | None = None
    accepted: bool | None = None


class CreditLine(Schema):
    recipient: str = Field(..., description="The colleague's handle.")
    line: str = Field(..., max_length=300, description="What they gave.")


class ResolveIn(Schema):
    credits: list[CreditLine] = Field(default_factory=list)


class CreditsIn(Schema):
    credits: list[CreditLine]


class CreditOut(Schema):
    recipient: str = Field(..., alias="recipient.profile.handle")
    giver: str = Field(..., alias="giver.profile.handle")
    line: str
    created_at: datetime


class CommentOut(Schema):
    id: int
    author: str = Field(..., alias="author.profile.handle")
    body: str
    created_at: datetime


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    learned: str
    author: str = Field(..., alias="author.profile.handle")
    community_id: int | None
    skills: Names
    created_at: datetime
    url: AbsoluteUrl


class PostDetailOut(PostOut):
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj: Post) -> list:
        return list(obj.comments.select_related("author__profile"))


class PostIn(Schema):
    kind: Literal["know_how", "lesson"] = "know_how"
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000, description="Know-how, or what happened.")
    learned: str = Field("", max_length=20000, description="A lesson: what I learned.")
    community_id: int | None = None
    skills: list[str] = Field(default_factory=list)


class CommentIn(Schema):
    body: str = Field(..., max_length=8000)


class ThanksIn(Schema):
    recipient: str = Field(..., description="The colleague's handle.")
    note: str = Field(..., max_length=1000)
    about: str = Field("", description='Optional: "post:<id>" or "response:<id>".')


class ThanksOut(Schema):
    sender: str = Field(..., alias="sender.profile.handle")
    recipient: str = Field(..., alias="recipient.profile.handle")
    note: str
    created_at: datetime


def _credits(request: SignedInRequest, lines: list[CreditLine]) -> list[tuple[User, str]]:
    return [(colleague_named(request.user, c.recipient, "recipient").user, c.line) for c in lines]


def _community(request: SignedInRequest, community_id: int | None):
    if community_id is None:
        return None
    try:
        return community_for(request.user, community_id)
    except Http404:
        raise ActionError("No such community.", field="community_id") from None


def _request(request: SignedInRequest, help_request_id: int) -> HelpRequest:
    help_request_for(request.user, help_request_id)
    return (
        HelpRequest.objects.select_related("asker__profile")
        .prefetch_related("skills", "directed_to__profile")
        .get(pk=help_request_id)
    )


# Requests for help -------------------------------------------------------------------------------


@router.get("/requests", response=list[HelpRequestOut], summary="Requests for help I can see")
@paginate(BoundedPagination)
def list_requests(
    request: SignedInRequest,
    show: Literal["open", "directed", "mine", "all"] = "open",
    skill: str = "",
):
    return filter_requests(request.user, show, skill[:90]).prefetch_related("directed_to__profile")


@router.post("/requests", response={201: HelpRequestDetailOut}, summary="Ask for help")
def ask(request: SignedInRequest, payload: AskIn) -> Status:
    goal = None
    if payload.goal_id is not None:
        goal = (
            apps.get_model("learning.Goal")
            .objects.visible_to(request.user)
            .filter(pk=payload.goal_id)
            .first()
        )
        if goal is None:
            raise ActionError("Choose one of your own goals.", field="goal_id")
    with named_as_sent(community="community_id", goal="goal_id"):
        help_request = actions.do_ask(
            request.user,
            payload.title,
            payload.details,
            skills=payload.skills,
            directed_to=[
                colleague_named(request.user, h, "directed_to").user for h in payload.directed_to
            ],
            community=_community(request, payload.community_id),
            goal=goal,
        )
    return Status(201, _request(request, help_request.pk))


@router.get(
    "/requests/{help_request_id}", response=HelpRequestDetailOut, summary="A request for help"
)
def get_request(request: SignedInRequest, help_request_id: int) -> HelpRequest:
    return _request(request, help_request_id)


@router.post(
    "/requests/{help_request_id}/responses",
    response={201: ResponseOut},
    openapi_extra=documents(RespondIn),
    summary="Respond to a request",
)
def respond(request: SignedInRequest, help_request_id: int):
    help_request = help_request_for(request.user, help_request_id)
    payload = parse_body(request, RespondIn)
    return Status(201, actions.do_respond(request.user, help_request, payload.body))


@router.post(
    "/requests/responses/{response_id}/mark",
    response=ResponseOut,
    openapi_extra=documents(MarkIn),
    summary="Mark a response helpful and/or accepted (the asker)",
)
def mark_response(request: SignedInRequest, response_id: int) -> Response:
    response = response_for(request.user, response_id)
    payload = parse_body(request, MarkIn)
    return actions.do_mark_response(
        request.user, response, helpful=payload.helpful, accepted=payload.accepted
    )


@router.post(
    "/requests/{help_request_id}/resolve",
    response=HelpRequestDetailOut,
    openapi_extra=documents(ResolveIn),
    summary="Mark resolved, crediting the people who helped (the asker)",
)
def resolve(request: SignedInRequest, help_request_id: int) -> HelpRequest:
    help_request = help_request_for(request.user, help_request_id)
    payload = parse_body(request, ResolveIn)
    actions.do_resolve(request.user, help_request, _credits(request, payload.credits))
    return _request(request, help_request_id)


# Posts -------------------------------------------------------------------------------------------


@router.get("/posts", response=list[PostOut], summary="Know-how and lessons learned")
@paginate(BoundedPagination)
def list_posts(request: SignedInRequest, kind: Literal["know_how", "lesson", ""] = ""):
    posts = Post.objects.visible_to(request.user).select_related("author__profile")
    if kind:
        posts = posts.filter(kind=kind)
    return posts.prefetch_related("skills").order_by("-created_at", "-pk")


@router.post("/posts", response={201: PostDetailOut}, summary="Share know-how or a lesson")
def share_post(request: SignedInRequest, payload: PostIn) -> Status:
    data = payload.dict()
    community = _community(request, data.pop("community_id"))
    title, body = data.pop("title"), data.pop("body")
    with named_as_sent(community="community_id"):
        post = actions.do_share_post(request.user, title, body, community=community, **data)
    return Status(201, post_for(request.user, post.pk))


@router.get("/posts/{post_id}", response=PostDetailOut, summary="A post with its comments")
def get_post(request: SignedInRequest, post_id: int) -> Post:
    return post_for(request.user, post_id)


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut},
    openapi_extra=documents(CommentIn),
    summary="Comment on a post",
)
def comment(request: SignedInRequest, post_id: int):
    post = post_for(request.user, post_id)
    payload = parse_body(request, CommentIn)
    return Status(201, actions.do_comment(request.user, post, payload.body))


# Credits and thanks ------------------------------------------------------------------------------


def _target(request: SignedInRequest, target_type: str, target_id: int):
    """Return a creditable object the user may see, named like "exchange.post", or 404."""
    return credit_target_for(request.user, target_type, target_id)


def _credits_on(target) -> list[Credit]:
    return list(
        Credit.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        ).select_related("recipient__profile", "giver__profile")
    )


@router.get(
    "/credits/{target_type}/{target_id}",
    response=list[CreditOut],
    summary='Credits on a request, post, goal or session ("exchange.post", 12)',
)
def list_credits(request: SignedInRequest, target_type: str, target_id: int) -> list[Credit]:
    return _credits_on(_target(request, target_type, target_id))


@router.post(
    "/credits/{target_type}/{target_id}",
    response={201: list[CreditOut]},
    openapi_extra=documents(CreditsIn),
    summary="Credit the people who helped (the owner of the target)",
)
def give_credits(request: SignedInRequest, target_type: str, target_id: int):
    target = _target(request, target_type, target_id)
    payload = parse_body(request, CreditsIn)
    actions.do_credit(request.user, target, _credits(request, payload.credits))
    return Status(201, _credits_on(target))


@router.post("/thanks", response={201: ThanksOut}, summary="Send a colleague a thank-you note")
def thank(request: SignedInRequest, payload: ThanksIn):
    about: Post | Response | None = None
    kind, _, pk = payload.about.partition(":")
    if payload.about:
        try:
            if kind == "post" and pk.isdigit():
                about = post_for(request.user, int(pk))
            elif kind == "response" and pk.isdigit():
                about = response_for(request.user, int(pk))
            else:
                raise Http404
        except Http404:
            raise ActionError("No such post or response.", field="about") from None
    recipient = colleague_named(request.user, payload.recipient, "recipient").user
    return Status(201, actions.do_thank(request.user, recipient, payload.note, about=about))


@router.get("/thanks", response=list[ThanksOut], summary="Thank-you notes I received")
@paginate(BoundedPagination)
def list_thanks(request: SignedInRequest):
    return request.user.thanks_received.select_related("sender__profile", "recipient__profile")
