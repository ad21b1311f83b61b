"""Invitations: who can invite, and what a link allows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cairn.errors import ActionError
from cairn.people.actions import check_invitation, do_invite
from cairn.people.models import Invitation
from cairn.testing import CairnTestCase


class InviteActionTest(CairnTestCase):
    def test_admins_can_invite(self) -> None:
        invitation = do_invite(self.alice, "New.Person@acme.example")
        self.assertEqual(invitation.email, "new.person@acme.example")
        self.assertEqual(invitation.organisation, self.acme)

    def test_members_cannot_invite(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_invite(self.bob, "someone@acme.example")
        self.assertEqual(caught.exception.status, 403)

    def test_it_rejects_a_bad_email(self) -> None:
        with self.assertRaises(ActionError) as caught:
            do_invite(self.alice, "not an email")
        self.assertEqual(caught.exception.field, "email")

    def test_it_refuses_someone_who_has_an_account(self) -> None:
        with self.assertRaises(ActionError):
            do_invite(self.alice, "oscar.outsider@globex.example")

    def test_an_expired_invitation_cannot_be_used(self) -> None:
        invitation = do_invite(self.alice, "late@acme.example")
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        with self.assertRaises(ActionError):
            check_invitation(invitation.token)


class InvitationPageTest(CairnTestCase):
    def test_an_admin_gets_a_link(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("invitations"), {"email": "dana@acme.example", "role": "member"}
        )
        invitation = Invitation.objects.get(email="dana@acme.example")
        self.assertContains(response, f"/join/{invitation.token}/")

    def test_a_member_is_refused(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("invitations"))
        self.assertEqual(response.status_code, 403)

    def test_a_bad_link_says_so(self) -> None:
        response = self.client.get(reverse("join", args=["nope"]))
        self.assertContains(response, "not valid", status_code=404)

    def test_a_good_link_leads_to_sign_up(self) -> None:
        invitation = do_invite(self.alice, "erin@acme.example")
        response = self.client.get(reverse("join", args=[invitation.token]))
        self.assertRedirects(response, reverse("account_signup"), fetch_redirect_response=False)
