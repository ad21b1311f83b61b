"""Help given before and after a moment, for a group and for everyone else beside it.

Outcome pages (a programme's, a community's) use it so nobody mistakes a trend in the whole
organisation for the effect of taking part.
"""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from cairn.ledger.models import Event, Verb

#: What counts as helping someone.
HELPING = (Verb.HELPED, Verb.RESPONDED, Verb.MENTORED, Verb.SHARED, Verb.LESSON_SHARED)


def helping_before_after(
    organisation_id: int,
    user_ids: Collection[int],
    pivot: datetime,
    window: timedelta,
    names: tuple[str, str] = ("participants", "everyone else"),
) -> list[tuple[str, float, float]]:
    """Return (who, before, after): help given per person per month by ``user_ids`` and by
    everyone else active in the organisation, in the ``window`` before ``pivot`` and the
    ``window`` after it. Two queries, whatever the organisation's size."""
    chosen = list(user_ids)
    days = max(1, window.days)
    before = Q(time__gte=pivot - window, time__lt=pivot)
    after = Q(time__gte=pivot, time__lt=pivot + window)
    mine, theirs = Q(actor_id__in=chosen), ~Q(actor_id__in=chosen)
    figures = Event.objects.filter(organisation_id=organisation_id, verb__in=HELPING).aggregate(
        mine_before=Count("pk", filter=before & mine),
        mine_after=Count("pk", filter=after & mine),
        theirs_before=Count("pk", filter=before & theirs),
        theirs_after=Count("pk", filter=after & theirs),
    )
    others = (
        get_user_model()
        .objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(pk__in=chosen)
        .count()
    )
    per_month = 30 / days

    def rate(count: int, size: int) -> float:
        return round(count * per_month / size, 2) if size else 0.0

    return [
        (
            names[0],
            rate(figures["mine_before"], len(chosen)),
            rate(figures["mine_after"], len(chosen)),
        ),
        (names[1], rate(figures["theirs_before"], others), rate(figures["theirs_after"], others)),
    ]
