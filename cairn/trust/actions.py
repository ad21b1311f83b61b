"""Trust actions: queue a recompute when the engine's input changes, and recompute an
organisation.

Trust is derived from the ledger, so these change only derived rows (TrustProfile, TrustState)
and record no events of their own. The input changes with every trust event and with the
ledger events that record a decision about evidence (an overturned dispute, a correction, a
ring review), so disputes and safeguards never call trust: trust listens.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from cairn.errors import ActionError
from cairn.ledger.models import TRUST_KINDS, Event, Verb
from cairn.people.models import Organisation
from cairn.trust import adapter
from cairn.trust.models import TrustState
from cairn.trust.tasks import recompute_trust

log = logging.getLogger(__name__)

#: A burst of events within this many seconds causes one recompute.
DEBOUNCE_SECONDS = 2


def _state_locked(organisation_id: int) -> TrustState:
    TrustState.objects.get_or_create(organisation_id=organisation_id)
    return TrustState.objects.select_for_update().get(organisation_id=organisation_id)


def do_queue_recompute(
    organisation_id: int,
    event_id: int | None = None,
    change: str | None = None,
) -> bool:
    """Queue one pass over the organisation's trust unless one is already waiting.

    ``change`` notes a change of the engine's input under the same lock: ``"event"``, the trust
    event ``event_id`` (kept pending, for the pass to fold in incrementally), or ``"full"``,
    something only a full recompute takes in (a decision about evidence, an admin's request).
    Return whether a task was enqueued. The task runs after this transaction commits and, on a
    backend that can defer, a couple of seconds later so that a burst of events is one pass.
    """
    with transaction.atomic():
        state = _state_locked(organisation_id)
        changed: list[str] = []
        if change is not None:
            state.input_version += 1
            changed.append("input_version")
            if change == "event" and event_id is not None and not state.full_due:
                state.pending = [*state.pending, event_id]
                changed.append("pending")
            else:
                state.full_due, state.pending = True, []
                changed += ["full_due", "pending"]
            if len(state.pending) > adapter.MAX_PENDING:
                state.full_due, state.pending = True, []
                changed.append("full_due")
        queue = not state.queued
        if queue:
            state.queued = True
            changed.append("queued")
        if changed:
            state.save(update_fields=sorted(set(changed)))
        if not queue:
            return False
        task = recompute_trust
        if default_task_backend.supports_defer:
            task = task.using(run_after=timezone.now() + timedelta(seconds=DEBOUNCE_SECONDS))
        transaction.on_commit(lambda: _enqueue(task, organisation_id, event_id))
    return True


def _enqueue(task: Any, organisation_id: int, event_id: int | None) -> None:
    """Enqueue the task; if that fails, clear the flag so that the next event tries again (and
    never break the request whose transaction has already committed)."""
    try:
        task.enqueue(organisation_id, event_id)
    except Exception:
        log.exception("Could not enqueue a trust recompute of organisation %s", organisation_id)
        TrustState.objects.filter(organisation_id=organisation_id).update(queued=False)


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
