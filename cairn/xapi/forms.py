from django import forms


class LrsForm(forms.Form):
    endpoint = forms.URLField(
        max_length=300,
        label="LRS address",
        help_text="The xAPI base URL, e.g. https://lrs.example.org/xAPI",
        assume_scheme="https",
    )
    key = forms.CharField(max_length=200, label="Key (user name)")
    secret = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.PasswordInput,
        help_text="Leave empty to keep the saved secret.",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Send learning records")
    send_commitments = forms.BooleanField(
        required=False, label="Also send commitments kept and missed"
    )
    identify_by_email = forms.BooleanField(
        required=False,
        label="Name people by their email (otherwise by an opaque account id)",
    )
