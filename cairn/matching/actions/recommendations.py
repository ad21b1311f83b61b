"""Keeping the recommendation indexes current: a change to what they are built from queues a
build (debounced: a burst of changes is one build), and a page that finds none asks for one.

The indexes are derived rows, so these record no events of their own: matching listens to the
ledger, as trust does.
"""

import logging
from typing import Any

from cairn.checks import organisation_id_of
from cairn.ledger.models import Event, Verb
from cairn.matching.tasks import queue_build
from cairn.people.models import User

log = logging.getLogger(__name__)

#: Events that change what the indexes are built from: who is there and what their profile
#: says, free mentoring slots and the open communities. Trust events change trust and the
#: ledger's evidence: the build follows the trust pass they cause (`on_trust_stored`), so that
#: it reads the new figures.
INDEX_INPUTS = {
    Verb.JOINED,
    Verb.PROFILE_UPDATED,
    Verb.ROLE_CHANGED,
    Verb.ACCOUNT_ERASED,
    Verb.MENTORING_ACCEPTED,
    Verb.MEMBER_ADDED,
    Verb.RELATIONSHIP_COMPLETED,
    Verb.RELATIONSHIP_CLOSED,
    Verb.PROGRAM_PUBLISHED,
    Verb.COMMUNITY_CREATED,
    Verb.COMMUNITY_UPDATED,
    Verb.COMMUNITY_ARCHIVED,
}


def do_prepare_recommendations(user: User) -> bool:
    """Queue a build of the indexes of ``user``'s organisation unless one is waiting (a page
    found none usable). Return whether one was queued."""
    return queue_build(organisation_id_of(user), change=False)


def on_event_committed(sender: Any, event: Event, **kwargs: Any) -> None:
    """Listener on ``event_committed``: an event that changes what the indexes are built from
    queues a build; never breaks the action that recorded it."""
    if event.verb not in INDEX_INPUTS or event.organisation_id is None:
        return
    try:
        queue_build(event.organisation_id)
    except Exception:
        log.exception("Could not queue a recommendation build for event %s", event.pk)


def on_trust_stored(sender: Any, organisation_id: int, **kwargs: Any) -> None:
    """Listener on trust's ``trust_stored``: new trust figures (and the evidence behind them)
    queue a build."""
    try:
        queue_build(organisation_id)
    except Exception:
        log.exception("Could not queue a recommendation build after trust of %s", organisation_id)
