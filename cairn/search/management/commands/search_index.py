"""``cairn search_index``: rebuild the search index (after an import, or a change of language)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cairn.commands import organisation_named
from cairn.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the current data: every organisation, or one. Saving "
        "keeps the index current; run this after loading data in bulk or changing an "
        "organisation's search language."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")

    def handle(self, *args: Any, organisation: str | None, **options: Any) -> None:
        organisation_id = organisation_named(organisation).pk if organisation else None
        written = rebuild(organisation_id)
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} things."))
