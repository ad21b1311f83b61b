"""``cairn worker``: the background task worker, which first takes back the tasks its own
previous run left half-done.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: if that
worker is killed (kill -9, a crash, a lost machine), the task would stay RUNNING for ever and, for
a trust recompute, the organisation's "queued" flag with it. Each worker has a stable id, so at
start-up any task still RUNNING under that id was left by a dead run of this very worker and is
made ready again. Tasks therefore run at least once; Cairn's tasks are safe to run twice.

The worker runs below the web server's CPU priority (``--nice``, default ``CAIRN_WORKER_NICE``
or 10): its passes are batch work, and where it shares cores with the web server a second of
trust recompute or index rebuild should wait for pages rather than pages for it.
"""

import os
import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cairn.env import env_int


def default_worker_id() -> str:
    """Return this machine's stable worker id."""
    return f"cairn-{socket.gethostname()}"[:64]


def requeue_abandoned(worker_id: str) -> int:
    """Make the tasks a dead run of ``worker_id`` left RUNNING ready again; return how many."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        abandoned = [task.pk for task in running if task.worker_ids[-1:] == [worker_id]]
        DBTaskResult.objects.filter(pk__in=abandoned).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return len(abandoned)


def lower_priority(niceness: int) -> int:
    """Add ``niceness`` (0 to 19) to this process's, so that it yields the CPU to the web
    server; return the niceness it now runs at."""
    if not 0 <= niceness <= 19:
        raise ValueError(f"--nice: {niceness} is not between 0 and 19")
    return os.nice(niceness)


class Command(BaseCommand):
    help = (
        "Run the background task worker, first requeueing tasks its previous run left unfinished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--worker-id",
            default=default_worker_id(),
            help="a stable id, unique among the running workers (default: cairn-HOSTNAME)",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=env_int("CAIRN_WORKER_NICE", 10),
            help="how far below the web server's CPU priority to run, 0 to 19 (default: "
            "CAIRN_WORKER_NICE or 10)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            lower_priority(options["nice"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        worker_id = options["worker_id"][:64]
        requeued = requeue_abandoned(worker_id)
        if requeued:
            self.stderr.write(f"Requeued {requeued} task(s) left unfinished by {worker_id}.")
        call_command(
            "db_worker",
            queue_name="default",
            worker_id=worker_id,
            reload=False,
            startup_delay=False,
        )
