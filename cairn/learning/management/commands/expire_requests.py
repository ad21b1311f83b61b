"""`cairn expire_requests`: expire mentoring requests nobody answered (safe to run often)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cairn.learning.actions import expire_requests


class Command(BaseCommand):
    help = (
        "Expire mentoring and partnership requests unanswered for CAIRN_REQUEST_EXPIRY_DAYS "
        "days, recording 'unanswered'. Idempotent: run it from cron as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = expire_requests()
        days = settings.CAIRN_REQUEST_EXPIRY_DAYS
        self.stdout.write(f"Expired {count} request(s) unanswered for {days} days or more.")
