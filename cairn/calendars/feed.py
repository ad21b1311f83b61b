"""A person's calendar feed: their sessions and the due dates of their open commitments."""

from datetime import timedelta

import icalendar
from django.utils import timezone

from cairn.commitments.access import commitments_of
from cairn.commitments.models import Commitment
from cairn.learning.ics import new_calendar, session_event, uid
from cairn.learning.models import Session, SessionProposal
from cairn.people.models import User

#: Sessions further back than this are left out: calendar apps keep what they already have.
SESSIONS_SINCE = timedelta(days=90)
#: Commitment due dates are markers, not meetings: a short slot that does not block time.
DUE_MARKER = timedelta(minutes=15)


def _commitment_event(commitment: Commitment, user: User, base_url: str) -> icalendar.Event:
    mine = commitment.committer_id == user.pk
    other = commitment.counterpart if mine else commitment.committer
    event = icalendar.Event()
    event.add("uid", uid("commitment", commitment.pk, base_url))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", commitment.due_at)
    event.add("dtend", commitment.due_at + DUE_MARKER)
    event.add("transp", "TRANSPARENT")
    if mine:
        event.add("summary", f"Due to {other.profile.name}: {commitment.text}")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Due soon: {commitment.text}")
        alarm.add("trigger", timedelta(hours=-1))
        event.add_component(alarm)
    else:
        event.add("summary", f"{other.profile.name} promised: {commitment.text}")
    event.add("url", base_url.rstrip("/") + commitment.get_absolute_url())
    return event


def person_calendar(user: User, base_url: str) -> bytes:
    """Return ``user``'s feed: recent sessions, accepted planned ones, and open commitments' due
    dates.

    Only what the person may see goes in: sessions of relationships they belong to (shared
    notes, never private ones) and commitments they made or were made.
    """
    cal = new_calendar("Cairn")
    sessions = (
        Session.objects.visible_to(user)
        .filter(  # of what they may see, their own: relationships they belong to
            relationship__members__user=user, held_at__gte=timezone.now() - SESSIONS_SINCE
        )
        .select_related("relationship")
        .prefetch_related("relationship__members__user__profile")
        .order_by("held_at")
    )
    for session in sessions:
        names = {m.user_id: m.user.profile.name for m in session.relationship.members.all()}
        cal.add_component(session_event(session, base_url=base_url, names=names))
    planned = (
        SessionProposal.objects.visible_to(user)
        .filter(status=SessionProposal.Status.ACCEPTED, starts_at__gte=timezone.now())
        .select_related("relationship")
        .prefetch_related("relationship__members__user__profile")
    )
    for proposal in planned:
        names = {m.user_id: m.user.profile.name for m in proposal.relationship.members.all()}
        cal.add_component(session_event(proposal, base_url=base_url, names=names))
    for commitment in commitments_of(user).filter(status=Commitment.Status.OPEN).order_by("due_at"):
        cal.add_component(_commitment_event(commitment, user, base_url))
    return cal.to_ical()
