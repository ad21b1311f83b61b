"""Form fields the apps' forms share."""

from typing import Any

from django import forms


def text_box(rows: int, **options: Any) -> forms.CharField:
    """Return a text field written in a box ``rows`` lines high; ``options`` as for
    ``CharField`` (``max_length``, ``required``, ``label``, ``help_text``...)."""
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **options)
