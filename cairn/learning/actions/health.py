"""Keeping relationships alive: the agreed rhythm, proposed sessions, nudges, kind closing.

A relationship's health is measured against the rhythm its members agreed (every week, two
weeks, month) from the latest activity the ledger reports (:mod:`cairn.learning.health`). When it
misses its rhythm both members are nudged once, with a link to propose the next session; a
relationship still quiet a whole rhythm after the nudge shows on the admins' "needs attention"
list. Closing kindly is not held against anyone; letting a proposed session lapse without a word
counts as ``unanswered`` for whoever did not answer.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cairn.checks import check_ahead, clean_text
from cairn.errors import ActionError
from cairn.learning.actions.expiry import close_each
from cairn.learning.health import touch as touch_from
from cairn.learning.models import Relationship, SessionProposal
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_row
from cairn.people.models import User

#: How far ahead a session may be proposed.
PROPOSAL_HORIZON = timedelta(days=180)
#: How long before a proposed session both members are reminded of it.
REMINDER_LEAD = timedelta(days=1)


def _locked_active(relationship: Relationship, user: User, doing: str) -> Relationship:
    locked = lock_row(relationship)
    if not locked.members.filter(user=user).exists():
        raise ActionError(f"Only people in this relationship can {doing}.", status=403)
    if locked.status != Relationship.Status.ACTIVE:
        raise ActionError(f"You can {doing} while the relationship is active.", status=409)
    return locked


def _others(relationship: Relationship, user: User) -> list[int]:
    return [pk for pk in relationship.members.values_list("user_id", flat=True) if pk != user.pk]


def do_set_rhythm(user: User, relationship: Relationship, days: int) -> Relationship:
    """Agree how often the members meet; the health badge is measured against it."""
    if days not in Relationship.Rhythm.values:
        choices = ", ".join(str(d) for d in Relationship.Rhythm.values)
        raise ActionError(f"The rhythm is one of {choices} days.", field="rhythm_days")
    with transaction.atomic():
        locked = _locked_active(relationship, user, "agree how often you meet")
        if locked.rhythm_days == days:
            return locked
        locked.rhythm_days = days
        locked.save(update_fields=["rhythm_days"])
        touch_from(
            record(
                Verb.RHYTHM_SET,
                actor=user,
                obj=locked,
                value=days,
                context={"notify": _others(locked, user)},
            )
        )
    return locked


def check_proposal_time(starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    """Say why a proposed session's time will not do, if so."""
    check_ahead(
        starts_at,
        "starts_at",
        now,
        PROPOSAL_HORIZON,
        past="Propose a time in the future.",
        too_far="Propose a time within the next six months.",
    )
    if not 5 <= int(duration_minutes) <= 600:
        raise ActionError("A session lasts between 5 minutes and 10 hours.", "duration_minutes")


def do_propose_session(
    user: User,
    relationship: Relationship,
    starts_at: datetime,
    duration_minutes: int = 60,
    message: str = "",
) -> SessionProposal:
    """Propose the next session to the other members. Proposing the same time again while it
    waits (a double click) returns the proposal already made."""
    check_proposal_time(starts_at, duration_minutes, timezone.now())
    message = clean_text(message, "message", "your line", 2000, required=False)
    with transaction.atomic():
        locked = _locked_active(relationship, user, "propose a session")
        existing = locked.proposals.filter(
            starts_at=starts_at, status=SessionProposal.Status.PROPOSED
        ).first()
        if existing is not None:
            return existing
        proposal = SessionProposal.objects.create(
            relationship=locked,
            proposed_by=user,
            starts_at=starts_at,
            duration_minutes=int(duration_minutes),
            message=message,
        )
        others = _others(locked, user)
        touch_from(
            record(
                Verb.SESSION_PROPOSED,
                actor=user,
                subject=User.objects.get(pk=others[0]) if len(others) == 1 else None,
                obj=proposal,
                context={"notify": others},
            )
        )
    return proposal


def _locked_open_proposal(proposal: SessionProposal, user: User, doing: str) -> SessionProposal:
    locked = (
        SessionProposal.objects.select_for_update()
        .select_related("relationship")
        .get(pk=proposal.pk)
    )
    if not locked.relationship.members.filter(user=user).exists():
        raise ActionError(f"Only people in this relationship can {doing}.", status=403)
    return locked


def do_answer_proposal(user: User, proposal: SessionProposal, accept: bool) -> SessionProposal:
    """Accept or decline a session another member proposed; answering twice the same way
    changes nothing."""
    wanted = SessionProposal.Status.ACCEPTED if accept else SessionProposal.Status.DECLINED
    with transaction.atomic():
        locked = _locked_open_proposal(proposal, user, "answer a proposed session")
        if locked.proposed_by_id == user.pk:
            raise ActionError("Another member answers your proposal.", status=403)
        if locked.status == wanted:
            return locked
        if locked.status != SessionProposal.Status.PROPOSED:
            raise ActionError(
                f"This proposal is {locked.get_status_display().lower()}.", status=409
            )
        if accept and locked.starts_at <= timezone.now():
            raise ActionError("Its time has passed; propose a new one.", status=409)
        locked.status = wanted
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_by", "answered_at"])
        touch_from(
            record(
                Verb.SESSION_ACCEPTED if accept else Verb.SESSION_DECLINED,
                actor=user,
                subject=locked.proposed_by,
                obj=locked,
            )
        )
    return locked


def do_withdraw_proposal(user: User, proposal: SessionProposal) -> SessionProposal:
    """Withdraw one's own proposal that still waits, or one accepted and not yet held."""
    with transaction.atomic():
        locked = _locked_open_proposal(proposal, user, "withdraw a proposed session")
        if locked.proposed_by_id != user.pk:
            raise ActionError("Only the person who proposed it can withdraw it.", status=403)
        if locked.status == SessionProposal.Status.WITHDRAWN:
            return locked
        if not (locked.is_open() or locked.is_upcoming()):
            raise ActionError(
                f"This proposal is {locked.get_status_display().lower()}.", status=409
            )
        locked.status = SessionProposal.Status.WITHDRAWN
        locked.save(update_fields=["status"])
    return locked


def do_close_relationship(
    user: User, relationship: Relationship, reason: str, reflection: str = ""
) -> Relationship:
    """Close an active relationship kindly, with a reason both see ("we got what we needed",
    "not a fit", "circumstances changed"). Closing is not held against anyone's trust."""
    if reason not in Relationship.CloseReason.values:
        raise ActionError("Pick why you are closing it.", field="reason")
    reflection = clean_text(reflection, "reflection", "your closing line", 4000, required=False)
    with transaction.atomic():
        locked = lock_row(relationship)
        member = locked.members.select_for_update().filter(user=user).first()
        if member is None:
            raise ActionError("Only people in this relationship can close it.", status=403)
        if locked.status == Relationship.Status.CLOSED:
            return locked
        if locked.status != Relationship.Status.ACTIVE:
            raise ActionError("Only an active relationship can be closed.", status=409)
        now = timezone.now()
        locked.status = Relationship.Status.CLOSED
        locked.close_reason = reason
        locked.completed_at = now
        locked.save(update_fields=["status", "close_reason", "completed_at"])
        if reflection:
            member.closing_reflection = reflection
            member.reflected_at = now
            member.save(update_fields=["closing_reflection", "reflected_at"])
        locked.proposals.filter(status=SessionProposal.Status.PROPOSED).update(
            status=SessionProposal.Status.WITHDRAWN
        )
        record(
            Verb.RELATIONSHIP_CLOSED,
            actor=user,
            obj=locked,
            context={"reason": reason, "notify": _others(locked, user)},
        )
    return locked


# --- Scheduled jobs ----------------------------------------------------------------------------


def do_nudge_quiet(now: datetime | None = None) -> int:
    """Nudge the members of every relationship that missed its rhythm, once per quiet spell.

    A relationship is nudged when it has been quiet longer than its rhythm and was not nudged
    since its latest activity; the nudge is a ledger event from nobody in particular, which the
    members hear of as a notification (and in their digest, as they chose). The stamp is a
    conditional update, so two runs at once nudge nobody twice. Return how many were nudged.
    """
    now = now or timezone.now()
    nudged = 0
    # Not yet nudged in this quiet spell: filtered in the database, so relationships left to
    # stall are not read again on every run.
    due = (
        Relationship.objects.quiet_for(1, now)
        .filter(Q(nudged_at__isnull=True) | Q(nudged_at__lt=F("latest_activity")))
        .select_related("organisation")
    )
    for relationship in due:
        with transaction.atomic():
            claimed = Relationship.objects.filter(
                pk=relationship.pk,
                status=Relationship.Status.ACTIVE,
                nudged_at=relationship.nudged_at,
            ).update(nudged_at=now)
            if not claimed:
                continue
            record(
                Verb.RELATIONSHIP_NUDGED,
                actor=None,
                organisation=relationship.organisation,
                obj=relationship,
                value=relationship.days_quiet(now),
                context={"notify": list(relationship.members.values_list("user_id", flat=True))},
            )
            nudged += 1
    return nudged


def do_remind_proposals(now: datetime | None = None) -> int:
    """Remind the members of an accepted session a day before it starts, once. Return count."""
    now = now or timezone.now()
    due = SessionProposal.objects.filter(
        status=SessionProposal.Status.ACCEPTED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_LEAD,
    ).select_related("relationship__organisation")
    reminded = 0
    for proposal in due:
        with transaction.atomic():
            claimed = SessionProposal.objects.filter(
                pk=proposal.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            members = proposal.relationship.members.values_list("user_id", flat=True)
            record(
                Verb.SESSION_REMINDED,
                actor=None,
                organisation=proposal.relationship.organisation,
                obj=proposal,
                context={"notify": list(members)},
            )
            reminded += 1
    return reminded


def do_lapse_proposals(now: datetime | None = None) -> int:
    """Close proposals whose time came without an answer, recording ``unanswered`` for each
    member who let it lapse. Running it again lapses nothing twice. Return how many lapsed."""
    now = now or timezone.now()

    def record_silent(proposal: SessionProposal) -> None:
        silent = proposal.relationship.members.exclude(user_id=proposal.proposed_by_id)
        for member in silent.select_related("user"):
            record(
                Verb.UNANSWERED,
                actor=proposal.proposed_by,
                subject=member.user,
                organisation=proposal.relationship.organisation,
                obj=proposal,
                time=proposal.starts_at,
            )

    due = SessionProposal.objects.filter(status=SessionProposal.Status.PROPOSED, starts_at__lte=now)
    related = due.select_related("proposed_by", "relationship__organisation")
    return close_each(related, SessionProposal.Status.LAPSED, record_silent)
