"""Check-ins: halfway through a relationship and at its end, each member says how it is going.

Asked by the scheduled job (``cairn relationship_health``), reminded once after a week, and
answered by the person on their own page. Answers reach the organisation's admins as counts and
averages (and the note meant for them); the other members never see them.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from cairn.checks import clean_text
from cairn.errors import ActionError
from cairn.learning.models import CheckIn, Relationship
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.locking import lock_row
from cairn.people.models import User

#: Halfway: after this many sessions, or this long after it began, whichever comes first.
MIDDLE_SESSIONS = 3
MIDDLE_AFTER = timedelta(days=42)
#: At the end: asked of relationships that ended within this window.
END_WITHIN = timedelta(days=30)
#: One reminder, this long after asking.
REMIND_AFTER = timedelta(days=7)


def _ask(relationships: list[Relationship], stage: str, now: datetime) -> int:
    asked = 0
    for relationship in relationships:
        members = [m.user_id for m in relationship.members.all()]
        already = set(
            relationship.check_ins.filter(stage=stage).values_list("person_id", flat=True)
        )
        wanted = [pk for pk in members if pk not in already]
        if not wanted:
            continue
        with transaction.atomic():
            created = CheckIn.objects.bulk_create(
                [
                    CheckIn(relationship=relationship, person_id=pk, stage=stage, asked_at=now)
                    for pk in wanted
                ],
                ignore_conflicts=True,
            )
            record(
                Verb.CHECK_IN_ASKED,
                actor=None,
                organisation=relationship.organisation,
                obj=relationship,
                context={"stage": stage, "notify": wanted},
            )
        asked += len(created)
    return asked


def do_ask_check_ins(now: datetime | None = None) -> int:
    """Ask each member of a relationship halfway and at its end; remind once after a week.

    Halfway is after three sessions or six weeks, whichever comes first; the end is completion
    or a kind close within the last 30 days. Run it as often as you like: nobody is asked twice
    for the same stage. Return how many people were asked or reminded.
    """
    now = now or timezone.now()
    started = Relationship.objects.filter(responded_at__isnull=False).prefetch_related("members")
    halfway = (
        started.filter(status=Relationship.Status.ACTIVE)
        .annotate(held=Count("sessions"))
        .filter(Q(held__gte=MIDDLE_SESSIONS) | Q(responded_at__lte=now - MIDDLE_AFTER))
        .exclude(check_ins__stage=CheckIn.Stage.MIDDLE)
        .select_related("organisation")
    )
    ended = (
        started.filter(
            status__in=(Relationship.Status.COMPLETED, Relationship.Status.CLOSED),
            completed_at__gte=now - END_WITHIN,
        )
        .exclude(check_ins__stage=CheckIn.Stage.END)
        .select_related("organisation")
    )
    asked = _ask(list(halfway), CheckIn.Stage.MIDDLE, now)
    asked += _ask(list(ended), CheckIn.Stage.END, now)
    return asked + _remind(now)


def _remind(now: datetime) -> int:
    due = CheckIn.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, asked_at__lte=now - REMIND_AFTER
    ).select_related("relationship__organisation")
    reminded = 0
    for check_in in due:
        with transaction.atomic():
            claimed = CheckIn.objects.filter(pk=check_in.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            record(
                Verb.CHECK_IN_ASKED,
                actor=None,
                organisation=check_in.relationship.organisation,
                obj=check_in.relationship,
                context={"stage": check_in.stage, "notify": [check_in.person_id], "again": True},
            )
            reminded += 1
    return reminded


def do_answer_check_in(
    user: User, check_in: CheckIn, usefulness: int, goal_moving: str, note_for_admins: str = ""
) -> CheckIn:
    """Record ``user``'s answer to their own check-in, once."""
    if check_in.person_id != user.pk:
        raise ActionError("Only the person asked answers a check-in.", status=403)
    if not 1 <= int(usefulness) <= 5:
        raise ActionError("Usefulness is from 1 to 5.", field="usefulness")
    if goal_moving not in CheckIn.Progress.values:
        raise ActionError("Say whether the goal is moving.", field="goal_moving")
    note = clean_text(note_for_admins, "note_for_admins", "your note", 2000, required=False)
    with transaction.atomic():
        locked = lock_row(check_in)
        if locked.is_answered():
            raise ActionError("You have answered this check-in already. Thank you!", status=409)
        locked.usefulness = int(usefulness)
        locked.goal_moving = goal_moving
        locked.note_for_admins = note
        locked.answered_at = timezone.now()
        locked.save(update_fields=["usefulness", "goal_moving", "note_for_admins", "answered_at"])
        # The answers stay out of the ledger: it is read by the feed and exported.
        record(Verb.CHECK_IN_ANSWERED, actor=user, obj=locked, context={"stage": locked.stage})
    return locked


def check_in_summary(check_ins: QuerySet[CheckIn]) -> dict[str, Any]:
    """Return the response rate, the mean usefulness and how many said the goal is moving."""
    figures = check_ins.aggregate(
        usefulness=Avg("usefulness"),
        asked=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        moving=Count("pk", filter=Q(goal_moving=CheckIn.Progress.YES)),
        somewhat=Count("pk", filter=Q(goal_moving=CheckIn.Progress.SOMEWHAT)),
        stuck=Count("pk", filter=Q(goal_moving=CheckIn.Progress.NO)),
    )
    if figures["usefulness"] is not None:
        figures["usefulness"] = round(figures["usefulness"], 1)
    figures["rate"] = round(100 * figures["answered"] / figures["asked"]) if figures["asked"] else 0
    return figures
