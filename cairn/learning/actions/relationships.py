"""Mentoring, coaching and peer partnerships: request, answer, sessions, completion, expiry."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cairn.checks import check_aware, check_colleague, organisation_of
from cairn.errors import ActionError
from cairn.learning.actions.expiry import close_each
from cairn.learning.health import touch as touch_from
from cairn.learning.models import (
    Goal,
    Relationship,
    RelationshipMember,
    Session,
    SessionProposal,
)
from cairn.ledger.models import Event, Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_row
from cairn.people.models import Profile, User
from cairn.privileges.actions import check_mentor_requests

Role = RelationshipMember.Role

#: How long before its organisation joined Cairn a session may be logged (recent history).
SESSION_HISTORY = timedelta(days=365)


def active_mentoring_count(user: User) -> int:
    """Return how many active mentoring or coaching relationships ``user`` mentors in."""
    return RelationshipMember.objects.filter(
        user=user,
        role=Role.MENTOR,
        relationship__status=Relationship.Status.ACTIVE,
    ).count()


def has_capacity(user: User) -> bool:
    """Return whether ``user`` can take on another mentee (their profile's capacity)."""
    capacity = Profile.objects.filter(user=user).values_list("mentoring_capacity", flat=True)
    return active_mentoring_count(user) < (capacity.first() or 0)


def check_can_request(requester: User, addressee: User, kind: str) -> None:
    """Say why ``requester`` cannot ask ``addressee`` for this kind of relationship, if so."""
    if kind not in Relationship.Kind.values:
        raise ActionError(f"Kind is one of {', '.join(Relationship.Kind.values)}.", "kind")
    check_colleague(requester, addressee, "person")
    if addressee.pk == requester.pk:
        raise ActionError("You cannot ask yourself; pick a colleague.", field="person")
    if kind != Relationship.Kind.PEER and not has_capacity(addressee):
        name = addressee.profile.name
        raise ActionError(
            f"{name} is mentoring as many people as they can right now. Try again later, or "
            "ask someone else.",
            field="person",
        )
    check_mentor_requests(requester, addressee, kind)


def _pending_between(requester: User, addressee: User, kind: str) -> Relationship | None:
    return Relationship.objects.filter(
        requested_by=requester,
        addressee=addressee,
        kind=kind,
        status__in=(Relationship.Status.REQUESTED, Relationship.Status.ACTIVE),
    ).first()


def do_request_relationship(
    requester: User, addressee: User, kind: str, goal: Goal | None, message: str
) -> Relationship:
    """Ask a colleague to mentor or coach you, or to be your peer partner, for a goal.

    Asking again while a request or relationship of the same kind is open returns that one.
    """
    message = message.strip()
    if goal is None or goal.owner_id != requester.pk:
        raise ActionError("Pick one of your goals for them to help you with.", field="goal")
    if goal.status != Goal.Status.OPEN:
        raise ActionError("That goal is closed; pick an open one.", field="goal")
    if not message:
        raise ActionError("Say a few words about what you hope for.", field="message")
    check_can_request(requester, addressee, kind)
    with transaction.atomic():
        Profile.objects.select_for_update().filter(user=requester).first()
        existing = _pending_between(requester, addressee, kind)
        if existing is not None:
            return existing
        relationship = Relationship.objects.create(
            organisation=organisation_of(requester),
            kind=kind,
            goal=goal,
            requested_by=requester,
            addressee=addressee,
            message=message[:4000],
        )
        if kind == Relationship.Kind.PEER:
            roles = [(requester, Role.PEER), (addressee, Role.PEER)]
        else:
            roles = [(requester, Role.LEARNER), (addressee, Role.MENTOR)]
        RelationshipMember.objects.bulk_create(
            RelationshipMember(relationship=relationship, user=user, role=role)
            for user, role in roles
        )
        record(
            Verb.MENTORING_REQUESTED,
            actor=requester,
            subject=addressee,
            obj=relationship,
            context={"kind": kind},
        )
    return relationship


def _hours_since(start: datetime, now: datetime) -> float:
    return round((now - start).total_seconds() / 3600, 2)


def _still_waiting(relationship: Relationship, answer: str) -> bool:
    """Return whether the locked request still waits for an answer; False if it already has
    ``answer`` (a double click). Refuse (409) one that ended otherwise."""
    if relationship.status == answer:
        return False
    if relationship.status != Relationship.Status.REQUESTED:
        raise ActionError(
            f"This request is {relationship.get_status_display().lower()}.", status=409
        )
    return True


def _answer(user: User, relationship: Relationship, answer: str, verb: str, **fields: str) -> Event:
    """Save ``answer`` (and ``fields``) on the locked request and record ``verb``, then
    ``responded`` with the hours it waited. Return the ``verb`` event."""
    now = timezone.now()
    relationship.status = answer
    relationship.responded_at = now
    for name, value in fields.items():
        setattr(relationship, name, value)
    relationship.save(update_fields=["status", *fields, "responded_at"])
    event = record(verb, actor=user, subject=relationship.requested_by, obj=relationship)
    record(
        Verb.RESPONDED,
        actor=user,
        subject=relationship.requested_by,
        obj=relationship,
        value=_hours_since(relationship.created_at, now),
    )
    return event


def do_accept(user: User, relationship: Relationship) -> Relationship:
    """Accept a request addressed to ``user``; accepting twice (a double click) changes nothing."""
    if relationship.addressee_id != user.pk:
        raise ActionError("Only the person asked can accept.", status=403)
    with transaction.atomic():
        Profile.objects.select_for_update().filter(user=user).first()
        relationship = lock_row(relationship)
        if not _still_waiting(relationship, Relationship.Status.ACTIVE):
            return relationship
        if relationship.is_mentoring() and not has_capacity(user):
            raise ActionError(
                "You are mentoring as many people as your profile says you can. Raise your "
                "capacity on your profile, or decline kindly.",
                status=409,
            )
        touch_from(_answer(user, relationship, Relationship.Status.ACTIVE, Verb.MENTORING_ACCEPTED))
    return relationship


def do_decline(user: User, relationship: Relationship, reason: str) -> Relationship:
    """Decline a request addressed to ``user`` with a kind reason; twice changes nothing."""
    if relationship.addressee_id != user.pk:
        raise ActionError("Only the person asked can decline.", status=403)
    reason = reason.strip()
    if not reason:
        raise ActionError(
            "A kind line helps them, e.g. 'I'm full this quarter — try Carol.'", field="reason"
        )
    with transaction.atomic():
        relationship = lock_row(relationship)
        if _still_waiting(relationship, Relationship.Status.DECLINED):
            _answer(
                user,
                relationship,
                Relationship.Status.DECLINED,
                Verb.MENTORING_DECLINED,
                decline_reason=reason[:2000],
            )
    return relationship


def do_withdraw(user: User, relationship: Relationship) -> Relationship:
    """Withdraw one's own unanswered request; twice changes nothing."""
    if relationship.requested_by_id != user.pk:
        raise ActionError("Only the person who asked can withdraw the request.", status=403)
    with transaction.atomic():
        relationship = lock_row(relationship)
        if relationship.status == Relationship.Status.WITHDRAWN:
            return relationship
        if relationship.status != Relationship.Status.REQUESTED:
            raise ActionError("Only a request still waiting can be withdrawn.", status=409)
        relationship.status = Relationship.Status.WITHDRAWN
        relationship.save(update_fields=["status"])
        record(
            Verb.MENTORING_WITHDRAWN, actor=user, subject=relationship.addressee, obj=relationship
        )
    return relationship


def do_add_member(
    user: User, relationship: Relationship, person: User, role: str
) -> RelationshipMember:
    """Add a colleague to an active relationship (a group): mentors add mentors or learners,
    peers add peers. Adding someone already in it returns their membership."""
    with transaction.atomic():
        relationship = lock_row(relationship)
        me = relationship.members.filter(user=user).first()
        if me is None or (relationship.is_mentoring() and me.role != Role.MENTOR):
            raise ActionError("Only a mentor in this relationship can add people.", status=403)
        if relationship.status != Relationship.Status.ACTIVE:
            raise ActionError("People join an active relationship.", status=409)
        check_colleague(user, person, "person")
        allowed = [Role.MENTOR, Role.LEARNER] if relationship.is_mentoring() else [Role.PEER]
        if role not in allowed:
            raise ActionError(f"Role is one of {', '.join(allowed)}.", field="role")
        existing = relationship.members.filter(user=person).first()
        if existing is not None:
            return existing
        if role == Role.MENTOR and not has_capacity(person):
            raise ActionError(
                f"{person.profile.name} is mentoring as many people as they can right now.",
                field="person",
            )
        member = RelationshipMember.objects.create(
            relationship=relationship, user=person, role=role
        )
        touch_from(
            record(
                Verb.MEMBER_ADDED,
                actor=user,
                subject=person,
                obj=relationship,
                context={"role": role},
            )
        )
    return member


def do_log_session(
    user: User,
    relationship: Relationship,
    held_at: datetime,
    duration_minutes: int,
    shared_notes: str = "",
    private_notes: str = "",
) -> Session:
    """Log a session of an active relationship. Logging the same start time again (a double
    click) returns the session already logged. Mentors are recorded as having ``mentored``
    each learner for the session's hours; peer sessions record only ``session_logged``."""
    check_aware(held_at, "held_at")
    if held_at > timezone.now() + timedelta(days=1):
        raise ActionError("Log a session once it has happened.", field="held_at")
    if held_at < relationship.organisation.created_at - SESSION_HISTORY:
        raise ActionError(
            "That is long before your organisation joined Cairn; check the date.",
            field="held_at",
        )
    if not 5 <= int(duration_minutes) <= 600:
        raise ActionError("A session lasts between 5 minutes and 10 hours.", "duration_minutes")
    with transaction.atomic():
        relationship = lock_row(relationship)
        members = list(relationship.members.all())
        if user.pk not in {m.user_id for m in members}:
            raise ActionError("Only people in this relationship log its sessions.", status=403)
        if relationship.status != Relationship.Status.ACTIVE:
            raise ActionError("Sessions are logged while the relationship is active.", status=409)
        existing = relationship.sessions.filter(held_at=held_at).first()
        if existing is not None:
            return existing
        session = Session.objects.create(
            relationship=relationship,
            held_at=held_at,
            duration_minutes=int(duration_minutes),
            shared_notes=shared_notes.strip()[:8000],
            private_notes=private_notes.strip()[:8000],
            logged_by=user,
        )
        # The accepted proposal this session fulfils is now held.
        relationship.proposals.filter(
            status=SessionProposal.Status.ACCEPTED, starts_at__lte=held_at + timedelta(hours=12)
        ).update(status=SessionProposal.Status.HELD)
        hours = session.hours()
        # No notes in the ledger: events are read by the feed and exported.
        touch_from(record(Verb.SESSION_LOGGED, actor=user, obj=session, value=hours))
        if relationship.is_mentoring():
            for mentor in (m for m in members if m.role == Role.MENTOR):
                for learner in (m for m in members if m.role == Role.LEARNER):
                    record(
                        Verb.MENTORED,
                        actor=mentor.user,
                        subject=learner.user,
                        obj=session,
                        value=hours,
                        time=held_at,
                    )
    return session


def do_complete_relationship(
    user: User, relationship: Relationship, reflection: str
) -> Relationship:
    """Complete an active relationship with ``user``'s closing reflection; the others add theirs
    the same way afterwards. Reflecting twice keeps the first reflection."""
    reflection = reflection.strip()
    if not reflection:
        raise ActionError("A few words on what you learned together.", field="reflection")
    with transaction.atomic():
        relationship = lock_row(relationship)
        member = relationship.members.select_for_update().filter(user=user).first()
        if member is None:
            raise ActionError("Only people in this relationship can complete it.", status=403)
        if relationship.status not in (Relationship.Status.ACTIVE, Relationship.Status.COMPLETED):
            raise ActionError("Only an active relationship can be completed.", status=409)
        if member.reflected_at is not None:
            return relationship
        now = timezone.now()
        closing = relationship.status == Relationship.Status.ACTIVE
        if closing:
            relationship.status = Relationship.Status.COMPLETED
            relationship.completed_at = now
            relationship.save(update_fields=["status", "completed_at"])
        member.closing_reflection = reflection[:4000]
        member.reflected_at = now
        member.save(update_fields=["closing_reflection", "reflected_at"])
        record(
            Verb.RELATIONSHIP_COMPLETED,
            actor=user,
            obj=relationship,
            context={"closed": closing, "role": member.role},
        )
    return relationship


def expire_requests(now: datetime | None = None) -> int:
    """Expire requests unanswered for ``CAIRN_REQUEST_EXPIRY_DAYS`` days, recording
    ``unanswered`` for each. Running it again expires nothing twice. Return how many expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CAIRN_REQUEST_EXPIRY_DAYS)

    def record_unanswered(relationship: Relationship) -> None:
        record(
            Verb.UNANSWERED,
            actor=relationship.requested_by,
            subject=relationship.addressee,
            organisation=relationship.organisation,
            obj=relationship,
        )

    due = Relationship.objects.filter(status=Relationship.Status.REQUESTED, created_at__lte=cutoff)
    related = due.select_related("requested_by", "organisation")
    return close_each(related, Relationship.Status.EXPIRED, record_unanswered)
