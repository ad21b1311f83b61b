"""cairn send_digests --period daily|weekly: email each person their unread notifications."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cairn.notifications.actions import do_send_digests


class Command(BaseCommand):
    help = (
        "Email a digest of unread notifications to everyone who chose this period (weekly is "
        "the default). At most one digest per person per day (daily) or ISO week (weekly): "
        "running it again in the same period sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = do_send_digests(options["period"])
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
