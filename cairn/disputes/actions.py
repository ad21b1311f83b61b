"""Every change to a dispute goes through these functions, each recording its ledger event.

Opening: the person the evidence is about contests it once, with a reason. Reviewing: the
counterpart who gave the evidence (for a commitment marked missed) or an organisation admin
upholds or overturns it, with a reason. An overturned item stops counting towards trust: the
``dispute_resolved`` event is the record trust reads (``Event.objects.overturned_ids()``).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import organisation_id_of
from cairn.disputes.models import Dispute
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Category
from cairn.people.locking import lock_row
from cairn.people.models import User

Status = Dispute.Status
DISPUTABLE = {Verb.MISSED, Verb.RATED, Verb.CONTENT_HIDDEN}


def _clean_reason(reason: str) -> str:
    reason = " ".join(str(reason).split())
    if not reason:
        raise ActionError("Say why, in a sentence or two.", field="reason")
    if len(reason) > 500:
        raise ActionError("Keep it under 500 characters.", field="reason")
    return reason


def check_open_dispute(user: User, event: Event, reason: str) -> str:
    """Validate a dispute of one item of evidence; return the cleaned reason."""
    if (
        event.organisation_id != user.organisation_id
        or event.subject_id != user.pk
        or event.verb not in DISPUTABLE
    ):
        raise ActionError("You can only dispute evidence about you.", field="event")
    return _clean_reason(reason)


def do_open_dispute(user: User, event: Event, reason: str) -> Dispute:
    """Dispute an item of evidence; a second submission returns the first dispute."""
    reason = check_open_dispute(user, event, reason)
    existing = Dispute.objects.filter(event=event).first()
    if existing is not None:
        return existing
    # The counterpart who confirmed a miss reviews it; a rating only admins, so that its
    # giver is never revealed to the person who disputes it.
    reviewer_id = event.actor_id if event.verb == Verb.MISSED else None
    dispute = Dispute(
        organisation_id=organisation_id_of(user),
        event=event,
        opened_by=user,
        reviewer_id=reviewer_id,
        reason=reason,
    )
    try:
        with transaction.atomic():
            dispute.save()
            record(
                Verb.DISPUTE_OPENED,
                actor=user,
                subject=dispute.reviewer,
                obj=dispute,
                context={"event": event.pk, "kind": event.verb},
            )
            if dispute.reviewer_id is None:
                _ask_admins(dispute, user)
    except IntegrityError:  # the other click of a double click won the race
        return Dispute.objects.get(event=event)
    return dispute


def _ask_admins(dispute: Dispute, user: User) -> None:
    """Tell the organisation's admins that a dispute only they can review is waiting."""
    admins = User.objects.filter(
        organisation_id=dispute.organisation_id, role=User.Role.ADMIN, is_active=True
    ).exclude(pk=user.pk)
    name = user.profile.name if hasattr(user, "profile") else "A colleague"
    do_notify(
        dispute.organisation_id,
        [
            Note(
                recipient_id=admin_id,
                key=f"dispute:{dispute.pk}:review",
                category=Category.PEOPLE,
                text=(
                    f"{name} appeals the hiding of something they wrote and asks an admin to "
                    "review it"
                    if dispute.event.verb == Verb.CONTENT_HIDDEN
                    else f"{name} disputes a rating they received and asks an admin to review it"
                ),
                url=dispute.get_absolute_url(),
            )
            for admin_id in admins.values_list("pk", flat=True)
        ],
    )


def check_resolve_dispute(dispute: Dispute, user: User, outcome: str, reason: str) -> str:
    """Validate a review; return the cleaned reason."""
    if not dispute.can_review(user):
        raise ActionError("Only the reviewer or an admin can decide this dispute.", status=403)
    if outcome not in (Status.UPHELD, Status.OVERTURNED):
        raise ActionError("Choose to uphold or overturn.", field="outcome")
    if not dispute.is_open():
        raise ActionError("This dispute has already been reviewed.", status=409)
    return _clean_reason(reason)


def do_resolve_dispute(dispute: Dispute, user: User, outcome: str, reason: str) -> Dispute:
    """Uphold or overturn a dispute, once; a concurrent second review waits for the lock, then
    finds it decided (the same answer again is accepted quietly)."""
    with transaction.atomic():
        locked = lock_row(dispute)
        if locked.status == outcome and locked.resolved_by_id == user.pk:
            return locked
        reason = check_resolve_dispute(locked, user, outcome, reason)
        locked.status = outcome
        locked.outcome_reason = reason
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "outcome_reason", "resolved_by", "resolved_at"])
        record(
            Verb.DISPUTE_RESOLVED,
            actor=user,
            organisation=user.organisation,
            subject=locked.opened_by,
            obj=locked,
            context={"event": locked.event_id, "outcome": outcome},
        )
        audit.record(
            Action.DISPUTE_RESOLVED,
            actor=user,
            target=locked,
            details={"outcome": outcome, "dispute": locked.pk},
        )
    return locked
