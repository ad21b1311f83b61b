from django import forms

from cairn.fields import radio
from cairn.safeguards.models import RingFlag


class ReviewForm(forms.Form):
    status = radio(
        [
            (RingFlag.Status.CONFIRMED, "Confirm: their praise of each other stays uncounted"),
            (RingFlag.Status.DISMISSED, "Dismiss: nothing wrong, let it count again"),
        ],
        label="Your decision",
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)
