"""``cairn trust recompute --org SLUG``: a full trust pass over one organisation, with progress.

``cairn trust scores|predict|explain`` are the file tools (cairn/trust/cli.py), which run
without Django; ``cairn`` routes them there before Django starts.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.errors import ActionError
from cairn.trust import actions


class Command(BaseCommand):
    help = "Recompute stored trust from the ledger (the file tools are scores|predict|explain)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        recompute = sub.add_parser(
            "recompute", help="recompute everyone's trust in one organisation"
        )
        recompute.add_argument("--org", required=True, help="the organisation's slug")
        recompute.add_argument(
            "--progress", choices=("auto", "yes", "no"), default="auto", help="progress bar"
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        show = options["progress"] == "yes" or (
            options["progress"] == "auto" and sys.stderr.isatty()
        )

        def progress(step: str, done: int, total: int) -> None:
            if show and (done == total or done % 10 == 0):
                width = 24
                filled = width * done // max(total, 1)
                bar = "#" * filled + "-" * (width - filled)
                self.stderr.write(f"\r[{bar}] {step} {done}/{total}", ending="")
                if done == total:
                    self.stderr.write("")

        self.stderr.write("Reading the ledger and computing trust…")
        try:
            summary = actions.do_recompute(options["org"], progress=progress)
        except ActionError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed the trust of {summary['people']} people from "
                f"{summary['events']} events in {summary['seconds']:.2f} s "
                f"(engine {summary['compute_seconds']:.2f} s)."
            )
        )
