"""What a mentoring programme achieved, for its admins: one query per figure, whatever its size.

Counts and averages only: who rated whom, session notes and check-in answers stay out (the
check-ins' notes for admins are read on the "needs attention" page). Helping behaviour is
compared before and after the matches were published, for participants and, beside them, for
everyone else in the organisation, so nobody mistakes a trend for the programme's effect.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from cairn.learning.actions import check_in_summary
from cairn.learning.models import CheckIn, Feedback, Goal, Relationship, Session
from cairn.ledger.helping import helping_before_after
from cairn.matching.models import Match, Program
from cairn.trust.history import BeforeAfter, trust_before_after, trust_rows

#: The longest window compared before and after publication.
LONGEST_WINDOW = timedelta(days=90)


@dataclass
class Outcomes:
    """The figures of one programme's outcomes page (and its CSV)."""

    mentees: int = 0
    mentors: int = 0
    matched: int = 0
    relationships: int = 0
    median_days_to_first_session: float | None = None
    without_session: int = 0
    health: list[tuple[str, int]] = field(default_factory=list)
    sessions_by_week: list[tuple[str, int]] = field(default_factory=list)
    sessions_per_pair: float = 0.0
    goals_set: int = 0
    goals_progressed: int = 0
    goals_achieved: int = 0
    check_ins: dict[str, object] = field(default_factory=dict)
    feedback: list[tuple[str, float]] = field(default_factory=list)
    feedback_count: int = 0
    window_days: int = 0
    helping: list[tuple[str, float, float]] = field(default_factory=list)
    trust: list[BeforeAfter] = field(default_factory=list)

    def rows(self) -> list[tuple[str, object]]:
        """Return every figure as (what, value) for the table and the CSV."""
        rows: list[tuple[str, object]] = [
            ("Mentees who signed up", self.mentees),
            ("Mentors who signed up", self.mentors),
            ("Mentees matched", self.matched),
            ("Relationships started", self.relationships),
            ("Median days from match to first session", self.median_days_to_first_session),
            ("Relationships without a session yet", self.without_session),
            ("Sessions per pair", self.sessions_per_pair),
            *((f"Relationships {label.lower()}", count) for label, count in self.health),
            ("Goals set by participants since the programme opened", self.goals_set),
            ("Participants' goals with a milestone reached", self.goals_progressed),
            ("Participants' goals achieved", self.goals_achieved),
            ("Check-ins asked", self.check_ins.get("asked", 0)),
            ("Check-ins answered", self.check_ins.get("answered", 0)),
            ("Usefulness in check-ins (of 5)", self.check_ins.get("usefulness")),
            ("Feedback given in the programme", self.feedback_count),
            *((f"Feedback: {label} (of 5)", value) for label, value in self.feedback),
        ]
        for who, before, after in self.helping:
            rows.append((f"Help given per person per month, {who}, before", before))
            rows.append((f"Help given per person per month, {who}, after", after))
        rows.extend(trust_rows(self.trust))
        return rows


def programme_outcomes(program: Program, now: datetime | None = None) -> Outcomes:
    """Return the outcomes of ``program`` as of ``now``."""
    now = now or timezone.now()
    out = Outcomes()
    roles = dict(
        program.participants.values_list("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    out.mentees, out.mentors = roles.get("mentee", 0), roles.get("mentor", 0)
    matches = Match.objects.filter(program=program, mentor__isnull=False)
    out.matched = matches.count()
    relationship_ids = list(
        matches.filter(relationship__isnull=False).values_list("relationship_id", flat=True)
    )
    relationships = Relationship.objects.filter(pk__in=relationship_ids)
    out.relationships = len(relationship_ids)
    _sessions(out, relationships, now)
    _health(out, relationships, now)
    participants = list(program.participants.values_list("user_id", flat=True))
    _goals(out, program, participants)
    out.check_ins = check_in_summary(CheckIn.objects.filter(relationship__in=relationships))
    _feedback(out, relationship_ids)
    if program.published_at:
        _helping(out, program, participants, now)
        out.trust = trust_before_after(
            program.organisation_id, participants, program.published_at.date(), now.date()
        )
    return out


def _sessions(out: Outcomes, relationships, now: datetime) -> None:
    firsts = relationships.annotate(first=Min("sessions__held_at")).values_list(
        "responded_at", "created_at", "first"
    )
    waits = [
        max(0.0, (first - (responded or created)).total_seconds() / 86400)
        for responded, created, first in firsts
        if first is not None
    ]
    out.without_session = sum(1 for *_, first in firsts if first is None)
    if waits:
        out.median_days_to_first_session = round(statistics.median(waits), 1)
    held = list(Session.objects.filter(relationship__in=relationships).values_list("held_at"))
    if out.relationships:
        out.sessions_per_pair = round(len(held) / out.relationships, 1)
    if held:
        start = min(h for (h,) in held)
        weeks = int((now - start).days // 7) + 1
        counts = [0] * weeks
        for (h,) in held:
            counts[min(weeks - 1, (h - start).days // 7)] += 1
        out.sessions_by_week = [
            (f"Week of {(start + timedelta(weeks=i)):%d %b}", n) for i, n in enumerate(counts)
        ][-16:]


def _health(out: Outcomes, relationships, now: datetime) -> None:
    counts = dict.fromkeys(Relationship.Health.labels, 0)
    ended = {Relationship.Status.COMPLETED.label: 0, Relationship.Status.CLOSED.label: 0}
    for relationship in relationships.only(
        "status", "rhythm_days", "last_active_at", "responded_at", "created_at"
    ):
        if relationship.status == Relationship.Status.ACTIVE:
            counts[relationship.health_label(now)] += 1
        elif relationship.status in (Relationship.Status.COMPLETED, Relationship.Status.CLOSED):
            ended[relationship.get_status_display()] += 1
    out.health = [*counts.items(), *ended.items()]


def _goals(out: Outcomes, program: Program, participants: list[int]) -> None:
    goals = Goal.objects.filter(owner_id__in=participants, organisation_id=program.organisation_id)
    figures = goals.progress_since(program.opens_at)
    out.goals_set, out.goals_progressed = figures["set"], figures["progressed"]
    out.goals_achieved = figures["achieved"]


def _feedback(out: Outcomes, relationship_ids: list[int]) -> None:
    given = Feedback.objects.filter(
        Q(content_type__app_label="learning", content_type__model="relationship")
        & Q(object_id__in=relationship_ids)
        | Q(content_type__app_label="learning", content_type__model="session")
        & Q(object_id__in=Session.objects.filter(relationship_id__in=relationship_ids).values("pk"))
    )
    out.feedback_count = given.count()
    # Averages only once no single answer can be picked out.
    if out.feedback_count >= 3:
        for dimension in Feedback.DIMENSIONS:
            values = list(given.values_list(dimension, flat=True))
            # Every feedback dimension is a column, never a relation, so it has a verbose name.
            label = Feedback._meta.get_field(dimension).verbose_name  # type: ignore[union-attr]
            out.feedback.append((str(label), round(sum(values) / len(values), 1)))


def _helping(out: Outcomes, program: Program, participants: list[int], now: datetime) -> None:
    published = program.published_at
    assert published is not None
    window = min(LONGEST_WINDOW, now - published, published - program.opens_at + LONGEST_WINDOW)
    out.window_days = max(1, window.days)
    out.helping = helping_before_after(program.organisation_id, participants, published, window)
