"""``cairn serve``: the development server plus the background task worker, together."""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Cairn on http://127.0.0.1:8000 with the background task worker running."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: object, **options: str) -> None:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "cairn", "db_worker", "--queue-name", "default", "--no-reload"]
        )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
