"""Sessions as calendar entries (iCalendar, RFC 5545), written with the ``icalendar`` library.

Only what the whole relationship may see goes in: the date, the length, the people and the
shared notes. Private notes never leave Cairn in a calendar file.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cairn.learning.models import Relationship, Session, SessionProposal

PRODID = "-//Cairn//Learning sessions//EN"


def new_calendar(name: str | None = None) -> icalendar.Calendar:
    """Return an empty VCALENDAR with Cairn's product id (and a display name, for feeds)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def uid(kind: str, pk: int, base_url: str) -> str:
    """Return a stable, globally unique id for one of Cairn's objects on this site."""
    return f"cairn-{kind}-{pk}@{urlsplit(base_url).netloc or 'cairn'}"


def session_event(
    session: Session | SessionProposal, *, base_url: str, names: dict[int, str]
) -> icalendar.Event:
    """Return a session held, or one proposed and accepted, as a VEVENT; ``names`` maps user ids
    to names for the summary. An accepted proposal keeps its uid when it is held and logged."""
    relationship = session.relationship
    people = " & ".join(names.get(m.user_id, "?") for m in relationship.members.all())
    event = icalendar.Event()
    if isinstance(session, SessionProposal):
        event.add("uid", uid("proposal", session.pk, base_url))
        event.add("dtstart", session.starts_at)
        event.add("description", session.message or "Planned in Cairn.")
        if session.status != SessionProposal.Status.ACCEPTED:
            event.add("status", "CANCELLED")
    else:
        event.add("uid", uid("session", session.pk, base_url))
        event.add("dtstart", session.held_at)
        event.add("description", session.shared_notes or "No shared notes.")
    event.add("dtstamp", timezone.now())
    event.add("dtend", session.ends_at())
    event.add("summary", f"{relationship.get_kind_display()}: {people}")
    event.add("url", base_url.rstrip("/") + session.get_absolute_url())
    return event


def calendar(
    sessions: Iterable[Session | SessionProposal], *, base_url: str, names: dict[int, str]
) -> bytes:
    """Return a VCALENDAR with one VEVENT per session, as bytes ready to send."""
    cal = new_calendar()
    for session in sessions:
        cal.add_component(session_event(session, base_url=base_url, names=names))
    return cal.to_ical()


def ics_body(body: bytes, filename: str | None = None) -> HttpResponse:
    """Return an iCalendar body as a response (a download when ``filename`` is given)."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ics_response(
    request: HttpRequest, sessions: list[Session] | list[SessionProposal], filename: str
) -> HttpResponse:
    """Return the sessions as a downloadable .ics file (their relationships' members loaded)."""
    names = {m.user_id: m.user.profile.name for s in sessions for m in s.relationship.members.all()}
    body = calendar(sessions, base_url=request.build_absolute_uri("/"), names=names)
    return ics_body(body, filename)


def relationship_ics(request: HttpRequest, relationship: Relationship) -> HttpResponse:
    """Return every session ``relationship`` has held, oldest first, as a downloadable .ics file."""
    sessions = list(relationship.sessions.order_by("held_at"))
    for session in sessions:
        session.relationship = relationship  # its members are read once, not per session
    return ics_response(request, sessions, f"cairn-sessions-{relationship.pk}.ics")
