"""Accounts: sign-up by invitation or email domain, email verification, sign in/out, password
reset, and that every account page renders inside Cairn's layout with labelled fields."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cairn.ledger.models import Event, Verb
from cairn.people.actions import do_invite
from cairn.people.models import Invitation, User
from cairn.testing import PASSWORD, CairnTestCase

NEW_PASSWORD = "a fresh and rather long passphrase"


def link_in(message: mail.EmailMessage) -> str:
    """Return the path of the first link to this site in an email."""
    found = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


class AccountPagesTest(CairnTestCase):
    def test_entrance_pages_use_cairns_layout_and_label_every_field(self) -> None:
        for name in ("account_login", "account_signup", "account_reset_password", "sso_start"):
            with self.subTest(name):
                response = self.client.get(reverse(name))
                self.assertContains(response, 'class="skip-link"')
                self.assertContains(response, '<main id="main"')
                for field_id in re.findall(r'<input[^>]* id="(id_\w+)"', response.text):
                    wrapped = re.search(rf'<label><input[^>]* id="{field_id}"', response.text)
                    labelled = f'for="{field_id}"' in response.text or wrapped
                    self.assertTrue(labelled, f"{name}: {field_id} has no label")

    def test_account_settings_pages_render_for_a_member(self) -> None:
        self.client.force_login(self.bob)
        for name in ("account_email", "account_change_password", "mfa_index"):
            with self.subTest(name):
                response = self.client.get(reverse(name))
                self.assertContains(response, 'aria-label="Account settings"')
                self.assertContains(response, "Sign out")
                self.assertNotContains(response, reverse("sso_configure"))

    def test_admins_find_invitations_and_single_sign_on_in_their_settings(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("account_email"))
        self.assertContains(response, f'href="{reverse("sso_configure")}"')
        self.assertContains(response, f'href="{reverse("invitations")}"')


class InvitationSignupTest(CairnTestCase):
    def setUp(self) -> None:
        self.invitation = do_invite(self.alice, "dana@partner.example")

    def follow_link(self) -> None:
        response = self.client.get(reverse("join", args=[self.invitation.token]))
        self.assertRedirects(response, reverse("account_signup"))

    def test_the_sign_up_page_names_the_organisation_and_fills_in_the_email(self) -> None:
        self.follow_link()
        response = self.client.get(reverse("account_signup"))
        self.assertContains(response, "Join Acme Learning on Cairn")
        self.assertContains(response, 'value="dana@partner.example"')

    def test_it_joins_the_organisation_signed_in_without_a_verification_email(self) -> None:
        self.follow_link()
        response = self.client.post(
            reverse("account_signup"),
            {
                "email": "dana@partner.example",
                "name": "Dana Diaz",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        dana = User.objects.get(email="dana@partner.example")
        self.assertEqual(dana.organisation, self.acme)
        self.assertEqual(dana.profile.name, "Dana Diaz")
        self.assertTrue(EmailAddress.objects.get(user=dana).verified)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(int(self.client.session["_auth_user_id"]), dana.pk)
        self.invitation.refresh_from_db()
        self.assertIsNotNone(self.invitation.accepted_at)
        self.assertTrue(Event.objects.filter(verb=Verb.JOINED, actor=dana).exists())

    def test_it_gives_an_invited_admin_the_admin_role(self) -> None:
        invitation = do_invite(self.alice, "erin@acme.example", role=User.Role.ADMIN)
        self.client.get(reverse("join", args=[invitation.token]))
        self.client.post(
            reverse("account_signup"),
            {
                "email": "erin@acme.example",
                "name": "Erin",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        self.assertTrue(User.objects.get(email="erin@acme.example").is_org_admin)

    def test_it_refuses_another_address_with_a_clear_error(self) -> None:
        self.follow_link()
        response = self.client.post(
            reverse("account_signup"),
            {
                "email": "someone.else@partner.example",
                "name": "Someone",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        self.assertContains(response, "This invitation is for dana@partner.example")
        self.assertFalse(User.objects.filter(email="someone.else@partner.example").exists())

    def test_a_used_link_cannot_be_used_again(self) -> None:
        Invitation.objects.filter(pk=self.invitation.pk).update(accepted_at=self.acme.created_at)
        response = self.client.get(reverse("join", args=[self.invitation.token]))
        self.assertContains(response, "already been used", status_code=404)


class DomainSignupTest(CairnTestCase):
    def sign_up(self, email: str, name: str = "Newt Newman"):
        return self.client.post(
            reverse("account_signup"),
            {"email": email, "name": name, "password1": PASSWORD, "password2": PASSWORD},
        )

    def test_an_open_domain_can_sign_up_but_must_verify_the_email_first(self) -> None:
        response = self.sign_up("newt@acme.example")
        self.assertRedirects(
            response, reverse("account_email_verification_sent"), fetch_redirect_response=False
        )
        newt = User.objects.get(email="newt@acme.example")
        self.assertEqual(newt.organisation, self.acme)
        self.assertFalse(EmailAddress.objects.get(user=newt).verified)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["newt@acme.example"])
        self.assertTrue(mail.outbox[0].subject.startswith("[Cairn] "))
        self.assertIn("Hello from Cairn", mail.outbox[0].body)

        # Signing in before confirming sends them back to the "check your email" page.
        response = self.client.post(
            reverse("account_login"), {"login": "newt@acme.example", "password": PASSWORD}
        )
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertRedirects(
            response, reverse("account_email_verification_sent"), fetch_redirect_response=False
        )

        confirm = link_in(mail.outbox[0])
        self.assertContains(self.client.get(confirm), "Confirm")
        self.client.post(confirm)
        self.assertTrue(EmailAddress.objects.get(user=newt).verified)
        response = self.client.post(
            reverse("account_login"), {"login": "newt@acme.example", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_a_domain_nobody_opened_is_refused_with_a_clear_error(self) -> None:
        response = self.sign_up("mallory@elsewhere.example")
        self.assertContains(response, "has not opened Cairn to this email domain")
        self.assertFalse(User.objects.filter(email="mallory@elsewhere.example").exists())
        self.assertEqual(mail.outbox, [])

    def test_a_missing_name_is_a_field_error(self) -> None:
        response = self.sign_up("newt@acme.example", name="")
        self.assertEqual(response.status_code, 200)
        self.assertIn("name", response.context["form"].errors)
        self.assertFalse(User.objects.filter(email="newt@acme.example").exists())

    def test_an_existing_address_cannot_sign_up_twice(self) -> None:
        response = self.sign_up("bob.baker@acme.example")
        self.assertEqual(response.status_code, 302)  # allauth hides who has an account...
        self.assertEqual(User.objects.filter(email="bob.baker@acme.example").count(), 1)
        self.assertIn("already", mail.outbox[0].body)  # ...and tells the owner instead.


class SignInTest(CairnTestCase):
    def test_it_signs_in_with_email_and_password(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "Bob.Baker@acme.example", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.bob.pk)

    def test_a_wrong_password_is_a_clear_error(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": "bob.baker@acme.example", "password": "nope"}
        )
        self.assertContains(response, "not correct")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_pages_ask_anonymous_visitors_to_sign_in(self) -> None:
        response = self.client.get(reverse("people"))
        self.assertRedirects(
            response, f"{reverse('account_login')}?next=/people/", fetch_redirect_response=False
        )

    def test_sign_out_ends_the_session(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(reverse("account_logout"))
        self.assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)


class PasswordResetTest(CairnTestCase):
    def test_a_reset_link_sets_a_new_password(self) -> None:
        response = self.client.post(
            reverse("account_reset_password"), {"email": "bob.baker@acme.example"}
        )
        self.assertRedirects(
            response, reverse("account_reset_password_done"), fetch_redirect_response=False
        )
        self.assertEqual(len(mail.outbox), 1)
        link = link_in(mail.outbox[0])
        response = self.client.get(link, follow=True)
        form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
        self.assertContains(response, "password1")
        response = self.client.post(
            form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        self.assertRedirects(
            response, reverse("account_reset_password_from_key_done"), fetch_redirect_response=False
        )
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.check_password(NEW_PASSWORD))
        self.assertFalse(self.client.login(email="bob.baker@acme.example", password=PASSWORD))

    def test_a_weak_new_password_is_a_field_error(self) -> None:
        self.client.post(reverse("account_reset_password"), {"email": "bob.baker@acme.example"})
        response = self.client.get(link_in(mail.outbox[0]), follow=True)
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(form_url, {"password1": "12345678", "password2": "12345678"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("password1", response.context["form"].errors)

    def test_an_unknown_address_gets_the_same_answer(self) -> None:
        response = self.client.post(
            reverse("account_reset_password"), {"email": "nobody@acme.example"}
        )
        self.assertRedirects(
            response, reverse("account_reset_password_done"), fetch_redirect_response=False
        )
        self.assertNotIn("password/reset/key", mail.outbox[0].body if mail.outbox else "")

    def test_a_bad_key_says_so(self) -> None:
        response = self.client.get("/accounts/password/reset/key/zz-bogus/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid")
