"""``cairn xapi send|backfill --org SLUG``: send learning records to the organisation's LRS."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.progress import Progress

from cairn.commands import organisation_named
from cairn.ledger.models import Event
from cairn.xapi import actions
from cairn.xapi.models import LrsConnection
from cairn.xapi.statements import SENT_VERBS


class Command(BaseCommand):
    help = "Send learning records (xAPI) to an organisation's LRS; backfill sends history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["send", "backfill"])
        parser.add_argument("--org", help="The organisation's slug (send: all if omitted).")
        parser.add_argument("--since", help="backfill: history from this date (YYYY-MM-DD).")

    def handle(self, *args: object, **options: str) -> None:
        connections = LrsConnection.objects.filter(enabled=True).select_related("organisation")
        if options["org"]:
            connections = connections.filter(organisation=organisation_named(options["org"]))
            if not connections.exists():
                raise CommandError(f"--org {options['org']}: no learning record store is set up.")
        if options["what"] == "backfill":
            if not options["org"]:
                raise CommandError("backfill needs --org SLUG.")
            self._backfill(connections.get(), options["since"])
            return
        for connection in connections:
            if connection.is_due():
                report = actions.send_pending(connection.pk)
                self._say(connection, report)

    def _backfill(self, connection: LrsConnection, since: str | None) -> None:
        start = None
        if since:
            try:
                start = datetime.fromisoformat(since).replace(
                    tzinfo=timezone.get_current_timezone()
                )
            except ValueError as error:
                raise CommandError(f"--since {since!r}: use a date like 2026-01-31.") from error
        actions.do_backfill(connection, start)
        connection.refresh_from_db()
        total = Event.objects.filter(
            organisation_id=connection.organisation_id,
            pk__gt=connection.sent_through_event_id,
            verb__in=SENT_VERBS,
        ).count()
        with Progress(disable=not self.stderr.isatty()) as progress:
            bar = progress.add_task("Sending learning records", total=total)
            report = actions.send_pending(
                connection.pk, max_batches=10**9, progress=lambda n: progress.advance(bar, n)
            )
        self._say(connection, report)
        if report.error:
            raise CommandError(f"Stopped: {report.error} (run it again to carry on).")

    def _say(self, connection: LrsConnection, report: actions.SendReport) -> None:
        slug = connection.organisation.slug
        line = f"{slug}: {report.sent} statements sent in {report.batches} batches"
        self.stdout.write(line + (f"; {report.error}" if report.error else ""))
