"""Where an organisation's activity goes outside Cairn: signed webhooks, and chat channels of
communities (Slack or Teams incoming webhooks), with the log of every delivery.

Like the LRS connection, an endpoint reads what to send from the ledger instead of copying it
into an outbox: it keeps the id of the last ledger event it has dealt with
(``sent_through_event_id``) and sends the events after it in order. A failure leaves the mark
where it was, so nothing is lost while the other end is down, and the message id derived from
the ledger event lets the receiver drop a repeat.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cairn.moderation.models import facilitated_by
from cairn.outbound import Attempt, Destination
from cairn.visibility import built_once_per_viewer

#: An endpoint failing for this long without a success is switched off and its admins told.
SWITCH_OFF_AFTER = timedelta(days=1)


class EndpointQuerySet(models.QuerySet["Endpoint"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "EndpointQuerySet":
        """Return the endpoints ``user`` may see and change: all of their organisation's if they
        administer it; otherwise the chat channels of the communities they facilitate."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        mine = self.filter(organisation_id=user.organisation_id)
        if user.is_org_admin:
            return mine
        facilitated = facilitated_by(user)
        return mine.filter(community_id__in=facilitated) if facilitated else self.none()


class Endpoint(Destination):
    """A URL that hears of the organisation's activity: a webhook, or a community's channel."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Signed JSON (Standard Webhooks)"
        SLACK = "slack", "Slack incoming webhook"
        TEAMS = "teams", "Microsoft Teams incoming webhook (Workflows)"

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    #: Set for a community's chat channel; empty for an organisation's webhook.
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_channels",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WEBHOOK)
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    #: Ledger verbs to send (see ``cairn.webhooks.payloads.EVENT_TYPES``).
    event_types = models.JSONField(default=list)
    #: A channel also hears of requests for help and posts tagged with one of these skills.
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="+")
    #: The signing secret (``whsec_…``) of a webhook; chat channels have none.
    secret = models.CharField(max_length=100, blank=True)
    switched_off_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(community__isnull=False),
                name="webhooks_one_channel_per_community",
            )
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    def is_channel(self) -> bool:
        """Return whether this is a community's chat channel (not a signed webhook)."""
        return self.community_id is not None

    def shown_url(self) -> str:
        """Return the address as pages show it: a chat channel's host only, since the rest of
        an incoming-webhook address is its secret."""
        if not self.is_channel():
            return self.url
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/…"

    def should_switch_off(self, now=None) -> bool:
        """Return whether it has failed, without a success, for longer than a day."""
        now = now or timezone.now()
        return self.failing_since is not None and now - self.failing_since >= SWITCH_OFF_AFTER


class Delivery(Attempt):
    """One message sent (or tried) to an endpoint: an event, or a test."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    #: The ledger event sent; empty for a test message.
    event_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(max_length=80)
    event_type = models.CharField(max_length=40)

    class Meta(Attempt.Meta):
        indexes = [models.Index(fields=["endpoint", "-created_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.status} {self.message_id}"
