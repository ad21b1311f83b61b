"""The audit log: each audited act leaves one entry, written with who, what and from where."""

import io
import time
from datetime import timedelta
from unittest import mock

import time_machine
from allauth.mfa.totp.internal.auth import time as totp_time
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action, AuditEntry, AuditLogError
from cairn.disputes.actions import do_open_dispute, do_resolve_dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.ledger.models import Event
from cairn.people.actions import (
    do_configure_sso,
    do_create_api_token,
    do_invite,
    do_revoke_api_token,
    do_set_role,
)
from cairn.people.tests.test_mfa import totp_code
from cairn.safeguards.actions import do_review_ring, do_scan_organisation
from cairn.safeguards.models import RingFlag
from cairn.safeguards.tests.test_pages import make_ring
from cairn.testing import PASSWORD, CairnTestCase

BROWSER = "Mozilla/5.0 (audit test)"


def entries(action: Action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


class SignInTest(CairnTestCase):
    def sign_in(self, login: str, password: str = PASSWORD) -> None:
        self.client.post(
            reverse("account_login"),
            {"login": login, "password": password},
            HTTP_USER_AGENT=BROWSER,
        )

    def test_a_sign_in_is_recorded_with_where_it_came_from(self) -> None:
        self.sign_in("bob.baker@acme.example")
        [entry] = entries(Action.SIGNED_IN)
        self.assertEqual(
            (entry.actor, entry.organisation, entry.ip, entry.user_agent),
            (self.bob, self.acme, "127.0.0.1", BROWSER),
        )

    def test_a_failed_sign_in_is_recorded_for_the_account_tried(self) -> None:
        self.sign_in("bob.baker@acme.example", "wrong password")
        [entry] = entries(Action.SIGN_IN_FAILED)
        self.assertEqual(entry.organisation, self.acme)
        self.assertEqual(entry.actor_label, "bob.baker@acme.example")
        self.assertIsNone(entry.actor)
        self.assertFalse(entries(Action.SIGNED_IN))

    def test_a_failed_sign_in_for_nobody_belongs_to_no_organisation(self) -> None:
        self.sign_in("nobody@nowhere.example", "guess")
        [entry] = entries(Action.SIGN_IN_FAILED)
        self.assertIsNone(entry.organisation)


class MfaTest(CairnTestCase):
    def test_adding_regenerating_and_removing_two_step_sign_in_are_recorded(self) -> None:
        now = time.time()
        patcher = mock.patch.object(totp_time, "time", return_value=now)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client.post(
            reverse("account_login"), {"login": "bob.baker@acme.example", "password": PASSWORD}
        )
        self.client.get(reverse("mfa_activate_totp"))  # asks to confirm the password first
        self.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        secret = self.client.get(reverse("mfa_activate_totp")).context["form"].secret
        # allauth sends its signals once the change has committed.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret, now)})
        added = {e.target for e in entries(Action.MFA_ADDED)}
        self.assertEqual(added, {"TOTP Authenticator", "Recovery codes"})
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("mfa_generate_recovery_codes"))
        self.assertEqual(len(entries(Action.RECOVERY_CODES_REGENERATED)), 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("mfa_deactivate_totp"))
        removed = {(e.actor, e.target) for e in entries(Action.MFA_REMOVED)}
        self.assertIn((self.bob, "TOTP Authenticator"), removed)


class ActionsAuditedTest(CairnTestCase):
    def test_role_changes_name_who_and_what(self) -> None:
        do_set_role(self.alice, self.bob, "admin")
        [entry] = entries(Action.ROLE_CHANGED)
        self.assertEqual((entry.actor, entry.target), (self.alice, "bob.baker@acme.example"))
        self.assertEqual(entry.details, {"role": "admin"})

    def test_a_refused_role_change_leaves_no_entry(self) -> None:
        with self.assertRaises(Exception):  # noqa: B017 - ActionError; only the absence matters
            do_set_role(self.bob, self.carol, "admin")
        self.assertFalse(entries(Action.ROLE_CHANGED))

    def test_invitations_are_recorded(self) -> None:
        do_invite(self.alice, "newt@acme.example")
        [entry] = entries(Action.INVITED)
        self.assertEqual((entry.organisation, entry.target), (self.acme, "newt@acme.example"))

    def test_tokens_created_and_revoked_are_recorded(self) -> None:
        token, _ = do_create_api_token(self.bob, "reporting script")
        do_revoke_api_token(token)
        self.assertEqual(entries(Action.TOKEN_CREATED)[0].target, "reporting script")
        self.assertEqual(entries(Action.TOKEN_REVOKED)[0].actor, self.bob)

    def test_a_token_is_recorded_on_its_first_use_of_the_day(self) -> None:
        _, secret = do_create_api_token(self.bob, "script")
        headers = {"Authorization": f"Bearer {secret}", "User-Agent": BROWSER}
        for _ in range(3):
            self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 200)
        [entry] = entries(Action.TOKEN_USED)
        self.assertEqual((entry.actor, entry.user_agent), (self.bob, BROWSER))
        tomorrow = timezone.now() + timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=tomorrow):
            self.client.get("/api/v1/me", headers=headers)
        self.assertEqual(len(entries(Action.TOKEN_USED)), 2)

    def test_sso_changes_are_recorded_without_secrets(self) -> None:
        do_configure_sso(
            self.alice,
            "oidc",
            server_url="https://id.acme.example",
            client_id="cairn",
            secret="s3cret-value",
        )
        [entry] = entries(Action.SSO_CHANGED)
        self.assertEqual((entry.target, entry.details), ("oidc", {"created": True}))
        self.assertNotIn("s3cret", str(entry.details) + entry.target)

    def test_dispute_decisions_are_recorded(self) -> None:
        _, event = missed_commitment(self.bob, self.carol, "Send the report")
        dispute = do_open_dispute(self.bob, event, "I sent it on time.")
        do_resolve_dispute(dispute, self.carol, "overturned", "Found it in my inbox.")
        [entry] = entries(Action.DISPUTE_RESOLVED)
        self.assertEqual(entry.details, {"outcome": "overturned", "dispute": dispute.pk})

    def test_ring_decisions_are_recorded(self) -> None:
        make_ring(self.acme)
        do_scan_organisation(self.acme)
        ring = RingFlag.objects.get()
        do_review_ring(self.alice, ring, "confirmed")
        [entry] = entries(Action.RING_REVIEWED)
        self.assertEqual((entry.actor, entry.details["status"]), (self.alice, "confirmed"))

    def test_ledger_exports_are_recorded(self) -> None:
        call_command("ledger", "export", "--org", "acme", "--out", "-", stdout=io.StringIO())
        [entry] = entries(Action.LEDGER_EXPORTED)
        self.assertEqual(entry.organisation, self.acme)
        self.assertEqual(
            entry.details["events"],
            Event.objects.filter(organisation=self.acme).for_trust().count(),
        )


class AppendOnlyTest(CairnTestCase):
    def test_entries_cannot_be_changed_or_deleted(self) -> None:
        entry = audit.record(Action.INVITED, actor=self.alice, target="x@acme.example")
        entry.target = "changed"
        with self.assertRaises(AuditLogError):
            entry.save()
        with self.assertRaises(AuditLogError):
            entry.delete()
        with self.assertRaises(AuditLogError):
            AuditEntry.objects.all().update(target="changed")
        with self.assertRaises(AuditLogError):
            AuditEntry.objects.all().delete()

    @override_settings(CAIRN_AUDIT_RETENTION_DAYS=30)
    def test_periodic_prunes_only_entries_past_retention(self) -> None:
        old = timezone.now() - timedelta(days=31)
        with time_machine.travel(old):
            audit.record(Action.INVITED, actor=self.alice, target="old@acme.example")
        audit.record(Action.INVITED, actor=self.alice, target="new@acme.example")
        call_command("periodic", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertEqual([e.target for e in entries(Action.INVITED)], ["new@acme.example"])
