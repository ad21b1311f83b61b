"""Requests for help and their responses, posts (know-how and lessons learned) with comments,
credits and thanks."""

from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cairn.communities.models import Community
from cairn.moderation.rules import shown_to
from cairn.visibility import built_once_per_viewer

#: What credits can be given on: "app_label.model".
CREDIT_TARGETS = ("exchange.helprequest", "exchange.post", "learning.goal", "learning.session")


def _in_an_organisation(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.organisation_id is not None


def _community_rule(user, owner_field: str) -> Q | None:
    """Return the rule for things of the organisation that may sit in a community: in none, in
    one the user may read, or their own; None where the user may read every community."""
    closed = Community.objects.access_of(user).closed
    if not closed:
        return None
    return ~Q(community_id__in=closed) | Q(**{owner_field: user.pk})


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "HelpRequestQuerySet":
        """Return the requests for help ``user`` may see (see :class:`HelpRequest`)."""
        if not _in_an_organisation(user):
            return self.none()
        conditions: list[Any] = [shown_to(user, "exchange.helprequest", "asker_id", "community_id")]
        in_community = _community_rule(user, "asker_id")
        if in_community is not None:
            directed = HelpRequest.directed_to.through.objects.filter(
                helprequest_id=OuterRef("pk"), user_id=user.pk
            )
            conditions.append(in_community | Exists(directed))
        return self.filter(*conditions, organisation_id=user.organisation_id)


class ResponseQuerySet(models.QuerySet["Response"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ResponseQuerySet":
        """Return the responses to requests ``user`` may see, unless hidden from them."""
        return self.filter(help_request__in=HelpRequest.objects.visible_to(user)).filter(
            shown_to(user, "exchange.response", "responder_id", "help_request__community_id")
        )


class PostQuerySet(models.QuerySet["Post"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "PostQuerySet":
        """Return the posts ``user`` may read: the organisation's, or a community's readers;
        not those moderators hid (see :mod:`cairn.moderation.rules`)."""
        if not _in_an_organisation(user):
            return self.none()
        conditions = [shown_to(user, "exchange.post", "author_id", "community_id")]
        in_community = _community_rule(user, "author_id")
        if in_community is not None:
            conditions.append(in_community)
        return self.filter(*conditions, organisation_id=user.organisation_id)


class CommentQuerySet(models.QuerySet["Comment"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CommentQuerySet":
        """Return the comments on posts ``user`` may read, unless hidden from them."""
        return self.filter(post__in=Post.objects.visible_to(user)).filter(
            shown_to(user, "exchange.comment", "author_id", "post__community_id")
        )


class CreditQuerySet(models.QuerySet["Credit"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CreditQuerySet":
        """Return the credits ``user`` may see: whoever may see what each is on."""
        if not _in_an_organisation(user):
            return self.none()
        on_visible = Q(pk__in=[])
        for label in CREDIT_TARGETS:
            model = apps.get_model(label)
            # Tested credit by credit (a lookup of the one target), not against every target
            # the user may see: that set is the whole organisation's requests and posts.
            target = model._default_manager.visible_to(user).filter(pk=OuterRef("object_id"))
            on_visible |= Q(Exists(target), content_type=ContentType.objects.get_for_model(model))
        return self.filter(organisation_id=user.organisation_id).filter(on_visible)


class ThanksQuerySet(models.QuerySet["Thanks"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ThanksQuerySet":
        """Return the thank-you notes ``user`` may read: those they sent or received."""
        if not _in_an_organisation(user):
            return self.none()
        return self.filter(organisation_id=user.organisation_id).filter(
            Q(sender_id=user.pk) | Q(recipient_id=user.pk)
        )


class HelpRequest(models.Model):
    """Someone asking colleagues for help, optionally of particular people or a community.

    Visible to the whole organisation, unless it was asked in an approval-only community: then to
    that community's members, the asker and the people it was directed at.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests"
    )
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=8000)
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="help_requests")
    directed_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="help_requests_directed"
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    goal = models.ForeignKey(
        "learning.Goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    #: When the directed people who never answered were recorded as ``unanswered`` (once).
    expiry_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("help_request", args=[self.pk])

    def is_open(self) -> bool:
        """Return whether the request still waits for help."""
        return self.status == self.Status.OPEN

    def time_to_first_response(self) -> timedelta | None:
        """Return how long the first response took, or None while no one has responded."""
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.created_at

    def hours_to_first_response(self) -> float | None:
        """Return the time to the first response in hours, or None."""
        waited = self.time_to_first_response()
        return None if waited is None else waited.total_seconds() / 3600

    def expires_at(self) -> datetime:
        """Return when unanswered directed people are recorded as not having answered."""
        return self.created_at + timedelta(days=settings.CAIRN_REQUEST_EXPIRY_DAYS)

    def was_open_at(self, moment: datetime) -> bool:
        """Return whether the request was still waiting for help at ``moment``."""
        return self.resolved_at is None or self.resolved_at > moment

    def credit_owner_ids(self) -> set[int]:
        """Return who may credit contributors on this request: the asker."""
        return {self.asker_id}


class Response(models.Model):
    """An answer to a request for help; the asker may mark it helpful or accepted."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="responses"
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_responses"
    )
    body = models.TextField(max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)
    helpful = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    marked_at = models.DateTimeField(null=True, blank=True)
    #: When ``helped`` was recorded for this response (once, the first time it was marked).
    helped_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.help_request_id}"

    def get_absolute_url(self) -> str:
        return f"{self.help_request.get_absolute_url()}#response-{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: the request it answers."""
        return self.help_request.title

    @property
    def organisation(self):
        return self.help_request.organisation

    @property
    def organisation_id(self) -> int:
        return self.help_request.organisation_id

    def was_valued(self) -> bool:
        """Return whether the asker marked this response helpful or accepted."""
        return self.helpful or self.accepted

    def feedback_parties(self) -> set[int]:
        """Return who may give each other feedback on it: asker and responder, once accepted."""
        if not self.accepted:
            return set()
        return {self.help_request.asker_id, self.responder_id}


class Post(models.Model):
    """Know-how someone shared, or a lesson learned: what went wrong and what they learned."""

    class Kind(models.TextChoices):
        KNOW_HOW = "know_how", "Know-how"
        LESSON = "lesson", "Lesson learned"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.KNOW_HOW)
    title = models.CharField(max_length=200)
    #: Know-how: the post. A lesson: what happened, what went wrong.
    body = models.TextField(max_length=20000)
    #: A lesson: what I learned, and what I would do differently.
    learned = models.TextField(blank=True, max_length=20000)
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.pk])

    def is_lesson(self) -> bool:
        """Return whether this is a lesson learned."""
        return self.kind == self.Kind.LESSON

    def credit_owner_ids(self) -> set[int]:
        """Return who may credit contributors on this post: its author."""
        return {self.author_id}


class Comment(models.Model):
    """A comment on a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_comments"
    )
    body = models.TextField(max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: the post it is on."""
        return self.post.title


class Credit(models.Model):
    """Credit given, on something closed or published, to a person whose contribution helped.

    The target is generic (a request, a post, a goal, a session), so no app imports another.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credits_given"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credits_received"
    )
    line = models.CharField(max_length=300, help_text="What they gave.")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CreditQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "recipient"], name="credit_once_per_target"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Credit to {self.recipient_id}: {self.line}"

    def get_absolute_url(self) -> str:
        return reverse("credit", args=[self.content_type_id, self.object_id])

    def headline(self) -> str:
        """Return what a sentence about it names: what the person gave."""
        return self.line


class Thanks(models.Model):
    """A thank-you note from one colleague to another, perhaps about a response or a post."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    note = models.CharField(max_length=1000)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThanksQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "thanks"

    def __str__(self) -> str:
        return f"Thanks {self.sender_id} → {self.recipient_id}"

    def get_absolute_url(self) -> str:
        return reverse("thanks_received")

    def headline(self) -> str:
        """Return what a sentence about it names: the note (only its two people see it)."""
        return self.note
