"""Trust actions: queue a recompute when the engine's input changes, and recompute an
organisation.

Trust is derived from the ledger, so these change only derived rows (TrustProfile, TrustState)
and record no events of their own. The input changes with every trust event and with the
ledger events that record a decision about evidence (an overturned dispute, a correction, a
ring review), so disputes and safeguards never call trust: trust listens.
"""

from __future__ import annotations

import logging
from typing import Any

from cairn.errors import ActionError
from cairn.ledger.models import TRUST_KINDS, Event, Verb
from cairn.people.models import Organisation
from cairn.trust import adapter
from cairn.trust.tasks import queue_pass

log = logging.getLogger(__name__)


def do_queue_recompute(
    organisation_id: int,
    event_id: int | None = None,
    change: str | None = None,
) -> bool:
    """Note a change of the engine's input and queue one pass over the organisation's trust
    unless one is already waiting (see :func:`cairn.trust.tasks.queue_pass`). Return whether a
    task was enqueued."""
    return queue_pass(organisation_id, event_id, change)


def check_recompute(slug: str) -> Organisation:
    """Return the organisation with this slug, or refuse."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ActionError(f"There is no organisation {slug!r}.", field="org", status=404)
    return organisation


def do_recompute(slug: str, progress=None) -> dict[str, Any]:
    """Recompute the trust of everyone in the organisation now (a full pass). Return a summary."""
    organisation = check_recompute(slug)
    return adapter.recompute_organisation(organisation, progress=progress)


#: Decisions about evidence that change what the engine reads (hidden content leaves it).
EVIDENCE_DECISIONS = frozenset(
    {Verb.EVIDENCE_CORRECTED, Verb.RING_REVIEWED, Verb.CONTENT_HIDDEN, Verb.CONTENT_RESTORED}
)
#: Moderation decisions that change the engine's input only when they show hidden content again.
UNHIDING = frozenset({Verb.FLAGS_DISMISSED, Verb.CONTENT_REDACTED})


def changes_trust_input(event: Event) -> bool:
    """Return whether the event changes the trust engine's input."""
    if event.verb == Verb.DISPUTE_RESOLVED:
        return event.context.get("outcome") == "overturned"
    if event.verb in UNHIDING:
        return bool(event.context.get("was_hidden"))
    return event.verb in TRUST_KINDS or event.verb in EVIDENCE_DECISIONS


def on_event_committed(sender: Any, event: Event, **kwargs: Any) -> None:
    """Listener on ``event_committed``: an event that changes the engine's input marks the
    stored trust behind and queues a pass (a trust event to fold in, a decision about evidence
    to recompute for); never breaks the action that recorded it."""
    if not changes_trust_input(event):
        return
    change = "event" if event.verb in TRUST_KINDS else "full"
    try:
        do_queue_recompute(event.organisation_id, event.pk, change=change)
    except Exception:
        log.exception("Could not queue a trust recompute for event %s", event.pk)


def check_request_recompute(user: Any) -> None:
    """Refuse anyone but an organisation admin."""
    if not getattr(user, "is_org_admin", False):
        raise ActionError("Only organisation admins can ask for a recompute.", status=403)


def do_request_recompute(user: Any) -> bool:
    """An admin asks for a fresh pass over their organisation. Return whether one was queued
    (False: one is already waiting, which will do)."""
    check_request_recompute(user)
    return do_queue_recompute(user.organisation_id, change="full")
