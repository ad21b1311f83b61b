"""Forms of the privacy pages."""

from django import forms


class EraseForm(forms.Form):
    """Confirm an erasure by typing the account's email address."""

    confirm = forms.CharField(
        label="Type the email address of the account to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
