"""Forms for the notification pages."""

from django import forms

from cairn.fields import radio
from cairn.notifications.models import Category, Digest


class EmailSettingsForm(forms.Form):
    digest = radio(Digest.choices)
    categories = forms.MultipleChoiceField(
        choices=Category.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
