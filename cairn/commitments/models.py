"""Commitments one colleague makes to another, and how they were followed through."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CommitmentQuerySet":
        """Return the commitments ``user`` may see: only those binding them, either side."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id).filter(
            Q(committer_id=user.pk) | Q(counterpart_id=user.pk)
        )


class Commitment(models.Model):
    """ "I'll review your draft by Friday": a promise by the committer to the counterpart."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    committer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments_made"
    )
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments_owed"
    )
    text = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    # Where it was made: a relationship, a request, a community… (optional).
    context_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context_id = models.CharField(max_length=40, blank=True)
    context = GenericForeignKey("context_type", "context_id")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.CharField(max_length=300, blank=True)
    # Reminder stamps (reset when the date is renegotiated), so reminders go out once each.
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    confirm_asked_at = models.DateTimeField(null=True, blank=True)
    asked_again_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submission cannot open the same promise twice.
            models.UniqueConstraint(
                fields=["committer", "counterpart", "text", "due_at"],
                condition=models.Q(status="open"),
                name="commitment_unique_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(committer=models.F("counterpart")),
                name="commitment_not_to_self",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("commitment", args=[self.pk])

    def is_open(self) -> bool:
        """Return whether the commitment still waits to be kept, missed or cancelled."""
        return self.status == self.Status.OPEN

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Return whether the due time has passed and nobody has confirmed the outcome yet."""
        return self.is_open() and (now or timezone.now()) >= self.due_at

    def can_renegotiate(self, now: datetime | None = None) -> bool:
        """Return whether the committer may still move the date (before it is due)."""
        return self.is_open() and (now or timezone.now()) < self.due_at

    def can_confirm_missed(self, now: datetime | None = None) -> bool:
        """Return whether the counterpart may call it missed (only once it is due)."""
        return self.is_overdue(now)

    def grace_ends_at(self) -> datetime:
        """Return when an unconfirmed commitment is asked about again."""
        return self.due_at + timedelta(days=settings.CAIRN_COMMITMENT_GRACE_DAYS)

    def is_awaiting_confirmation(self, now: datetime | None = None) -> bool:
        """Return whether it is past the grace period and the counterpart has still not said."""
        return self.is_open() and (now or timezone.now()) >= self.grace_ends_at()


class Renegotiation(models.Model):
    """One honest change of date, made before the commitment was due."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="renegotiations"
    )
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_due_at:%Y-%m-%d} → {self.new_due_at:%Y-%m-%d}: {self.reason}"
