"""An organisation's Learning Record Store, and the log of what was sent to it.

What to send is read from the ledger, not copied into an outbox: the connection keeps the id of
the last ledger event the LRS has acknowledged (``sent_through_event_id``). Every send picks up
from there, so nothing is lost while the LRS is down, and statement ids derived from the ledger
events make a repeated send a no-op at the LRS.
"""

from django.db import models
from django.utils import timezone

from cairn.outbound import Attempt, Destination


class LrsConnection(Destination):
    """Where and how an organisation's learning records go."""

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="lrs_connection"
    )
    endpoint = models.URLField(max_length=300, help_text="The LRS's xAPI base URL.")
    key = models.CharField(max_length=200)
    secret = models.CharField(max_length=200)
    send_commitments = models.BooleanField(
        default=False, help_text="Also send commitments kept and missed."
    )
    identify_by_email = models.BooleanField(
        default=False, help_text="Name people by email instead of an opaque account id."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"LRS of {self.organisation_id}: {self.endpoint}"


class Delivery(Attempt):
    """One batch of statements sent (or tried) to an LRS."""

    connection = models.ForeignKey(
        LrsConnection, on_delete=models.CASCADE, related_name="deliveries"
    )
    statements = models.PositiveIntegerField()
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()

    class Meta(Attempt.Meta):
        indexes = [models.Index(fields=["connection", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.status} {self.statements} statements"
