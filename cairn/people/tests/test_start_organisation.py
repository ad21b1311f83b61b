"""Starting an organisation: the start page, the founder's sign-up, who may join, invitations
by email, ``cairn createorg`` and the new admin's first-run checklist."""

from io import StringIO

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cairn.communities.actions import do_create_community
from cairn.errors import ActionError
from cairn.ledger.models import Event, Verb
from cairn.people.actions import (
    check_email_domain,
    check_new_organisation,
    do_invite,
    do_set_email_domains,
    do_start_organisation,
)
from cairn.people.first_run import first_run_steps
from cairn.people.models import Organisation, User
from cairn.people.tests.test_accounts import link_in
from cairn.testing import IMMEDIATE_TASKS, PASSWORD, CairnTestCase


class OrganisationChecksTest(CairnTestCase):
    def refused(self, call: object, *args: object) -> ActionError:
        with self.assertRaises(ActionError) as caught:
            call(*args)  # type: ignore[operator]  # any of the checks above
        return caught.exception

    def test_a_short_name_must_be_new_and_not_reserved(self) -> None:
        self.assertEqual(
            check_new_organisation(" Initech  Ltd ", "Initech"), ("Initech Ltd", "initech")
        )
        for slug in ("acme", "admin", "x", "", "a" * 51):
            self.assertEqual(self.refused(check_new_organisation, "Name", slug).field, "slug")
        self.assertEqual(self.refused(check_new_organisation, "  ", "fine").field, "name")

    def test_public_mail_and_other_organisations_domains_cannot_be_opened(self) -> None:
        self.assertEqual(check_email_domain("@Initech.COM"), "initech.com")
        self.assertIn("gmail.com", self.refused(check_email_domain, "gmail.com").message)
        self.assertIn(
            "Another organisation", self.refused(check_email_domain, "acme.example").message
        )
        self.assertEqual(self.refused(check_email_domain, "not a domain").field, "domains")
        self.assertEqual(check_email_domain("acme.example", self.acme), "acme.example")


class StartOrganisationActionTest(CairnTestCase):
    def founder(self, email: str = "pat@initech.example", verified: bool = False) -> User:
        user = User.objects.create_user(email=email, password=PASSWORD)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    def test_the_founder_becomes_admin_with_a_profile_and_the_ledger_says_so(self) -> None:
        pat = self.founder()
        org = do_start_organisation(pat, name="Initech", slug="initech", person_name="Pat Park")
        pat.refresh_from_db()
        self.assertEqual((pat.organisation, pat.role), (org, User.Role.ADMIN))
        self.assertEqual(pat.profile.name, "Pat Park")
        self.assertEqual(org.email_domains, [])
        verbs = set(Event.objects.filter(organisation=org).values_list("verb", flat=True))
        self.assertEqual(verbs, {Verb.JOINED, Verb.ORGANISATION_CREATED})

    def test_the_domain_opens_only_once_the_address_is_confirmed(self) -> None:
        pat = self.founder()
        org = do_start_organisation(
            pat, name="Initech", slug="initech", person_name="Pat", open_domain=True
        )
        self.assertEqual(org.email_domains, [])
        address = EmailAddress.objects.get(user=pat)
        address.verified = True
        address.save()
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
        org.refresh_from_db()
        self.assertEqual(org.email_domains, ["initech.example"])
        self.assertTrue(Event.objects.filter(verb=Verb.JOINING_CHANGED, organisation=org).exists())

    def test_a_public_domain_is_refused_and_nothing_is_created(self) -> None:
        pat = self.founder("pat@gmail.com")
        with self.assertRaises(ActionError):
            do_start_organisation(
                pat, name="Initech", slug="initech", person_name="Pat", open_domain=True
            )
        self.assertFalse(Organisation.objects.filter(slug="initech").exists())

    def test_someone_in_an_organisation_cannot_start_another(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_start_organisation(self.bob, name="Side", slug="side", person_name="Bob")
        self.assertEqual(caught.exception.status, 409)


class EmailDomainsTest(CairnTestCase):
    def test_only_admins_choose(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_set_email_domains(self.bob, ["acme.example"])
        self.assertEqual(caught.exception.status, 403)

    def test_an_admin_opens_only_a_domain_they_confirmed(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_set_email_domains(self.alice, ["acme.example", "acme-labs.example"])
        self.assertIn("Confirm an address at acme-labs.example", caught.exception.message)
        org = do_set_email_domains(self.alice, [])
        self.assertEqual(org.email_domains, [])
        org = do_set_email_domains(self.alice, ["acme.example"])
        self.assertEqual(org.email_domains, ["acme.example"])

    def test_the_page_is_for_admins_and_says_what_is_wrong(self) -> None:
        url = reverse("email_domains")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(url), "acme.example")
        response = self.client.post(url, {"domains": "acme.example, gmail.com"})
        self.assertContains(response, "Anyone can have a gmail.com address", status_code=422)
        response = self.client.post(url, {"domains": ""})
        self.assertRedirects(response, url)
        self.acme.refresh_from_db()
        self.assertEqual(self.acme.email_domains, [])


class StartPageTest(CairnTestCase):
    url = reverse("start_organisation")

    def test_the_landing_page_offers_it(self) -> None:
        self.assertContains(self.client.get("/"), self.url)

    def test_bad_input_is_a_422_naming_the_field(self) -> None:
        response = self.client.post(self.url, {"name": "Acme again", "slug": "acme"})
        self.assertContains(response, "is taken", status_code=422)
        response = self.client.post(self.url, {"name": "", "slug": "ok-slug"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("name", response.context["form"].errors)

    def test_signed_in_people_go_home(self) -> None:
        self.client.force_login(self.bob)
        self.assertRedirects(
            self.client.get(self.url), reverse("home"), fetch_redirect_response=False
        )

    def test_the_founder_signs_up_confirms_and_their_domain_opens(self) -> None:
        response = self.client.post(
            self.url, {"name": "Initech", "slug": "initech", "open_domain": "on"}
        )
        self.assertRedirects(response, reverse("account_signup"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("account_signup")), "Start Initech on Cairn")
        response = self.client.post(
            reverse("account_signup"),
            {
                "email": "pat@initech.example",
                "name": "Pat Park",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        self.assertRedirects(
            response, reverse("account_email_verification_sent"), fetch_redirect_response=False
        )
        org = Organisation.objects.get(slug="initech")
        pat = User.objects.get(email="pat@initech.example")
        self.assertTrue(pat.is_org_admin and pat.organisation == org)
        self.assertEqual(org.email_domains, [])
        self.client.post(link_in(mail.outbox[-1]))
        org.refresh_from_db()
        self.assertEqual(org.email_domains, ["initech.example"])

    def test_a_public_address_cannot_open_its_domain(self) -> None:
        self.client.post(self.url, {"name": "Initech", "slug": "initech", "open_domain": "on"})
        response = self.client.post(
            reverse("account_signup"),
            {"email": "pat@gmail.com", "name": "Pat", "password1": PASSWORD, "password2": PASSWORD},
        )
        self.assertContains(response, "Anyone can have a gmail.com address")
        self.assertFalse(Organisation.objects.filter(slug="initech").exists())

    def test_starting_organisations_is_rate_limited_per_address(self) -> None:
        for n in range(5):
            response = self.client.post(self.url, {"name": f"Org {n}", "slug": f"org-{n}"})
            self.assertEqual(response.status_code, 302)
        response = self.client.post(self.url, {"name": "Org 6", "slug": "org-6"})
        self.assertEqual(response.status_code, 429)


@override_settings(TASKS=IMMEDIATE_TASKS)
class InvitationEmailTest(CairnTestCase):
    def test_the_invitee_gets_the_link_by_email(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            invitation = do_invite(self.alice, "dana@anywhere.example")
        self.assertEqual(mail.outbox[-1].to, ["dana@anywhere.example"])
        self.assertIn(f"/join/{invitation.token}/", mail.outbox[-1].body)
        self.assertIn("Alice Archer invites you to Acme Learning", mail.outbox[-1].body)


class CreateOrgCommandTest(CairnTestCase):
    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("createorg", *args, stdout=out)
        return out.getvalue()

    def test_it_creates_the_organisation_and_its_admin(self) -> None:
        out = self.run_command(
            "--name", "Initech", "--slug", "initech", "--admin-email", "pat@initech.example",
            "--domain", "initech.example",
        )  # fmt: skip
        self.assertIn("Created Initech (initech) with admin pat@initech.example", out)
        pat = User.objects.get(email="pat@initech.example")
        self.assertTrue(pat.is_org_admin)
        self.assertEqual(pat.organisation.email_domains, ["initech.example"])  # type: ignore[union-attr]

    def test_it_says_what_is_wrong(self) -> None:
        cases = {
            (
                "--slug",
                "acme",
                "--admin-email",
                "new@x.example",
            ): "--slug: The short name 'acme' is taken",
            (
                "--slug",
                "newco",
                "--admin-email",
                "bob.baker@acme.example",
            ): "--admin-email: Someone already",
            ("--slug", "newco", "--admin-email", "nope"): "--admin-email: Enter a valid",
            (
                "--slug",
                "newco",
                "--admin-email",
                "a@b.example",
                "--domain",
                "gmail.com",
            ): "--domain: Anyone",
        }
        for args, message in cases.items():
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                self.run_command("--name", "New", *args)
        self.assertFalse(User.objects.filter(email="a@b.example").exists())


class FirstRunChecklistTest(CairnTestCase):
    def test_it_is_for_admins_and_ticks_as_things_happen(self) -> None:
        self.assertEqual(first_run_steps(self.bob), [])
        before = {step.title: step.done for step in first_run_steps(self.alice)}
        self.assertEqual(
            before,
            {
                "Choose who may join": True,
                "Invite colleagues": True,  # bob and carol joined
                "Say what you can help with and want to learn": False,
                "Start a community": False,
                "Start a mentoring programme": False,
            },
        )
        do_create_community(self.alice, name="Data circle", description="Charts")
        after = {step.title: step.done for step in first_run_steps(self.alice)}
        self.assertTrue(after["Start a community"])

    def test_the_include_renders_for_the_admin_only(self) -> None:
        template = Template("{% load first_run %}{% first_run_checklist %}")
        request = RequestFactory().get("/")
        request.user = self.alice
        self.assertIn("Set up your organisation", template.render(Context({"request": request})))
        request.user = self.bob
        self.assertNotIn("Set up", template.render(Context({"request": request})))
