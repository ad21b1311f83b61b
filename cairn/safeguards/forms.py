from django import forms

from cairn.safeguards.models import RingFlag


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Your decision",
        choices=[
            (RingFlag.Status.CONFIRMED, "Confirm: their praise of each other stays uncounted"),
            (RingFlag.Status.DISMISSED, "Dismiss: nothing wrong, let it count again"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)
