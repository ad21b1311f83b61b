"""``cairn serve``: the development server, the background task worker and the scheduled jobs."""

import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

PERIODIC_EVERY_SECONDS = 15 * 60


class Command(BaseCommand):
    help = (
        "Serve Cairn on http://127.0.0.1:8000 with the background task worker running and the "
        "scheduled jobs (cairn periodic) run every 15 minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: object, **options: str) -> None:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "cairn", "worker"]
        )
        stop = threading.Event()
        scheduler = threading.Thread(target=self._periodic, args=(stop,), daemon=True)
        scheduler.start()
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            stop.set()
            worker.terminate()
            worker.wait(timeout=10)

    def _periodic(self, stop: threading.Event) -> None:
        while not stop.wait(PERIODIC_EVERY_SECONDS):
            subprocess.run(  # noqa: S603 - our own interpreter and command
                [sys.executable, "-m", "cairn", "periodic"], check=False, capture_output=True
            )
