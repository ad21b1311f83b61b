"""Flags members raise on what colleagues wrote, and the moderation of each flagged thing.

One :class:`ModeratedItem` per flagged post, comment, request, response, thread or resource
(named like the ledger names objects: ``"exchange.post"`` and its id, so no app's model is
imported here); its :class:`Flag` rows say who flagged it and why. ``hidden`` is what every
model's ``visible_to`` reads (see :mod:`cairn.moderation.rules`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cairn.visibility import built_once_per_viewer

#: What can be flagged, as ``"app_label.modelname"``, with the word a person reads.
FLAGGABLE = {
    "exchange.post": "post",
    "exchange.comment": "comment",
    "exchange.helprequest": "request for help",
    "exchange.response": "response",
    "communities.thread": "discussion",
    "communities.resource": "resource",
}


def facilitated_by(user) -> tuple[int, ...]:
    """Return the ids of the communities ``user`` facilitates now (read once per user object,
    see :meth:`cairn.communities.models.CommunityQuerySet.access_of`)."""
    from django.apps import apps

    community = apps.get_model("communities", "Community")  # its models apply these rules
    return community.objects.access_of(user).facilitated


class ModeratedItemQuerySet(models.QuerySet["ModeratedItem"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ModeratedItemQuerySet":
        """Return the items ``user`` moderates: all of the organisation's for its admins, those
        in the communities they facilitate for facilitators, none for anyone else."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        mine = self.filter(organisation_id=user.organisation_id)
        if getattr(user, "is_org_admin", False):
            return mine
        facilitated = facilitated_by(user)
        return mine.filter(community_id__in=facilitated) if facilitated else self.none()

    def waiting(self) -> "ModeratedItemQuerySet":
        """Return the items waiting for a moderator's decision."""
        return self.filter(status=ModeratedItem.Status.WAITING)


class ModeratedItem(models.Model):
    """Something colleagues flagged: waiting for review, or reviewed; hidden or not."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        REVIEWED = "reviewed", "Reviewed"

    class Decision(models.TextChoices):
        NONE = "", "None yet"
        HIDDEN = "hidden", "Hidden"
        RESTORED = "restored", "Restored"
        REDACTED = "redacted", "Private information edited out"
        DISMISSED = "dismissed", "Flags dismissed"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    target_type = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_items"
    )
    #: The community the item sits in, whose facilitators moderate it (None: admins only).
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    hidden = models.BooleanField(default=False)
    #: Hidden by flags from trusted members, before any moderator looked.
    hidden_by_flags = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The ledger event that hid it (what the author appeals through a dispute).
    hidden_event = models.ForeignKey(
        "ledger.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    flagged_at = models.DateTimeField(default=timezone.now)

    objects = ModeratedItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="moderated_once")
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "flagged_at"]),
            models.Index(
                fields=["target_type", "target_id"],
                condition=Q(hidden=True),
                name="moderated_hidden",
            ),
        ]
        ordering = ["-flagged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind()} {self.target_id}"

    def get_absolute_url(self) -> str:
        return reverse("moderation_item", args=[self.pk])

    def kind(self) -> str:
        """Return what was flagged, in a word ("post", "comment" …)."""
        return FLAGGABLE.get(self.target_type, "item")

    def is_waiting(self) -> bool:
        """Return whether a moderator still has to decide."""
        return self.status == self.Status.WAITING


class FlagQuerySet(models.QuerySet["Flag"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "FlagQuerySet":
        """Return the flags ``user`` may see: their own, and those on items they moderate."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(
            Q(flagger_id=user.pk) | Q(item__in=ModeratedItem.objects.visible_to(user))
        )


class Flag(models.Model):
    """One member's flag on one item: why, how much it weighs, and how it was judged."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        INAPPROPRIATE = "inappropriate", "Inappropriate or unkind"
        OFF_TOPIC = "off_topic", "Off-topic here"
        PRIVATE = "private", "Private information"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

    class Suspicion(models.TextChoices):
        NONE = "", "None"
        SERIAL = "serial", "one of many flags from one person on one colleague's work"
        BURST = "burst", "one of a burst of flags from one person"
        RING = "ring", "from a group of accounts that praise each other and flagged together"

    item = models.ForeignKey(ModeratedItem, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    #: The flagger's flag weight when they flagged (cairn.privileges.access.flag_weight).
    weight = models.FloatField(default=1.0)
    #: Whether the flagger held the "flag to hide" privilege when they flagged.
    can_hide = models.BooleanField(default=False)
    #: Why this flag looks like abuse and so never hides anything ("" when it does not).
    suspicion = models.CharField(max_length=10, choices=Suspicion.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "flagger"], name="flag_once_per_person")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} flag on {self.item}"

    def counts_towards_hiding(self) -> bool:
        """Return whether this flag adds its weight towards hiding the item at once."""
        return self.status == self.Status.OPEN and self.can_hide and not self.suspicion
