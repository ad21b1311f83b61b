"""Rows to CSV text, a line at a time, safe to open in a spreadsheet (every CSV Cairn writes)."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

#: A cell starting with one of these is a formula to a spreadsheet; it is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def cell(value: Any) -> str:
    """Return ``value`` as CSV cell text: dates in ISO 8601, lists and dicts as JSON, and text
    that a spreadsheet would run as a formula quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Yield the header line, then one line per row, as they are read (constant memory)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([cell(value) for value in row])
