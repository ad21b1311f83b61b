"""Roles and the Django admin for platform staff."""

from django.contrib import admin
from django.urls import reverse

from cairn.ledger.models import Event
from cairn.people.models import ApiToken, Invitation, Organisation, Profile, SsoConnection, User
from cairn.testing import CairnTestCase


class StaffAdminTest(CairnTestCase):
    staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.staff = User.objects.create_superuser("staff@cairn.example", "x")

    def test_every_people_and_ledger_model_has_a_changelist(self) -> None:
        self.client.force_login(self.staff)
        for model in (Organisation, User, Profile, Invitation, ApiToken, SsoConnection, Event):
            with self.subTest(model.__name__):
                self.assertIn(model, admin.site._registry)
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_persons_page_opens(self) -> None:
        self.client.force_login(self.staff)
        url = reverse("admin:people_user_change", args=[self.bob.pk])
        self.assertContains(self.client.get(url), "bob.baker@acme.example")

    def test_ledger_events_are_read_only(self) -> None:
        self.client.force_login(self.staff)
        event = Event.objects.filter(actor=self.bob).first()
        assert event is not None
        response = self.client.get(reverse("admin:ledger_event_change", args=[event.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')
        delete = reverse("admin:ledger_event_delete", args=[event.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:ledger_event_add")).status_code, 403)
        self.assertTrue(Event.objects.filter(pk=event.pk).exists())

    def test_organisation_admins_who_are_not_staff_are_refused(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("admin:index"), follow=True)
        self.assertEqual(response.status_code, 403)

    def test_staff_sign_in_through_allauth_so_throttling_and_mfa_apply(self) -> None:
        response = self.client.get(reverse("admin:login"))
        self.assertRedirects(
            response, "/accounts/login/?next=/django-admin/login/", fetch_redirect_response=False
        )


class RolesTest(CairnTestCase):
    def test_members_and_organisation_admins(self) -> None:
        self.assertTrue(self.alice.is_org_admin)
        self.assertFalse(self.bob.is_org_admin)
        self.assertEqual(self.bob.role, User.Role.MEMBER)

    def test_an_admin_role_without_an_organisation_administers_nothing(self) -> None:
        self.assertFalse(User(role=User.Role.ADMIN).is_org_admin)
