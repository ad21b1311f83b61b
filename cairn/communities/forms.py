"""Forms for the community pages; each maps onto one action's arguments."""

from django import forms

from cairn.communities.models import Community
from cairn.fields import radio, text_box
from cairn.markdown import MARKDOWN_HELP


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For example “Data visualisation circle”.")
    description = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text="Who it is for, what you do together, how often you meet.",
    )
    policy = radio(Community.Policy.choices, initial=Community.Policy.OPEN, label="Who can join")


class JoinForm(forms.Form):
    message = forms.CharField(
        max_length=500,
        required=False,
        label="A word to the facilitators",
        help_text="Optional: what you hope to learn or bring.",
    )


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea,
        max_length=10000,
        label="What's on your mind",
        help_text=MARKDOWN_HELP,
    )


class ReplyForm(forms.Form):
    body = text_box(3, max_length=10000, label="Reply", help_text=MARKDOWN_HELP)


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    url = forms.URLField(max_length=500, label="Link", assume_scheme="https")
    note = text_box(
        3, required=False, max_length=2000, help_text="Why it helps, or what to read first."
    )
