"""Per-organisation single sign-on: the forms an admin fills in, and what allauth needs to know.

Each organisation may have one OpenID Connect and one SAML connection. Each is an allauth
``SocialApp`` (hidden from the public sign-in page, so the list of customers does not leak) plus an
``SsoConnection`` row tying it to the organisation. People start at ``/sso/<slug>/``.
"""

from typing import Any

from cryptography import x509
from django import forms
from django.urls import reverse

from cairn.fields import text_box
from cairn.people.models import Organisation, SsoConnection

#: Names an identity provider may use for a person's display name (OIDC claims, SAML attributes).
NAME_KEYS = (
    "name",
    "displayName",
    "http://schemas.microsoft.com/identity/claims/displayname",
    "urn:oid:2.16.840.1.113730.3.1.241",
    "urn:oid:2.5.4.3",
)
GIVEN_KEYS = ("given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname")
FAMILY_KEYS = ("family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")


def provider_id_for(organisation: Organisation, kind: str) -> str:
    """Return the allauth provider id of an organisation's connection of this kind."""
    return f"{organisation.slug}-{kind}"


def login_url(connection: SsoConnection) -> str:
    """Return the allauth URL that starts a sign-in through this connection."""
    app = connection.social_app
    if connection.kind == SsoConnection.Kind.OIDC:
        return reverse("openid_connect_login", kwargs={"provider_id": app.provider_id})
    return reverse("saml_login", kwargs={"organization_slug": app.client_id})


def service_provider_urls(request: Any, connection: SsoConnection) -> dict[str, str]:
    """Return the URLs an admin gives their identity provider, by label."""
    app = connection.social_app
    absolute = request.build_absolute_uri
    if connection.kind == SsoConnection.Kind.OIDC:
        callback = reverse("openid_connect_callback", kwargs={"provider_id": app.provider_id})
        return {"Redirect (callback) URL": absolute(callback)}
    slug = app.client_id
    metadata = absolute(reverse("saml_metadata", kwargs={"organization_slug": slug}))
    return {
        "Entity ID and metadata URL": metadata,
        "Assertion consumer service (ACS) URL": absolute(
            reverse("saml_acs", kwargs={"organization_slug": slug})
        ),
    }


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value and str(value).strip():
            return str(value).strip()
    return ""


def display_name(extra_data: dict[str, Any] | None, email: str) -> str:
    """Return the person's name as the identity provider gave it, or their email's local part."""
    data: dict[str, Any] = {}
    for part in (extra_data or {}, (extra_data or {}).get("id_token") or {}):
        data.update(part if isinstance(part, dict) else {})
    userinfo = (extra_data or {}).get("userinfo")
    if isinstance(userinfo, dict):
        data.update(userinfo)
    name = _first(data, NAME_KEYS)
    if not name:
        name = " ".join(filter(None, [_first(data, GIVEN_KEYS), _first(data, FAMILY_KEYS)]))
    return name or email.split("@")[0]


def check_certificate(text: str) -> str:
    """Return the certificate's base64 body if ``text`` is a PEM (or bare base64) X.509 one."""
    body = "".join(
        line.strip()
        for line in text.strip().splitlines()
        if line.strip() and not line.strip().startswith("-----")
    )
    pem = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"
    try:
        x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise ValueError("This is not an X.509 certificate in PEM form.") from None
    return body


class OidcForm(forms.Form):
    server_url = forms.URLField(
        label="Issuer or discovery URL",
        help_text="For example https://login.example.com/ — we add "
        "/.well-known/openid-configuration if it is missing.",
        assume_scheme="https",
    )
    client_id = forms.CharField(label="Client ID", max_length=191)
    secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave blank to keep the secret already saved.",
    )


class SamlForm(forms.Form):
    entity_id = forms.CharField(label="Identity provider entity ID", max_length=300)
    sso_url = forms.URLField(
        label="Identity provider sign-on (SSO) URL", assume_scheme="https", max_length=500
    )
    x509cert = text_box(
        6,
        label="Identity provider signing certificate",
        help_text="The X.509 certificate in PEM form (-----BEGIN CERTIFICATE----- …).",
    )


class SsoFindForm(forms.Form):
    organisation = forms.CharField(
        label="Work email or organisation short name",
        max_length=254,
        help_text="For example you@northwind.example or northwind.",
    )
