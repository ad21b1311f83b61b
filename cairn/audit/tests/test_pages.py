"""The audit log page and its CSV export: admins of the organisation only, filtered, paged."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from cairn.audit import log as audit
from cairn.audit.models import Action
from cairn.audit.views import PAGE_SIZE
from cairn.people.models import User
from cairn.testing import CairnTestCase, make_person


class AuditPageTest(CairnTestCase):
    gina: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gina = make_person(cls.globex, "Gina Globex", User.Role.ADMIN)
        with time_machine.travel(timezone.now() - timedelta(days=10)):
            audit.record(Action.ROLE_CHANGED, actor=cls.alice, target="old@acme.example")
        audit.record(Action.INVITED, actor=cls.alice, target="newt@acme.example")
        audit.record(Action.TOKEN_CREATED, actor=cls.bob, target="=HYPERLINK(evil)")
        audit.record(Action.INVITED, actor=cls.gina, target="globex-secret@globex.example")

    def get(self, user: User, name: str = "audit_log", **query: str):
        self.client.force_login(user)
        return self.client.get(reverse(name), query)

    def test_admins_see_their_organisation_only(self) -> None:
        response = self.get(self.alice)
        self.assertContains(response, "newt@acme.example")
        self.assertContains(response, "old@acme.example")
        self.assertNotContains(response, "globex-secret")
        self.assertNotContains(self.get(self.gina), "acme.example")

    def test_members_and_visitors_are_refused(self) -> None:
        self.assertEqual(self.get(self.bob).status_code, 403)
        self.assertEqual(self.get(self.oscar, "audit_export").status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("audit_log")).status_code, 302)

    def test_filters_narrow_by_action_actor_and_dates(self) -> None:
        by_action = self.get(self.alice, action=Action.TOKEN_CREATED)
        self.assertEqual([e.target for e in by_action.context["page"]], ["=HYPERLINK(evil)"])
        by_actor = self.get(self.alice, actor="bob.baker")
        self.assertEqual(len(by_actor.context["page"]), 1)
        today = timezone.localdate().isoformat()
        recent = self.get(self.alice, since=today, until=today)
        self.assertNotContains(recent, "old@acme.example")
        self.assertContains(recent, "newt@acme.example")

    def test_a_bad_filter_is_named_not_a_500(self) -> None:
        response = self.get(self.alice, since="2026-13-45", action="nonsense")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors.keys() >= {"since", "action"})
        backwards = self.get(self.alice, since="2026-05-02", until="2026-05-01")
        self.assertIn("until", backwards.context["form"].errors)

    def test_pages_hold_a_fixed_number_of_entries_in_constant_queries(self) -> None:
        for n in range(PAGE_SIZE + 5):
            audit.record(Action.INVITED, actor=self.alice, target=f"p{n}@acme.example")
        self.client.force_login(self.alice)
        self.client.get(reverse("audit_log"))  # warm the session and the navigation
        with self.assertNumQueries(6):  # the header counts the moderation queue too
            first = self.client.get(reverse("audit_log"))
        self.assertEqual(len(first.context["page"]), PAGE_SIZE)
        second = self.get(self.alice, page="2")
        total = second.context["page"].paginator.count
        self.assertGreater(total, PAGE_SIZE + 5)  # also the setup's entries and the sign-ins
        self.assertEqual(len(second.context["page"]), total - PAGE_SIZE)

    def test_the_csv_export_streams_the_filtered_log_with_formulas_defused(self) -> None:
        response = self.get(self.alice, "audit_export", action=Action.TOKEN_CREATED)
        self.assertTrue(response.streaming)
        self.assertIn("attachment", response["Content-Disposition"])
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertEqual(lines[0], "time,actor,action,target,ip,user_agent,details")
        self.assertEqual(len(lines), 2)
        self.assertIn(",'=HYPERLINK(evil),", lines[1])
        everything = b"".join(self.get(self.alice, "audit_export").streaming_content).decode()
        self.assertNotIn("globex", everything)
        self.assertIn("old@acme.example", everything)

    def test_admins_find_the_page_in_the_navigation(self) -> None:
        self.assertContains(self.get(self.alice, "home"), reverse("audit_log"))
        self.assertNotContains(self.get(self.bob, "home"), reverse("audit_log"))


class AuditAdminTest(CairnTestCase):
    def test_platform_staff_read_entries_and_cannot_change_them(self) -> None:
        staff = User.objects.create_user(
            "staff@cairn.example", "pw", is_staff=True, is_superuser=True
        )
        entry = audit.record(Action.SIGN_IN_FAILED, actor_label="who@nowhere.example")
        self.client.force_login(staff)
        change = reverse("admin:audit_auditentry_change", args=[entry.pk])
        self.assertContains(self.client.get(change), "who@nowhere.example")
        delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
