"""Forms of the moderation pages; the actions validate again."""

from django import forms
from django.db import models

from cairn.fields import radio, text_box
from cairn.moderation.access import KINDS
from cairn.moderation.models import Flag

REASON_HELP = "The author reads it, with the decision. Who flagged it stays private."


class FlagForm(forms.Form):
    reason = radio(Flag.Reason.choices, label="What is wrong with it?")
    note = text_box(
        3,
        label="Anything the moderators should know?",
        required=False,
        max_length=500,
        help_text="Needed for “Something else”. Only moderators read it.",
    )


class DecisionForm(forms.Form):
    decision = radio(
        [
            ("hide", "Hide it from colleagues"),
            ("restore", "Show it again"),
            ("dismiss", "Dismiss the flags: leave it as it is"),
        ],
        label="Your decision",
    )
    reason = text_box(3, label="Why", max_length=500, help_text=REASON_HELP)


class RedactForm(forms.Form):
    """The item's text, to edit private information out of, and the reason."""

    def __init__(self, target: models.Model, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in KINDS[target._meta.label_lower].text_fields:
            field = target._meta.get_field(name)
            assert isinstance(field, models.Field)
            long = isinstance(field, models.TextField)
            self.fields[name] = forms.CharField(
                label=str(field.verbose_name).capitalize(),
                required=False,
                initial=getattr(target, name),
                widget=forms.Textarea(attrs={"rows": 6}) if long else forms.TextInput(),
            )
        self.fields["reason"] = text_box(3, label="Why", max_length=500, help_text=REASON_HELP)

    def texts(self) -> dict[str, str]:
        """Return the edited text fields (not the reason)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}
