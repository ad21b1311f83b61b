"""Record the directed people who never answered a request for help, once it has expired."""

from django.core.management.base import BaseCommand

from cairn.exchange.actions import do_expire_help_requests


class Command(BaseCommand):
    help = (
        "Record `unanswered` for each person a request for help was directed at who never "
        "responded within CAIRN_REQUEST_EXPIRY_DAYS. Safe to run often: each request once."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = do_expire_help_requests()
        self.stdout.write(f"Recorded {count} unanswered request{'s' if count != 1 else ''}.")
