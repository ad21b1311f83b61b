"""Switching a moment of one's journey between private and shared."""

from django.db import transaction

from cairn.errors import ActionError
from cairn.journey.models import SharedMoment
from cairn.journey.timeline import own_event_for
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User


def do_share_moment(owner: User, event_id: int, shared: bool) -> bool:
    """Show a moment of ``owner``'s journey to colleagues, or take it back; switching to the
    same state again changes nothing. Return whether it is now shared."""
    event = own_event_for(owner, event_id)
    if event is None:
        raise ActionError("That is not a moment of your journey.", status=404)
    with transaction.atomic():
        existing = SharedMoment.objects.filter(owner=owner, event=event)
        if shared == existing.exists():
            return shared
        if shared:
            SharedMoment.objects.create(owner=owner, event=event)
        else:
            existing.delete()
        record(
            Verb.JOURNEY_SHARED,
            actor=owner,
            value=1.0 if shared else 0.0,
            context={"event": event.pk},
        )
    return shared
