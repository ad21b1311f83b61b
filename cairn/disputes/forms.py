"""Forms of the disputes pages; the actions validate again."""

from django import forms

from cairn.disputes.models import Dispute
from cairn.fields import radio, text_box


class DisputeForm(forms.Form):
    reason = text_box(
        4,
        label="Why is it unfair?",
        max_length=500,
        help_text="Say what happened, in a sentence or two. The reviewer will read it.",
    )


class ResolveForm(forms.Form):
    outcome = radio(
        [
            (Dispute.Status.UPHELD, "Uphold: the evidence stands"),
            (Dispute.Status.OVERTURNED, "Overturn: it should no longer count"),
        ],
        label="Your decision",
    )
    reason = text_box(3, label="Why", max_length=500)
