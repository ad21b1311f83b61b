"""What the health check reports: the database answers, the cache answers, and the task worker
keeps up.

The worker has no heartbeat of its own, so its health is read from the queue it serves: a task
that has been ready to run for longer than ``CAIRN_WORKER_LATE_SECONDS`` means no worker is
taking work. ``cairn periodic`` enqueues a :func:`~cairn.web.tasks.heartbeat` task on every run,
so the queue is never idle for long and a dead worker shows within one period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Max, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


@dataclass(frozen=True)
class WorkerHealth:
    """The task queue as the health check sees it."""

    waiting: int
    oldest_waiting_seconds: float | None
    last_finished_at: datetime | None
    late_after_seconds: int

    @property
    def late(self) -> bool:
        """Return whether a ready task has waited longer than a live worker would let it."""
        return (self.oldest_waiting_seconds or 0.0) > self.late_after_seconds

    def as_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready values."""
        return {
            "status": "late" if self.late else "ok",
            "waiting": self.waiting,
            "oldest_waiting_seconds": (
                None
                if self.oldest_waiting_seconds is None
                else round(self.oldest_waiting_seconds, 1)
            ),
            "last_finished_at": (
                self.last_finished_at.isoformat() if self.last_finished_at else None
            ),
        }


def database_ok() -> bool:
    """Return whether the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def cache_ok() -> bool:
    """Return whether the cache stores and returns a value. A shared cache (``CACHE_URL``) that
    is down costs every signed-in request a session query, and coalescing of outgoing
    deliveries; pages still work."""
    try:
        cache.set("healthz", "ok", timeout=60)
        return bool(cache.get("healthz") == "ok")
    except Exception:  # whatever the backend raises when it cannot be reached
        return False


def worker_health(now: datetime | None = None) -> WorkerHealth:
    """Return how long the oldest runnable task has waited, and when a task last finished.

    A task scheduled for later (``run_after``) counts as waiting only from that moment.
    """
    now = now or timezone.now()
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min(ready_since))
    finished = DBTaskResult.objects.finished().aggregate(last=Max("finished_at"))
    oldest = waiting["oldest"]
    return WorkerHealth(
        waiting=waiting["count"],
        oldest_waiting_seconds=(now - oldest).total_seconds() if oldest else None,
        last_finished_at=finished["last"],
        late_after_seconds=settings.CAIRN_WORKER_LATE_SECONDS,
    )
