"""Which moments of a person's learning journey they chose to show their colleagues."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class SharedMomentQuerySet(models.QuerySet["SharedMoment"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "SharedMomentQuerySet":
        """Return the shared moments of ``user``'s organisation (the switch itself is public to
        colleagues; what each moment shows is still filtered by its object's own rule)."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(owner__organisation_id=user.organisation_id)


class SharedMoment(models.Model):
    """One ledger event of ``owner``'s journey that they switched to "shared"; private is the
    default, so a moment without a row stays the owner's own."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_moments"
    )
    event = models.ForeignKey("ledger.Event", on_delete=models.CASCADE, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    objects = SharedMomentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "event"], name="moment_shared_once")
        ]

    def __str__(self) -> str:
        return f"Moment {self.event_id} of {self.owner_id}"
