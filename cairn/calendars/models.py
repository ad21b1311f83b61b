"""A person's calendar subscription: a secret feed URL that calendar apps poll."""

from django.conf import settings
from django.db import models

from cairn.people.models import HashedKey


class CalendarFeed(HashedKey):
    """The secret key of one person's calendar feed; only its hash is stored.

    One feed per person: making a new one replaces the old, whose URL stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    last_polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}…"
