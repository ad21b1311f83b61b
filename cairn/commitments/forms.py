"""Forms for the commitment pages; each maps onto one action's arguments."""

import zoneinfo
from datetime import date, datetime, time

from django import forms

from cairn.commitments.models import Commitment
from cairn.people.models import User
from cairn.people.pickers import PersonField


def end_of_day(day: date, user: User) -> datetime:
    """Return the end of ``day`` in the person's own time zone ("by Friday" means Friday night)."""
    name = getattr(getattr(user, "profile", None), "timezone", "UTC") or "UTC"
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return datetime.combine(day, time(23, 59), tzinfo=zone)


class DateInput(forms.DateInput):
    input_type = "date"


class CommitmentForm(forms.Form):
    text = forms.CharField(
        max_length=200,
        label="What you commit to",
        help_text="For example: I'll review your draft.",
    )
    due_date = forms.DateField(widget=DateInput, label="By when")
    context = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        self.fields["counterpart"] = PersonField(chooser=user, label="To whom")
        self.order_fields(["counterpart", "text", "due_date", "context"])

    def due_at(self) -> datetime:
        return end_of_day(self.cleaned_data["due_date"], self.user)


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(Commitment.Status.KEPT, "Kept"), (Commitment.Status.MISSED, "Missed")]
    )


class RenegotiateForm(forms.Form):
    due_date = forms.DateField(widget=DateInput, label="New date")
    reason = forms.CharField(max_length=300, label="Why the date changes")


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Why (a line is enough)")
