"""Forms of the disputes pages; the actions validate again."""

from django import forms

from cairn.disputes.models import Dispute
from cairn.fields import text_box


class DisputeForm(forms.Form):
    reason = text_box(
        4,
        label="Why is it unfair?",
        max_length=500,
        help_text="Say what happened, in a sentence or two. The reviewer will read it.",
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[
            (Dispute.Status.UPHELD, "Uphold: the evidence stands"),
            (Dispute.Status.OVERTURNED, "Overturn: it should no longer count"),
        ],
        widget=forms.RadioSelect,
    )
    reason = text_box(3, label="Why", max_length=500)
