"""cairn remind_commitments: remind people of due and overdue commitments (safe to rerun)."""

from typing import Any

from django.core.management.base import BaseCommand

from cairn.commitments.actions import do_send_reminders


class Command(BaseCommand):
    help = (
        "Remind committers a day before a commitment is due, ask counterparts once it is due "
        "whether it was kept, and ask again after CAIRN_COMMITMENT_GRACE_DAYS. Each reminder "
        "goes out once; nothing is ever counted as missed without the counterpart's word. "
        "Run it every hour or so."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = do_send_reminders()
        self.stdout.write(f"{created} reminder{'s' if created != 1 else ''} sent.")
