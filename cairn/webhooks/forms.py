from django import forms

from cairn.people.models import Skill
from cairn.webhooks.models import Endpoint
from cairn.webhooks.payloads import CHANNEL_DEFAULTS, CHANNEL_EVENT_TYPES, EVENT_TYPES

EVENT_CHOICES = list(EVENT_TYPES.items())


class WebhookForm(forms.Form):
    url = forms.URLField(
        max_length=500,
        label="Address",
        help_text="Where Cairn POSTs each event, e.g. https://hooks.example.org/cairn",
        assume_scheme="https",
    )
    description = forms.CharField(max_length=200, required=False, label="What it is for")
    event_types = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, label="Send when someone…"
    )


class WebhookChangeForm(WebhookForm):
    enabled = forms.BooleanField(required=False, label="Send events to this webhook")
    new_secret = forms.BooleanField(
        required=False, label="Make a new signing secret (the old one stops working)"
    )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in Endpoint.Kind.choices if c[0] != Endpoint.Kind.WEBHOOK],
        label="Chat app",
    )
    url = forms.URLField(
        max_length=500,
        required=False,
        label="Incoming-webhook address",
        help_text="From Slack's “Incoming Webhooks” app, or a Teams channel's “Workflows: post to "
        "a channel when a webhook request is received”. Leave empty to keep the saved one.",
        assume_scheme="https",
    )
    event_types = forms.MultipleChoiceField(
        choices=list(CHANNEL_EVENT_TYPES.items()),
        initial=list(CHANNEL_DEFAULTS),
        widget=forms.CheckboxSelectMultiple,
        label="Post when someone…",
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.none(),
        required=False,
        label="Also post requests for help and posts tagged",
        help_text="Besides what happens in this community.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Post to this channel")

    def __init__(self, *args: object, organisation_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["skills"]
        field.queryset = Skill.objects.filter(organisation_id=organisation_id)  # type: ignore[attr-defined]
