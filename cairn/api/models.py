"""What the API keeps between requests: the answers to requests sent with an Idempotency-Key."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

#: How long a stored answer is replayed; after that the same key starts afresh.
IDEMPOTENCY_TTL = timedelta(hours=24)


class IdempotentRequest(models.Model):
    """One write sent with an ``Idempotency-Key``, and the answer it got.

    ``status`` is None while the first request is still running. ``fingerprint`` is the SHA-256
    of the request body, so the same key sent with a different body is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="one_answer_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

    def has_expired(self, now=None) -> bool:  # noqa: ANN001
        """Return whether this answer is older than the replay window."""
        return (now or timezone.now()) - self.created_at >= IDEMPOTENCY_TTL
