"""Sessions as calendar entries (iCalendar, RFC 5545), written by hand: no dependency needed.

Only what the whole relationship may see goes in: the date, the length, the people and the
shared notes. Private notes never leave Cairn in a calendar file.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cairn.learning.models import Session

PRODID = "-//Cairn//Learning sessions//EN"


def escape(text: str) -> str:
    """Return ``text`` escaped as an iCalendar TEXT value (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Return a content line folded at 75 octets, never inside a UTF-8 character (§3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while encoded:
        cut = min(limit, len(encoded))
        while cut < len(encoded) and (encoded[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(sessions: Iterable[Session], *, base_url: str, names: dict[int, str]) -> str:
    """Return a VCALENDAR with one VEVENT per session.

    ``names`` maps user ids to names for the summary; ``base_url`` makes the entries link back.
    """
    now = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for session in sessions:
        relationship = session.relationship
        people = " & ".join(names.get(m.user_id, "?") for m in relationship.members.all())
        summary = f"{relationship.get_kind_display()}: {people}"
        description = session.shared_notes or "No shared notes."
        lines += [
            "BEGIN:VEVENT",
            f"UID:cairn-session-{session.pk}@{base_url.split('//')[-1].strip('/')}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(session.held_at)}",
            f"DTEND:{_utc(session.ends_at())}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{base_url.rstrip('/')}{session.get_absolute_url()}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def ics_response(request: HttpRequest, sessions: list[Session], filename: str) -> HttpResponse:
    """Return the sessions as a downloadable .ics file (their relationships' members loaded)."""
    names = {m.user_id: m.user.profile.name for s in sessions for m in s.relationship.members.all()}
    body = calendar(sessions, base_url=request.build_absolute_uri("/"), names=names)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
