"""What the safeguards corrected, and the rings they flagged for admins to review."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class CorrectionQuerySet(models.QuerySet["Correction"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CorrectionQuerySet":  # noqa: ANN001
        """Return the corrections ``user`` may see: of evidence they gave or received."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id).filter(
            models.Q(actor_id=user.pk) | models.Q(subject_id=user.pk)
        )


class Correction(models.Model):
    """Evidence that stopped counting in trust: which events, between whom, and why."""

    class Reason(models.TextChoices):
        SERIAL = "serial", "many from the same person to the same person in a short time"
        BURST = "burst", "a burst of praise from one person in a short time"
        RING = "ring", "a ring of accounts praising each other, with little evidence from others"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="corrections_made"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections_received",
    )
    verb = models.CharField(max_length=32)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)
    ring = models.ForeignKey("RingFlag", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.summary()} no longer count"

    def get_absolute_url(self) -> str:
        return reverse("corrections")

    def summary(self) -> str:
        """Return what was corrected, in plain words."""
        what = {"thanked": "thanks", "credited": "credits", "rated": "ratings"}
        return f"{self.count} {what.get(self.verb, self.verb)}"


class CorrectedEvent(models.Model):
    """One ledger event that no longer counts in trust (each event at most once)."""

    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="events")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    event = models.OneToOneField("ledger.Event", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"event {self.event_id} corrected by {self.correction_id}"


class RingFlagQuerySet(models.QuerySet["RingFlag"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "RingFlagQuerySet":  # noqa: ANN001
        """Return the ring flags ``user`` may see and review: their organisation's, for admins."""
        if not getattr(user, "is_authenticated", False) or user.role != "admin":
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class RingFlag(models.Model):
    """A suspected ring of accounts praising each other, for the organisation's admins."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        DISMISSED = "dismissed", "dismissed"
        CONFIRMED = "confirmed", "confirmed"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    #: The sorted member ids, "3,5,9": the same ring is flagged once.
    key = models.CharField(max_length=400)
    evidence = models.TextField()
    internal_events = models.PositiveIntegerField(default=0)
    outside_events = models.PositiveIntegerField(default=0)
    #: Distinct people outside the ring who praised a member.
    outsiders = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RingFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="one_flag_per_ring")
        ]

    def __str__(self) -> str:
        return f"a suspected ring of {len(self.key.split(','))} accounts"

    def get_absolute_url(self) -> str:
        return reverse("ring", args=[self.pk])

    def is_open(self) -> bool:
        """Return whether the flag still waits for an admin's review."""
        return self.status == self.Status.OPEN

    def insularity(self) -> float:
        """Return the share of the members' praise that comes from inside the ring."""
        total = self.internal_events + self.outside_events
        return self.internal_events / total if total else 0.0
