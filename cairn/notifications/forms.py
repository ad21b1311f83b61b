"""Forms for the notification pages."""

from django import forms

from cairn.notifications.models import Category, Digest


class EmailSettingsForm(forms.Form):
    digest = forms.ChoiceField(choices=Digest.choices, widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        choices=Category.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
