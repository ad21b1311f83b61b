"""``cairn safeguards_scan``: correct serial and burst praise and flag rings (idempotent)."""

from django.core.management.base import BaseCommand

from cairn.safeguards.actions import do_scan


class Command(BaseCommand):
    help = "Correct serial thanks, credits and ratings, and flag suspected rings to admins."

    def handle(self, *args: object, **options: object) -> None:
        done = do_scan()
        self.stdout.write(
            f"corrected {done['corrected']} events in {done['corrections']} corrections; "
            f"{done['rings']} new suspected rings"
        )
