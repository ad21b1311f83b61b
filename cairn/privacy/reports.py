"""CSV exports for an organisation's admins, read row by row so any size streams in constant
memory: members with their activity, programme matches, the insights tables, and the ledger
for a date range."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.checks import organisation_id_of, organisation_of
from cairn.errors import ActionError
from cairn.insights import queries
from cairn.insights.access import check_insights
from cairn.ledger.models import Event, Verb
from cairn.matching.models import Match
from cairn.notifications.describe import ANONYMOUS
from cairn.people.models import Profile, User
from cairn.spreadsheet import csv_lines

#: Rows fetched from the database at a time.
CHUNK = 2000
#: The ledger export's range when none is given: the last 30 days.
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class DateRange:
    """Whole days, both ends included, in the active time zone: the viewer's on a page, UTC in
    the API."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """Return the first instant of ``start`` and the first instant after ``end``."""
        zone = timezone.get_current_timezone()
        first = datetime.combine(self.start, time.min, tzinfo=zone)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return first, after


def parse_day(raw: str | None, field: str) -> date | None:
    """Return the date in ``raw`` (YYYY-MM-DD), None if empty; refuse anything else."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ActionError(
            f"'{field}' is {raw!r}, which is not a date: give it as YYYY-MM-DD, e.g. 2026-01-31.",
            field=field,
        ) from None


def check_date_range(start: date | None, end: date | None) -> DateRange:
    """Return the range asked for (the last 30 days by default); refuse an end before the
    start."""
    end = end or timezone.localdate()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ActionError(
            f"The range ends ({end}) before it starts ({start}): give an end on or after the "
            "start.",
            field="to",
        )
    return DateRange(start, end)


def _events_counted(by: str, verbs: Sequence[str]) -> Coalesce:
    counted = (
        Event.objects.filter(**{by: OuterRef("user_id")}, verb__in=verbs)
        .order_by()
        .values(by)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


#: Activity columns of the members export: (column, who is counted, verbs).
ACTIVITY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("goals_set", "actor_id", (Verb.GOAL_SET,)),
    ("sessions_logged", "actor_id", (Verb.SESSION_LOGGED,)),
    ("asked_for_help", "actor_id", (Verb.ASKED,)),
    ("responded", "actor_id", (Verb.RESPONDED,)),
    ("helped", "actor_id", (Verb.HELPED,)),
    ("mentored", "actor_id", (Verb.MENTORED,)),
    ("shared", "actor_id", (Verb.SHARED, Verb.LESSON_SHARED)),
    ("thanked_others", "actor_id", (Verb.THANKED,)),
    ("credited_others", "actor_id", (Verb.CREDITED,)),
    ("thanked_by_others", "subject_id", (Verb.THANKED,)),
    ("credited_by_others", "subject_id", (Verb.CREDITED,)),
    ("commitments_kept", "subject_id", (Verb.KEPT,)),
    ("commitments_missed", "subject_id", (Verb.MISSED,)),
)
MEMBER_COLUMNS = (
    "handle",
    "name",
    "email",
    "title",
    "department",
    "role",
    "active",
    "joined",
    "last_active",
    "trust",
    "trust_confidence",
)


def member_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    last_active = (
        Event.objects.filter(actor_id=OuterRef("user_id")).order_by("-time").values("time")[:1]
    )
    counts = {column: _events_counted(by, verbs) for column, by, verbs in ACTIVITY}
    return (
        Profile.objects.filter(organisation_id=organisation_id)
        .annotate(last_active=Subquery(last_active), **counts)
        .order_by("name", "pk")
        .values_list(
            "handle",
            "name",
            "user__email",
            "title",
            "department__name",
            "user__role",
            "user__is_active",
            "user__date_joined",
            "last_active",
            "user__trust_profile__trust",
            "user__trust_profile__confidence",
            *counts,
        )
        .iterator(chunk_size=CHUNK)
    )


def match_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    return (
        Match.objects.filter(program__organisation_id=organisation_id)
        .order_by("program_id", "pk")
        .values_list(
            "program__name",
            "program__status",
            "mentee__user__profile__handle",
            "mentee__user__profile__name",
            "mentor__user__profile__handle",
            "mentor__user__profile__name",
            "score",
            "adjusted",
            "reasons",
            "relationship_id",
        )
        .iterator(chunk_size=CHUNK)
    )


def ledger_rows(organisation_id: int, days: DateRange | None) -> Iterator[Sequence[Any]]:
    """Yield the events of the range, oldest first. Who gave feedback stays unsaid."""
    first, after = (days or check_date_range(None, None)).bounds()
    rows = (
        Event.objects.filter(organisation_id=organisation_id, time__gte=first, time__lt=after)
        .order_by("time", "pk")
        .values_list(
            "pk",
            "time",
            "actor__profile__handle",
            "verb",
            "subject__profile__handle",
            "object_type",
            "object_id",
            "value",
            "context",
        )
    )
    for pk, when, actor, verb, *rest in rows.iterator(chunk_size=CHUNK):
        yield (pk, when, "" if verb in ANONYMOUS else actor, verb, *rest)


def department_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    for d in queries.trust_by_department(organisation_id):
        yield (d.name, d.people, d.low, d.q1, d.median, d.q3, d.high, dict(d.dimensions))


def helper_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    for h in queries.under_recognised(organisation_id):
        yield (h.profile.handle, h.profile.name, h.given, h.recognised)


def at_risk_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    for c in queries.commitments_at_risk(organisation_id):
        handles = (c.committer.profile.handle, c.counterpart.profile.handle)
        yield (c.pk, c.text, *handles, c.due_at, c.is_overdue())


def ring_rows(organisation_id: int, _: DateRange | None) -> Iterable[Sequence[Any]]:
    for r in queries.suspected_rings(organisation_id):
        members = sorted(m.profile.handle for m in r.members.all())
        share = r.insularity()
        yield (r.pk, r.status, members, r.internal_events, r.outside_events, share, r.evidence)


@dataclass(frozen=True)
class Report:
    """One CSV an admin can download."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: Callable[[int, DateRange | None], Iterable[Sequence[Any]]]
    dated: bool = False


REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report(
            "members",
            "Members and their activity",
            (*MEMBER_COLUMNS, *(column for column, _, _ in ACTIVITY)),
            member_rows,
        ),
        Report(
            "matches",
            "Mentoring programme matches",
            (
                "program",
                "program_status",
                "mentee",
                "mentee_name",
                "mentor",
                "mentor_name",
                "score",
                "adjusted",
                "reasons",
                "relationship",
            ),
            match_rows,
        ),
        Report(
            "insights-departments",
            "Insights: trust by department",
            ("department", "people", "low", "q1", "median", "q3", "high", "dimension_medians"),
            department_rows,
        ),
        Report(
            "insights-under-recognised",
            "Insights: generous people rarely recognised",
            ("handle", "name", "given", "recognised"),
            helper_rows,
        ),
        Report(
            "insights-commitments-at-risk",
            "Insights: commitments at risk",
            ("id", "text", "committer", "counterpart", "due_at", "overdue"),
            at_risk_rows,
        ),
        Report(
            "insights-rings",
            "Insights: suspected rings of mutual praise",
            ("id", "status", "members", "internal", "outside", "share", "why"),
            ring_rows,
        ),
        Report(
            "ledger",
            "The ledger, for a date range",
            (
                "id",
                "time",
                "actor",
                "verb",
                "subject",
                "object_type",
                "object_id",
                "value",
                "context",
            ),
            ledger_rows,
            dated=True,
        ),
    )
}


def check_report(admin: User, name: str) -> Report:
    """Return the report called ``name`` if ``admin`` may download it (admins only)."""
    check_insights(admin)
    report = REPORTS.get(name)
    if report is None:
        raise ActionError(f"No report called {name!r}.", status=404)
    return report


def do_export_report(
    admin: User, name: str, start: date | None = None, end: date | None = None
) -> tuple[str, Iterator[str]]:
    """Audit the export and return its file name and its CSV lines (read as they are sent)."""
    report = check_report(admin, name)
    days = check_date_range(start, end) if report.dated else None
    details = {"report": name}
    if days is not None:
        details |= {"from": days.start.isoformat(), "to": days.end.isoformat()}
    with transaction.atomic():
        audit.record(Action.REPORT_EXPORTED, actor=admin, target=report.title, details=details)
    slug = organisation_of(admin).slug
    span = f"-{days.start}-to-{days.end}" if days else f"-{timezone.localdate()}"
    lines = csv_lines(report.header, report.rows(organisation_id_of(admin), days))
    return f"{slug}-{name}{span}.csv", lines
