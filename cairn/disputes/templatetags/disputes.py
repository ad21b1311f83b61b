"""Template tags of the disputes app."""

from django import template

from cairn.disputes.models import Dispute
from cairn.ledger.models import Verb

register = template.Library()


@register.simple_tag
def dispute_of_commitment(commitment: object) -> Dispute | None:
    """Return the dispute of a commitment's "missed" event, if any (one query)."""
    return (
        Dispute.objects.filter(
            event__verb=Verb.MISSED,
            event__object_type="commitments.commitment",
            event__object_id=str(getattr(commitment, "pk", "")),
        )
        .order_by("-pk")
        .first()
    )
