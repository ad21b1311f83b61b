"""A copy of everything Cairn holds about a person, built by the worker and kept for 7 days."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from cairn.visibility import built_once_per_viewer

#: How long a finished copy can be downloaded before the periodic job deletes it.
KEPT_FOR = timedelta(days=7)


class DataExportQuerySet(models.QuerySet["DataExport"]):
    @built_once_per_viewer
    def visible_to(self, user: object) -> "DataExportQuerySet":
        """Return the copies ``user`` may see and download: those they asked for (a person
        their own; an admin a member's), in their organisation."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            requested_by_id=user.pk,  # type: ignore[attr-defined]
            organisation_id=user.organisation_id,  # type: ignore[attr-defined]
        )

    def expired(self, now: datetime | None = None) -> "DataExportQuerySet":
        """Return the copies whose 7 days are over (and failed ones as old)."""
        return self.filter(expires_at__lte=now or timezone.now())


def _in_a_week() -> datetime:
    return timezone.now() + KEPT_FOR


class DataExport(models.Model):
    """One request for a copy of a person's data, and the zip once the worker built it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be prepared"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_in_a_week, db_index=True)
    #: The zip itself: a few hundred kilobytes for a very active person; gone after 7 days.
    archive = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Data export #{self.pk} ({self.status})"

    def headline(self) -> str:
        """Return what a sentence about it names: nothing more, its sentence says what it is."""
        return ""

    def is_downloadable(self, now: datetime | None = None) -> bool:
        """Return whether the zip is ready and its 7 days are not over."""
        return self.status == self.Status.READY and (now or timezone.now()) < self.expires_at

    def filename(self) -> str:
        """Return the name the zip is downloaded under."""
        return f"cairn-data-{self.created_at:%Y-%m-%d}-{self.pk}.zip"
