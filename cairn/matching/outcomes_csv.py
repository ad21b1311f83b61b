"""The outcomes of a programme as a CSV download: one row per figure."""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify

from cairn.matching.models import Program
from cairn.matching.outcomes import Outcomes


def outcomes_csv(program: Program, outcomes: Outcomes) -> HttpResponse:
    """Return the figures as ``figure,value`` rows, named after the programme."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["figure", "value"])
    for label, value in outcomes.rows():
        writer.writerow([label, "" if value is None else value])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = slugify(program.name) or "programme"
    response["Content-Disposition"] = f'attachment; filename="{name}-outcomes.csv"'
    return response
