"""``cairn trust_snapshots``: copy everyone's stored trust into this week's snapshot."""

from django.core.management.base import BaseCommand

from cairn.people.models import Organisation
from cairn.trust.history import take_snapshots


class Command(BaseCommand):
    help = (
        "Copy the stored trust of every active member into this week's trust snapshot, so "
        "outcome pages can compare trust before and after. Idempotent: a second run in the "
        "same week overwrites the week's rows."
    )

    def handle(self, *args: object, **options: object) -> None:
        written = sum(
            take_snapshots(pk) for pk in Organisation.objects.values_list("pk", flat=True)
        )
        self.stdout.write(f"Wrote {written} trust snapshot(s) for this week.")
