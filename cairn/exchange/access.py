"""Permission-aware getters: anything a person may not see is a 404, never a leak. Each is one
lookup over a ``Model.objects.visible_to(user)`` query."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from cairn.exchange.models import CREDIT_TARGETS, HelpRequest, Post, Response
from cairn.people.models import Profile, User


def help_request_for(user: User, help_request_id: int) -> HelpRequest:
    """Return a request for help the user may see, or raise 404."""
    return get_object_or_404(
        HelpRequest.objects.visible_to(user).select_related("asker__profile", "community", "goal"),
        pk=help_request_id,
    )


def response_for(user: User, response_id: int) -> Response:
    """Return a response to a request the user may see, or raise 404."""
    return get_object_or_404(
        Response.objects.visible_to(user).select_related(
            "help_request__organisation", "responder__profile"
        ),
        pk=response_id,
    )


def post_for(user: User, post_id: int) -> Post:
    """Return a post the user may read, or raise 404."""
    return get_object_or_404(
        Post.objects.visible_to(user).select_related("author__profile", "community"), pk=post_id
    )


def credit_target_for(user: User, label: str, object_id: int) -> models.Model:
    """Return something credits can be given on ("app_label.model", as in
    :data:`CREDIT_TARGETS`) that the user may see, or raise 404."""
    if label not in CREDIT_TARGETS:
        raise Http404("No such thing.")
    return get_object_or_404(apps.get_model(label)._default_manager.visible_to(user), pk=object_id)


def credit_target_by_type_for(user: User, content_type_id: int, object_id: int) -> models.Model:
    """Return the credit target named by a content type id, as :func:`credit_target_for`."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404("No such thing.") from None
    return credit_target_for(user, f"{content_type.app_label}.{content_type.model}", object_id)


def requests_waiting_for(user: User, limit: int) -> list[HelpRequest]:
    """Return up to ``limit`` open requests the person could answer and has not: asked of them
    first, then those needing a skill they offer, newest first; each marked ``asked_of_me``."""
    asked_of_me = HelpRequest.directed_to.through.objects.filter(user_id=user.pk)
    # The few skills they offer, read first: as a subquery, PostgreSQL joined it back to
    # everyone who offers each skill, for every request tested.
    offered = Profile.offers.through.objects.filter(profile__user_id=user.pk)
    matches = HelpRequest.skills.through.objects.filter(
        helprequest_id=OuterRef("pk"), skill_id__in=list(offered.values_list("skill_id", flat=True))
    )
    answered = Response.objects.filter(help_request_id=OuterRef("pk"), responder_id=user.pk)
    waiting = (
        HelpRequest.objects.visible_to(user)
        .filter(status=HelpRequest.Status.OPEN)
        .exclude(asker_id=user.pk)
        .exclude(Exists(answered))
        .order_by("-created_at", "-pk")
    )
    # Two reads, each in index order: the few asked of them, then the newest open requests
    # until enough need their skills. One read ordered by "asked of me" first tested every
    # open request of the organisation (thousands) before it could sort. Each reads the rows
    # it shows, with their askers; the skills of all of them come in one more query.
    shown_rows = waiting.select_related("asker__profile")
    asked = list(shown_rows.filter(pk__in=asked_of_me.values("helprequest_id"))[:limit])
    for help_request in asked:
        help_request.asked_of_me = True  # type: ignore[attr-defined]
    skilled: list[HelpRequest] = []
    if len(asked) < limit:
        needing = shown_rows.filter(Exists(matches)).exclude(pk__in=[r.pk for r in asked])
        skilled = list(needing[: limit - len(asked)])
    for help_request in skilled:
        help_request.asked_of_me = False  # type: ignore[attr-defined]
    shown = asked + skilled
    prefetch_related_objects(shown, "skills")
    return shown


def responses_by_trust(help_request: HelpRequest) -> QuerySet[Response]:
    """Return a request's responses: accepted first, then helpful, then by the responder's
    earned trust (one join with their TrustProfile), oldest first among equals."""
    return help_request.responses.select_related("responder__profile").order_by(
        "-accepted",
        "-helpful",
        models.F("responder__trust_profile__trust").desc(nulls_last=True),
        "created_at",
        "pk",
    )
