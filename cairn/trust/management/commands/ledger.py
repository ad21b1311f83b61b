"""``cairn ledger export --org SLUG --out FILE.csv``: the trust event contract, for the engine."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.commands import organisation_named
from cairn.trust.export import export_trust_events


class Command(BaseCommand):
    help = "Work with the activity ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the trust events of one organisation.")
        export.add_argument("--org", required=True, help="the organisation's short name (slug)")
        export.add_argument("--out", required=True, help="CSV file to write ('-' for stdout)")

    def handle(self, *args: object, **options: str) -> None:
        org = organisation_named(options["org"])

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rexported {done:,} of {total:,} events")
            sys.stderr.flush()

        if options["out"] == "-":
            count = export_trust_events(org, sys.stdout)
        else:
            path = Path(options["out"])
            if not path.parent.exists():
                raise CommandError(f"Folder {path.parent} does not exist.")
            with path.open("w", newline="", encoding="utf-8") as out:
                count = export_trust_events(org, out, progress)
            sys.stderr.write("\n")
        audit.record(
            Action.LEDGER_EXPORTED,
            organisation=org,
            target=options["out"],
            details={"events": count},
            actor_label="command line",
        )
        self.stderr.write(f"Wrote {count:,} events of {org.name}.")
