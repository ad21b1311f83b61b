"""An outcomes page's figures as a CSV download: one ``figure,value`` row per figure."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import slugify

from cairn.spreadsheet import csv_lines


def figures_csv(name: str, rows: Iterable[tuple[str, object]]) -> HttpResponse:
    """Return ``rows`` as a CSV attachment called ``<name>-outcomes.csv``."""
    body = "".join(csv_lines(["figure", "value"], rows))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(name) or "page"}-outcomes.csv"'
    )
    return response
