"""Form fields the apps' forms share."""

from typing import Any

from django import forms


def text_box(rows: int, **options: Any) -> forms.CharField:
    """Return a text field written in a box ``rows`` lines high; ``options`` as for
    ``CharField`` (``max_length``, ``required``, ``label``, ``help_text``...)."""
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **options)


def radio(choices: Any, **options: Any) -> forms.ChoiceField:
    """Return a choice among ``choices`` answered with radio buttons, every option in sight;
    ``options`` as for ``ChoiceField`` (``label``, ``initial``, ``required``...)."""
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)


def score(label: str) -> forms.TypedChoiceField:
    """Return a score from 1 to 5 answered with radio buttons, cleaned to an int."""
    return forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        label=label,
    )


def split_list(text: str) -> list[str]:
    """Return the comma- or semicolon-separated items of ``text``, trimmed, blanks dropped."""
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]


class CommaSeparated(forms.CharField):
    """Several entries (skills, languages, domains) written on one line, separated by commas:
    cleaned to the list of them (:func:`split_list`), and a list it starts from shown joined.
    ``max_length`` bounds the line as written. Not required unless told."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("required", False)
        super().__init__(**options)

    def clean(self, value: Any) -> list[str]:
        return split_list(super().clean(value))

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value
