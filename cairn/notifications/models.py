"""In-app notifications, follows between colleagues, email preferences and sent digests."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class Category(models.TextChoices):
    """The kinds of notification a person can choose to receive by email."""

    COMMITMENTS = "commitments", "Commitments made to me or by me"
    MENTORING = "mentoring", "Mentoring, partnerships, sessions and goals"
    REQUESTS = "requests", "Requests for help, posts and comments"
    COMMUNITIES = "communities", "Communities I belong to"
    PEOPLE = "people", "Thanks, credits, feedback and new followers"


class NotificationQuerySet(models.QuerySet["Notification"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "NotificationQuerySet":
        """Return the notifications ``user`` may see: their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)


class Notification(models.Model):
    """Something a person should hear about: an event that concerns them, or a reminder."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # No database constraint: the ledger erases a person's events with a raw delete.
    event = models.ForeignKey(
        "ledger.Event",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    #: What makes this notification unique for its recipient, e.g. "event:12" or
    #: "commitment:3:overdue:2026-11-20T17:00"; a second delivery of the same thing is ignored.
    key = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text

    def is_unread(self) -> bool:
        """Return whether the recipient has not read this notification yet."""
        return self.read_at is None


class Follow(models.Model):
    """One colleague follows another: their activity shows in the follower's home feed."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followed_id}"


class Digest(models.TextChoices):
    NEVER = "never", "No digest"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"


def _all_categories() -> list[str]:
    return list(Category.values)


class EmailSettings(models.Model):
    """How a person wants to hear about notifications by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_settings"
    )
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.WEEKLY)
    categories = models.JSONField(default=_all_categories, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"

    def wants(self, category: str) -> bool:
        """Return whether notifications of this category go into the email digest."""
        return self.digest != Digest.NEVER and category in self.categories


class SentDigest(models.Model):
    """One digest email sent to one person for one period; makes send_digests idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Digest.choices)
    #: The period reported on: "2026-11-25" (daily) or "2026-W47" (weekly).
    period_key = models.CharField(max_length=12)
    sent_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_key"], name="digest_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.period} {self.period_key}"
