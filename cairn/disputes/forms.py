"""Forms of the disputes pages; the actions validate again."""

from django import forms

from cairn.disputes.models import Dispute


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="Why is it unfair?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
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
    reason = forms.CharField(label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
