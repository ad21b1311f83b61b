"""Per-organisation single sign-on: an admin configures OIDC or SAML, and people sign in through
it. The identity provider is mocked at the HTTP level (OIDC) and at python3-saml (SAML ACS)."""

import base64
import json
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import override_settings
from django.urls import reverse

from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.people.actions import do_configure_sso
from cairn.people.models import SsoConnection, User
from cairn.testing import CairnTestCase

IDP = "https://idp.acme.example"
DISCOVERY = {
    "issuer": IDP,
    "authorization_endpoint": f"{IDP}/authorize",
    "token_endpoint": f"{IDP}/token",
    "userinfo_endpoint": f"{IDP}/userinfo",
    "jwks_uri": f"{IDP}/jwks",
    "token_endpoint_auth_methods_supported": ["client_secret_post"],
}


def self_signed_certificate() -> str:
    """Return a throwaway identity-provider signing certificate in PEM form."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.example")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


class FakeIdentityProvider:
    """Answers the HTTP calls allauth makes to an OIDC provider: discovery, token, userinfo."""

    def __init__(self, userinfo: dict[str, Any]) -> None:
        self.userinfo = userinfo
        self.calls: list[tuple[str, str]] = []

    def __call__(self, session: Any, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.calls.append((method, url))
        bodies = {
            f"{IDP}/.well-known/openid-configuration": DISCOVERY,
            f"{IDP}/token": {"access_token": "at-123", "token_type": "Bearer", "expires_in": 60},
            f"{IDP}/userinfo": self.userinfo,
        }
        response = requests.Response()
        response.url = url
        if url in bodies:
            response.status_code = 200
            response._content = json.dumps(bodies[url]).encode()
            response.headers["Content-Type"] = "application/json"
        else:
            response.status_code = 404
            response._content = b"{}"
        return response


class SsoCase(CairnTestCase):
    certificate: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.certificate = self_signed_certificate()

    def configure_oidc(self, **overrides: str) -> SsoConnection:
        config = {"server_url": IDP, "client_id": "cairn-acme", "secret": "s3cret"} | overrides
        return do_configure_sso(self.alice, "oidc", **config)

    def configure_saml(self) -> SsoConnection:
        return do_configure_sso(
            self.alice,
            "saml",
            entity_id=f"{IDP}/saml",
            sso_url=f"{IDP}/saml/sso",
            x509cert=self.certificate,
        )


class ConfigureActionTest(SsoCase):
    def test_it_creates_a_hidden_oidc_app_for_the_organisation_and_records_it(self) -> None:
        connection = self.configure_oidc()
        app = connection.social_app
        self.assertEqual((connection.organisation, connection.kind), (self.acme, "oidc"))
        self.assertEqual((app.provider, app.provider_id), ("openid_connect", "acme-oidc"))
        self.assertEqual((app.client_id, app.secret), ("cairn-acme", "s3cret"))
        self.assertEqual(app.settings, {"server_url": IDP, "hidden": True})
        event = Event.objects.get(verb=Verb.SSO_CONFIGURED)
        self.assertEqual((event.actor, event.organisation), (self.alice, self.acme))
        self.assertNotIn("s3cret", json.dumps(event.context))

    def test_updating_keeps_one_app_and_a_blank_secret_keeps_the_old_one(self) -> None:
        self.configure_oidc()
        connection = self.configure_oidc(client_id="cairn-acme-2", secret="")
        self.assertEqual(SocialApp.objects.count(), 1)
        self.assertEqual(connection.social_app.client_id, "cairn-acme-2")
        self.assertEqual(connection.social_app.secret, "s3cret")
        self.assertEqual(Event.objects.filter(verb=Verb.SSO_CONFIGURED).count(), 2)

    def test_it_creates_a_saml_app_keyed_by_the_organisation_slug(self) -> None:
        app = self.configure_saml().social_app
        self.assertEqual(
            (app.provider, app.provider_id, app.client_id), ("saml", "acme-saml", "acme")
        )
        self.assertEqual(app.settings["idp"]["sso_url"], f"{IDP}/saml/sso")
        self.assertNotIn("BEGIN CERTIFICATE", app.settings["idp"]["x509cert"])

    def test_bad_input_names_the_field_and_leaves_no_rows(self) -> None:
        cases = [
            (
                "oidc",
                {"server_url": "http://idp.example", "client_id": "x", "secret": "y"},
                "server_url",
            ),
            ("oidc", {"server_url": IDP, "client_id": "", "secret": "y"}, "client_id"),
            ("oidc", {"server_url": IDP, "client_id": "x", "secret": ""}, "secret"),
            (
                "saml",
                {"entity_id": "e", "sso_url": f"{IDP}/sso", "x509cert": "nonsense"},
                "x509cert",
            ),
            (
                "saml",
                {"entity_id": "e", "sso_url": "ftp://x", "x509cert": self.certificate},
                "sso_url",
            ),
            ("ldap", {}, "kind"),
            ("oidc", {"server_url": IDP, "client_id": "x", "secret": "y", "extra": "z"}, "extra"),
        ]
        for kind, config, field in cases:
            with self.subTest(field=field), self.assertRaises(ActionError) as caught:
                do_configure_sso(self.alice, kind, **config)
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(SocialApp.objects.exists())
        self.assertFalse(Event.objects.filter(verb=Verb.SSO_CONFIGURED).exists())

    def test_members_cannot_configure(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_configure_sso(self.bob, "oidc", server_url=IDP, client_id="x", secret="y")
        self.assertEqual(caught.exception.status, 403)


class ConfigurePageTest(SsoCase):
    url = "/organisation/sso/"

    def post_oidc(self, **data: str):
        fields = {"server_url": IDP, "client_id": "cairn-acme", "secret": "s3cret"} | data
        return self.client.post(
            self.url, {"kind": "oidc", **{f"oidc-{k}": v for k, v in fields.items()}}
        )

    def test_before_any_connection_the_entry_page_is_named_but_not_a_dead_link(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Single sign-on is not set up yet")
        self.assertNotContains(response, 'href="http://testserver/sso/acme/"')
        self.assertEqual(self.client.get("/sso/acme/").status_code, 404)
        self.post_oidc()
        response = self.client.get(self.url)
        self.assertContains(response, 'href="http://testserver/sso/acme/"')
        self.assertEqual(self.client.get("/sso/acme/").status_code, 200)

    def test_an_admin_configures_oidc_and_sees_the_callback_url(self) -> None:
        self.client.force_login(self.alice)
        response = self.post_oidc()
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        response = self.client.get(self.url)
        self.assertContains(response, "OpenID Connect single sign-on is saved.")
        self.assertContains(response, "http://testserver/accounts/oidc/acme-oidc/login/callback/")
        self.assertContains(response, 'value="cairn-acme"')
        self.assertNotContains(response, "s3cret")
        self.assertContains(response, "http://testserver/sso/acme/")

    def test_an_admin_configures_saml_and_sees_the_acs_url(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            self.url,
            {
                "kind": "saml",
                "saml-entity_id": f"{IDP}/saml",
                "saml-sso_url": f"{IDP}/saml/sso",
                "saml-x509cert": self.certificate,
            },
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        response = self.client.get(self.url)
        self.assertContains(response, "http://testserver/accounts/saml/acme/acs/")

    def test_bad_input_is_a_field_error_not_a_500(self) -> None:
        self.client.force_login(self.alice)
        response = self.post_oidc(server_url="http://plain.example")
        self.assertContains(response, "Enter a full https:// address.", status_code=400)
        response = self.post_oidc(server_url="not a url")
        self.assertContains(response, "Enter a valid URL", status_code=400)
        response = self.client.post(self.url, {"kind": "nonsense"})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(self.url, {"kind": "saml", "saml-x509cert": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(SocialApp.objects.exists())

    def test_members_get_403(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.post_oidc().status_code, 403)
        self.assertFalse(SocialApp.objects.exists())

    def test_people_without_an_organisation_get_404(self) -> None:
        staff = User.objects.create_user("staff@cairn.example", "x", is_staff=True)
        self.client.force_login(staff)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_anonymous_visitors_are_asked_to_sign_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"/accounts/login/?next={self.url}", fetch_redirect_response=False
        )

    def test_another_organisations_admin_sees_only_their_own(self) -> None:
        self.configure_oidc()
        self.oscar.role = User.Role.ADMIN
        self.oscar.save(update_fields=["role"])
        self.client.force_login(self.oscar)
        response = self.client.get(self.url)
        self.assertNotContains(response, "cairn-acme")
        self.assertNotContains(response, "acme-oidc")
        self.assertContains(response, "/sso/globex/")


class EntryPointTest(SsoCase):
    def test_a_work_email_or_short_name_finds_the_organisations_sign_on(self) -> None:
        self.configure_oidc()
        for text in ("dana@acme.example", "acme", " ACME "):
            with self.subTest(text):
                response = self.client.get("/sso/", {"organisation": text})
                self.assertRedirects(response, "/sso/acme/", fetch_redirect_response=False)

    def test_an_organisation_without_sign_on_is_a_clear_error(self) -> None:
        response = self.client.get("/sso/", {"organisation": "globex"})
        self.assertContains(response, "We found no single sign-on for that.")
        self.assertEqual(self.client.get("/sso/globex/").status_code, 404)
        self.assertEqual(self.client.get("/sso/no-such-org/").status_code, 404)

    def test_the_entry_page_offers_each_connection(self) -> None:
        self.configure_oidc()
        self.configure_saml()
        response = self.client.get("/sso/acme/")
        self.assertContains(response, "Sign in to Acme Learning")
        self.assertContains(response, 'action="/accounts/oidc/acme-oidc/login/"')
        self.assertContains(response, 'action="/accounts/saml/acme/login/"')

    def test_the_public_sign_in_page_does_not_list_organisations(self) -> None:
        self.configure_oidc()
        self.configure_saml()
        response = self.client.get(reverse("account_login"))
        self.assertNotContains(response, "Acme")
        self.assertContains(response, 'href="/sso/"')


class OidcSignInTest(SsoCase):
    def setUp(self) -> None:
        self.configure_oidc()

    def sign_in(self, userinfo: dict[str, Any]):
        idp = FakeIdentityProvider(userinfo)
        with mock.patch.object(requests.Session, "request", autospec=True, side_effect=idp):
            response = self.client.post("/accounts/oidc/acme-oidc/login/", {"next": "/home/"})
            self.assertEqual(response.status_code, 302)
            authorize = urlparse(response["Location"])
            self.assertEqual(
                f"{authorize.scheme}://{authorize.netloc}{authorize.path}", f"{IDP}/authorize"
            )
            query = parse_qs(authorize.query)
            self.assertEqual(query["client_id"], ["cairn-acme"])
            response = self.client.get(
                "/accounts/oidc/acme-oidc/login/callback/",
                {"code": "auth-code", "state": query["state"][0]},
            )
        self.assertIn(("POST", f"{IDP}/token"), idp.calls)
        return response

    def signed_in_user(self) -> User | None:
        pk = self.client.session.get("_auth_user_id")
        return User.objects.get(pk=pk) if pk else None

    def test_a_new_person_joins_the_organisation(self) -> None:
        response = self.sign_in(
            {
                "sub": "idp-42",
                "email": "dana@acme.example",
                "email_verified": True,
                "name": "Dana Diaz",
            }
        )
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        dana = self.signed_in_user()
        assert dana is not None
        self.assertEqual((dana.email, dana.organisation), ("dana@acme.example", self.acme))
        self.assertEqual(dana.profile.name, "Dana Diaz")
        self.assertTrue(Event.objects.filter(verb=Verb.JOINED, actor=dana).exists())
        self.assertEqual(SocialAccount.objects.get(user=dana).uid, "idp-42")

    def test_a_colleague_with_a_password_account_is_signed_in_to_it(self) -> None:
        response = self.sign_in(
            {"sub": "idp-bob", "email": "bob.baker@acme.example", "email_verified": True}
        )
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        self.assertEqual(self.signed_in_user(), self.bob)

    def test_it_cannot_reach_an_account_in_another_organisation(self) -> None:
        response = self.sign_in(
            {"sub": "evil", "email": "oscar.outsider@globex.example", "email_verified": True}
        )
        self.assertContains(response, "belongs to another organisation", status_code=403)
        self.assertIsNone(self.signed_in_user())
        self.assertFalse(SocialAccount.objects.exists())

    def test_it_cannot_take_an_address_on_another_organisations_domain(self) -> None:
        self.globex.email_domains = ["globex.example"]
        self.globex.save(update_fields=["email_domains"])
        response = self.sign_in(
            {"sub": "squat", "email": "newhire@globex.example", "email_verified": True}
        )
        self.assertContains(response, "belongs to another organisation", status_code=403)
        self.assertFalse(User.objects.filter(email="newhire@globex.example").exists())

    def test_a_tampered_state_is_refused(self) -> None:
        idp = FakeIdentityProvider({"sub": "x", "email": "x@acme.example"})
        with mock.patch.object(requests.Session, "request", autospec=True, side_effect=idp):
            self.client.post("/accounts/oidc/acme-oidc/login/")
            response = self.client.get(
                "/accounts/oidc/acme-oidc/login/callback/", {"code": "c", "state": "forged"}
            )
        self.assertIsNone(self.signed_in_user())
        self.assertNotEqual(response.status_code, 500)
        self.assertFalse(User.objects.filter(email="x@acme.example").exists())


class FakeSamlAuth:
    """What allauth's ACS view asks of python3-saml once a response has been verified."""

    def __init__(self, in_response_to: str, attributes: dict[str, list[str]]) -> None:
        self.in_response_to = in_response_to
        self.attributes = attributes

    def process_response(self, request_id: str | None = None) -> None:
        pass

    def get_errors(self) -> list[str]:
        return []

    def get_last_error_reason(self) -> None:
        return None

    def is_authenticated(self) -> bool:
        return True

    def get_attributes(self) -> dict[str, list[str]]:
        return self.attributes

    def get_nameid(self) -> str:
        return self.attributes["email"][0]

    def get_nameid_format(self) -> str:
        return "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

    def get_last_response_in_response_to(self) -> str:
        return self.in_response_to


# python3-saml rejects single-label hosts such as "testserver" in our ACS URL.
@override_settings(ALLOWED_HOSTS=["cairn.example"])
class SamlTest(SsoCase):
    def setUp(self) -> None:
        self.configure_saml()
        self.client.defaults["HTTP_HOST"] = "cairn.example"

    def test_the_service_provider_metadata_names_our_acs(self) -> None:
        response = self.client.get("/accounts/saml/acme/metadata/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, 'entityID="http://cairn.example/accounts/saml/acme/metadata/"'
        )
        self.assertContains(response, 'Location="http://cairn.example/accounts/saml/acme/acs/"')

    def start_login(self) -> str:
        """Start an SP-initiated sign-in; return the AuthnRequest's ID."""
        response = self.client.post("/accounts/saml/acme/login/", {"next": "/home/"})
        self.assertEqual(response.status_code, 302)
        location = urlparse(response["Location"])
        self.assertEqual(f"https://{location.netloc}{location.path}", f"{IDP}/saml/sso")
        raw = parse_qs(location.query)["SAMLRequest"][0]
        xml = zlib.decompress(base64.b64decode(raw), -15).decode()
        self.assertIn("http://cairn.example/accounts/saml/acme/acs/", xml)
        return xml.split(' ID="', 1)[1].split('"', 1)[0]

    def finish_login(self, request_id: str, email: str) -> Any:
        auth = FakeSamlAuth(request_id, {"email": [email], "displayName": ["Sam Saml"]})
        with mock.patch("allauth.socialaccount.providers.saml.views.build_auth", return_value=auth):
            response = self.client.post(
                "/accounts/saml/acme/acs/", {"SAMLResponse": "c2lnbmVk", "RelayState": ""}
            )
            self.assertRedirects(
                response, "/accounts/saml/acme/acs/finish/", fetch_redirect_response=False
            )
            return self.client.get("/accounts/saml/acme/acs/finish/")

    def test_a_round_trip_signs_a_new_colleague_in(self) -> None:
        response = self.finish_login(self.start_login(), "sam@acme.example")
        self.assertRedirects(response, "/home/", fetch_redirect_response=False)
        sam = User.objects.get(email="sam@acme.example")
        self.assertEqual(sam.organisation, self.acme)
        self.assertEqual(sam.profile.name, "Sam Saml")
        self.assertEqual(int(self.client.session["_auth_user_id"]), sam.pk)

    def test_an_unsolicited_response_is_refused(self) -> None:
        response = self.finish_login("", "sam@acme.example")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(User.objects.filter(email="sam@acme.example").exists())
        self.assertNotEqual(response.status_code, 500)
