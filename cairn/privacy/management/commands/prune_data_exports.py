"""``cairn prune_data_exports``: delete copies of people's data whose 7 days are over."""

from django.core.management.base import BaseCommand

from cairn.privacy.actions import do_prune_data_exports


class Command(BaseCommand):
    help = "Delete the copies of people's data whose 7 days are over (run by `cairn periodic`)."

    def handle(self, *args: object, **options: object) -> None:
        deleted = do_prune_data_exports()
        self.stdout.write(f"{deleted} expired data export(s) deleted.")
