"""Permission-aware getters: anything a person may not see is a 404, never a leak."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from cairn.communities.access import community_ids_of
from cairn.exchange.actions import CREDIT_TARGETS
from cairn.exchange.models import HelpRequest, Post, Response
from cairn.people.models import User
from cairn.visibility import can_see


def _community_rule(user: User, owner_field: str) -> Q:
    """Return the rule for things that may sit in a community: none, open, or one I am in."""
    return (
        Q(community__isnull=True)
        | Q(community__policy="open")
        | Q(community_id__in=community_ids_of(user))
        | Q(**{owner_field: user.pk})
    )


def visible_requests(user: User) -> QuerySet[HelpRequest]:
    """Return the requests for help the user may see."""
    if not user.is_authenticated or user.organisation_id is None:
        return HelpRequest.objects.none()
    directed = HelpRequest.directed_to.through.objects.filter(user_id=user.pk).values(
        "helprequest_id"
    )
    return HelpRequest.objects.filter(organisation_id=user.organisation_id).filter(
        _community_rule(user, "asker_id") | Q(pk__in=directed)
    )


def help_request_for(user: User, help_request_id: int) -> HelpRequest:
    """Return a request for help the user may see, or raise 404."""
    found = (
        visible_requests(user)
        .select_related("asker__profile", "community", "goal")
        .filter(pk=help_request_id)
        .first()
    )
    if found is None:
        raise Http404("No such request.")
    return found


def response_for(user: User, response_id: int) -> Response:
    """Return a response to a request the user may see, or raise 404."""
    found = (
        Response.objects.select_related("help_request__organisation", "responder__profile")
        .filter(pk=response_id, help_request__in=visible_requests(user))
        .first()
    )
    if found is None:
        raise Http404("No such response.")
    return found


def visible_posts(user: User) -> QuerySet[Post]:
    """Return the posts the user may read."""
    if not user.is_authenticated or user.organisation_id is None:
        return Post.objects.none()
    return Post.objects.filter(organisation_id=user.organisation_id).filter(
        _community_rule(user, "author_id")
    )


def post_for(user: User, post_id: int) -> Post:
    """Return a post the user may read, or raise 404."""
    found = (
        visible_posts(user)
        .select_related("author__profile", "community")
        .filter(pk=post_id)
        .first()
    )
    if found is None:
        raise Http404("No such post.")
    return found


def credit_target_for(user: User, content_type_id: int, object_id: int) -> models.Model:
    """Return something credits can be given on that the user may see, or raise 404."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404("No such thing.") from None
    label = f"{content_type.app_label}.{content_type.model}"
    if label not in CREDIT_TARGETS or not user.is_authenticated:
        raise Http404("No such thing.")
    model = apps.get_model(label)
    target = model._default_manager.filter(pk=object_id).first()
    if target is None or not can_see(user, target):
        raise Http404("No such thing.")
    return target


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
