"""Every change to a commitment goes through these functions, each recording its ledger event.

Renegotiating is the committer's to do, before the due time, with a reason, and takes effect at
once: saying early "I need until Tuesday" is the honest thing the product wants to encourage, so
it must not wait for the counterpart's approval. The counterpart is told (the event's subject is
notified), the history of dates is kept, and the counterpart still judges the outcome at the new
date. Cancelling: the committer may withdraw before the due time (with a reason); the
counterpart may release the committer at any time while it is open. Once due, only the
counterpart's kept/missed closes it; an unconfirmed commitment is never counted as missed.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cairn.checks import check_ahead, check_colleague, organisation_id_of
from cairn.commitments.models import Commitment, Renegotiation
from cairn.errors import ActionError
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.notifications.actions import Note, do_notify
from cairn.notifications.models import Category
from cairn.people.locking import lock_person, lock_row
from cairn.people.models import User
from cairn.visibility import can_see

Status = Commitment.Status

#: How far ahead a commitment may be due: further than this is no commitment one can keep.
MAX_COMMITMENT_AHEAD = timedelta(days=5 * 365)


def check_context(committer: User, counterpart: User, context: models.Model | None) -> None:
    """Refuse a context object that is not in the organisation or not visible to both people."""
    if context is None:
        return
    organisation_id = getattr(context, "organisation_id", None)
    if (
        organisation_id != committer.organisation_id
        or not can_see(committer, context)
        or not can_see(counterpart, context)
    ):
        raise ActionError("That is not something you both take part in.", field="context")


def check_commit(
    committer: User,
    counterpart: User,
    text: str,
    due_at: datetime,
    context: models.Model | None = None,
    now: datetime | None = None,
) -> str:
    """Validate a new commitment; return its cleaned text."""
    text = " ".join(str(text).split())
    if not text:
        raise ActionError("Say what you commit to.", field="text")
    if len(text) > 200:
        raise ActionError("Keep it under 200 characters.", field="text")
    if counterpart.pk == committer.pk:
        raise ActionError("A commitment is made to someone else.", field="counterpart")
    check_colleague(committer, counterpart, "counterpart")
    check_ahead(
        due_at,
        "due_at",
        now or timezone.now(),
        MAX_COMMITMENT_AHEAD,
        past="The due date must be in the future.",
        too_far="Commit to something due within the next five years.",
    )
    check_context(committer, counterpart, context)
    return text


def do_commit(
    committer: User,
    counterpart: User,
    text: str,
    due_at: datetime,
    context: models.Model | None = None,
    now: datetime | None = None,
) -> Commitment:
    """Commit to a colleague; submitting the same promise twice returns the first one.

    ``now`` (default: the present) lets the demo replay history through this same action.
    """
    text = check_commit(committer, counterpart, text, due_at, context, now)
    same = {"committer": committer, "counterpart": counterpart, "text": text, "due_at": due_at}
    with transaction.atomic():
        # Serialise this person's submissions so a double click finds the first commitment.
        lock_person(committer)
        existing = Commitment.objects.filter(status=Status.OPEN, **same).first()
        if existing is not None:
            return existing
        commitment = Commitment(organisation_id=organisation_id_of(committer), **same)
        if now is not None:  # the demo replays months of history through this action
            commitment.created_at = now
        if context is not None:
            commitment.context_type = ContentType.objects.get_for_model(context)
            commitment.context_id = str(context.pk)
        try:
            with transaction.atomic():
                commitment.save()
        except IntegrityError:
            return Commitment.objects.get(status=Status.OPEN, **same)
        record(
            Verb.COMMITTED,
            actor=committer,
            subject=counterpart,
            obj=commitment,
            value=due_at.timestamp(),
            context=_context_of(commitment),
            time=now,
        )
    return commitment


def _context_of(commitment: Commitment) -> dict[str, Any]:
    if commitment.context_type_id is None:
        return {}
    ct = ContentType.objects.get_for_id(commitment.context_type_id)
    return {"within": f"{ct.app_label}.{ct.model}", "within_id": commitment.context_id}


def check_confirm(commitment: Commitment, user: User, outcome: str, now: datetime) -> None:
    """Refuse a confirmation by anyone but the counterpart, twice, or "missed" before it is due."""
    if user.pk != commitment.counterpart_id:
        raise ActionError("Only the person it was made to can confirm it.", status=403)
    if outcome not in (Status.KEPT, Status.MISSED):
        raise ActionError("Say whether it was kept or missed.", field="outcome")
    if not commitment.is_open():
        raise ActionError(
            f"This commitment is already {commitment.get_status_display().lower()}.",
            field="outcome",
            status=409,
        )
    if outcome == Status.MISSED and not commitment.can_confirm_missed(now):
        raise ActionError(
            "It is not due yet: there is still time to keep it.", field="outcome", status=409
        )


def do_confirm(
    commitment: Commitment, user: User, outcome: str, now: datetime | None = None
) -> Commitment:
    """The counterpart says the commitment was kept or missed — once; a second, concurrent
    confirmation waits for the lock, then finds it closed and is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_row(commitment)
        if locked.status == outcome and locked.closed_by_id == user.pk:
            return locked  # the same answer twice (a double click): nothing more to do
        check_confirm(locked, user, outcome, now)
        locked.status = outcome
        locked.closed_at = now
        locked.closed_by = user
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        record(
            Verb.KEPT if outcome == Status.KEPT else Verb.MISSED,
            actor=user,
            subject=locked.committer_id,
            obj=locked,
            time=now,
        )
    return locked


def do_renegotiate(
    commitment: Commitment,
    user: User,
    new_due_at: datetime,
    reason: str,
    now: datetime | None = None,
) -> Commitment:
    """The committer moves the due date before it arrives, saying why; the history is kept."""
    now = now or timezone.now()
    reason = " ".join(str(reason).split())
    with transaction.atomic():
        locked = lock_row(commitment)
        if user.pk != locked.committer_id:
            raise ActionError("Only the person who committed can change the date.", status=403)
        last = locked.renegotiations.last()
        if last is not None and (last.new_due_at, last.reason) == (new_due_at, reason[:300]):
            if locked.due_at == new_due_at:
                return locked  # the same change twice (a double click)
        if not locked.is_open():
            raise ActionError("This commitment is closed.", field="due_at", status=409)
        if not locked.can_renegotiate(now):
            raise ActionError(
                "It is already due: ask them to confirm it, or talk it through.",
                field="due_at",
                status=409,
            )
        check_ahead(
            new_due_at,
            "due_at",
            now,
            MAX_COMMITMENT_AHEAD,
            past="The new date must be in the future.",
            too_far="Move it to a date within the next five years.",
        )
        if new_due_at == locked.due_at:
            raise ActionError("That is the date it already has.", field="due_at")
        if not reason:
            raise ActionError("Say briefly why the date changes.", field="reason")
        Renegotiation.objects.create(
            commitment=locked,
            old_due_at=locked.due_at,
            new_due_at=new_due_at,
            reason=reason[:300],
            created_at=now,
        )
        locked.due_at = new_due_at
        locked.due_reminded_at = locked.confirm_asked_at = locked.asked_again_at = None
        locked.save(
            update_fields=["due_at", "due_reminded_at", "confirm_asked_at", "asked_again_at"]
        )
        record(
            Verb.COMMITMENT_RENEGOTIATED,
            actor=user,
            subject=locked.counterpart,
            obj=locked,
            value=new_due_at.timestamp(),
            context={"reason": reason[:300]},
            time=now,
        )
    return locked


def do_cancel(
    commitment: Commitment, user: User, reason: str = "", now: datetime | None = None
) -> Commitment:
    """The committer withdraws before the due time, or the counterpart releases them."""
    now = now or timezone.now()
    reason = " ".join(str(reason).split())[:300]
    with transaction.atomic():
        locked = lock_row(commitment)
        if user.pk not in (locked.committer_id, locked.counterpart_id):
            raise ActionError("Only the two people it binds can cancel it.", status=403)
        if locked.status == Status.CANCELLED and locked.closed_by_id == user.pk:
            return locked  # cancelled twice (a double click)
        if not locked.is_open():
            raise ActionError("This commitment is closed.", field="reason", status=409)
        by_committer = user.pk == locked.committer_id
        if by_committer and not locked.can_renegotiate(now):
            raise ActionError(
                "It is already due: only the person you committed to can close it now.",
                field="reason",
                status=409,
            )
        if by_committer and not reason:
            raise ActionError("Say briefly why you withdraw.", field="reason")
        locked.status = Status.CANCELLED
        locked.closed_at = now
        locked.closed_by = user
        locked.close_note = reason
        locked.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        other = locked.counterpart if by_committer else locked.committer
        record(
            Verb.COMMITMENT_CANCELLED,
            actor=user,
            subject=other,
            obj=locked,
            context={"reason": reason} if reason else {},
            time=now,
        )
    return locked


def do_send_reminders(now: datetime | None = None) -> int:
    """Remind once about each stage of every open commitment. Return notifications created.

    A day before it is due, the committer; once it is due, the counterpart is asked whether it
    was kept; after the grace period, the counterpart is asked again. Nothing is ever counted as
    missed here. Each stage is stamped with a conditional update, so two runs at once, or a
    second run, remind nobody twice.
    """
    now = now or timezone.now()
    grace = timedelta(days=settings.CAIRN_COMMITMENT_GRACE_DAYS)
    open_ = Commitment.objects.filter(status=Status.OPEN).select_related(
        "committer__profile", "counterpart__profile"
    )
    stages = [
        (
            "due_reminded_at",
            open_.filter(due_at__gt=now, due_at__lte=now + timedelta(days=1)),
            "due",
            lambda c: (
                c.committer_id,
                f"Due soon — your commitment to {c.counterpart.profile.name}: “{c.text}”",
            ),
        ),
        (
            "confirm_asked_at",
            open_.filter(due_at__lte=now, due_at__gt=now - grace),
            "confirm",
            lambda c: (
                c.counterpart_id,
                f"Was it kept? {c.committer.profile.name} committed: “{c.text}”",
            ),
        ),
        (
            "asked_again_at",
            open_.filter(due_at__lte=now - grace),
            "again",
            lambda c: (
                c.counterpart_id,
                f"Still waiting for your word: did {c.committer.profile.name} keep “{c.text}”?",
            ),
        ),
    ]
    created = 0
    for stamp, due, stage, say in stages:
        for commitment in due.filter(**{f"{stamp}__isnull": True}):
            with transaction.atomic():
                claimed = Commitment.objects.filter(
                    pk=commitment.pk,
                    status=Status.OPEN,
                    due_at=commitment.due_at,  # not moved meanwhile
                    **{f"{stamp}__isnull": True},
                ).update(**{stamp: now})
                if not claimed:
                    continue
                if stage == "confirm":
                    # Asking now covers the early stage too.
                    Commitment.objects.filter(pk=commitment.pk).update(due_reminded_at=now)
                if stage == "again":
                    Commitment.objects.filter(pk=commitment.pk).update(
                        due_reminded_at=now, confirm_asked_at=now
                    )
                recipient, text = say(commitment)
                created += do_notify(
                    commitment.organisation_id,
                    [
                        Note(
                            recipient,
                            f"commitment:{commitment.pk}:{stage}:{commitment.due_at:%Y%m%d%H%M}",
                            Category.COMMITMENTS,
                            text,
                            commitment.get_absolute_url(),
                        )
                    ],
                )
    return created
