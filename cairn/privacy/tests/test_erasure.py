"""Erasing an account: nothing of the person is left in any table, nobody else loses their
rows, the ledger keeps every event, and colleagues' trust stays where it was."""

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from cairn.audit.models import Action, AuditEntry
from cairn.communities.models import Reply
from cairn.errors import ActionError
from cairn.exchange.actions import do_thank
from cairn.exchange.models import Comment, Response
from cairn.learning.models import Session
from cairn.ledger.models import Event, Verb
from cairn.matching.actions import do_create_program
from cairn.matching.models import Participant
from cairn.notifications.models import Notification
from cairn.people.actions import do_update_profile
from cairn.people.models import Profile, User
from cairn.privacy.actions import do_erase_account, do_request_data_export
from cairn.privacy.erasure import REMOVED, scrub_context, text_fields
from cairn.privacy.models import DataExport
from cairn.privacy.tests.history import THEIRS, WORDS, build_history
from cairn.testing import CairnTestCase, make_person
from cairn.trust.adapter import recompute_organisation
from cairn.trust.models import DIMENSIONS, TrustProfile

#: Colleagues' trust may move by the engine's solver tolerance, no more.
TRUST_TOLERANCE = 1e-6


def rows_mentioning(needle: str) -> list[str]:
    """Return "app.Model.column" for every row of every table whose text holds ``needle``."""
    found = []
    for model in apps.get_models():
        for field in text_fields(model):
            rows = model._base_manager.filter(**{f"{field.attname}__icontains": needle})
            found += [
                f"{model._meta.label}.{field.attname} #{pk}"
                for pk in rows.values_list("pk", flat=True)
            ]
    return found


def trust_of_everyone() -> dict[int, tuple[float, ...]]:
    """Return each person's overall trust and its four dimensions."""
    columns = ("trust", *(name for name, _ in DIMENSIONS))
    return {row[0]: tuple(row[1:]) for row in TrustProfile.objects.values_list("user_id", *columns)}


class EraseAccountTest(CairnTestCase):
    rows: dict[str, Model]
    bob_name: str
    bob_email: str
    bob_handle: str
    events_before: int
    trust_before: dict[int, tuple[float, ...]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with cls.captureOnCommitCallbacks(execute=True):
            cls.rows = build_history(cls.bob, cls.alice, cls.carol)
            do_thank(cls.alice, cls.carol, "For the design review")
            do_thank(cls.alice, cls.bob, "For the numbers")
            do_request_data_export(cls.bob, cls.bob)
        recompute_organisation(cls.acme)
        cls.bob_name = cls.bob.profile.name
        cls.bob_email = cls.bob.email
        cls.bob_handle = cls.bob.profile.handle
        cls.events_before = Event.objects.count()
        cls.trust_before = trust_of_everyone()

    def erase(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_erase_account(self.bob, self.bob, self.bob_email.upper())
        self.bob.refresh_from_db()

    def test_the_history_names_bob_everywhere_before(self) -> None:
        self.assertGreater(len(rows_mentioning(WORDS)), 20)
        self.assertTrue(
            Notification.objects.exclude(recipient=self.bob)
            .filter(text__contains=self.bob_name)
            .exists()
        )

    def test_no_table_holds_bobs_name_email_handle_or_words_after(self) -> None:
        self.erase()
        for needle in (self.bob_name, self.bob_email, self.bob_handle, WORDS):
            with self.subTest(needle=needle):
                self.assertEqual(rows_mentioning(needle), [])

    def test_other_peoples_rows_stay(self) -> None:
        self.erase()
        for key in ("carol_response", "carol_comment", "carol_reply", "carol_session"):
            row = self.rows[key]
            self.assertTrue(type(row)._default_manager.filter(pk=row.pk).exists(), key)
        self.assertEqual(
            Response.objects.get(pk=self.rows["carol_response"].pk).body, f"{THEIRS} answer"
        )
        self.assertEqual(Reply.objects.filter(body__contains=THEIRS).count(), 1)
        self.assertEqual(Comment.objects.filter(body__contains=THEIRS).count(), 1)
        self.assertEqual(Session.objects.filter(shared_notes__contains=THEIRS).count(), 1)
        bobs_answer = Response.objects.get(pk=self.rows["bob_response"].pk)
        self.assertEqual(bobs_answer.body, REMOVED)

    def test_the_ledger_keeps_every_event_naming_the_tombstone(self) -> None:
        self.erase()
        self.assertEqual(
            Event.objects.exclude(verb=Verb.ACCOUNT_ERASED).count(), self.events_before
        )
        self.assertTrue(Event.objects.filter(actor=self.bob, verb=Verb.ASKED).exists())
        erased = Event.objects.get(verb=Verb.ACCOUNT_ERASED)
        self.assertEqual((erased.actor_id, erased.subject_id), (self.bob.pk, self.bob.pk))

    def test_the_account_becomes_a_tombstone_nobody_can_sign_in_as(self) -> None:
        self.erase()
        self.assertFalse(self.bob.is_active)
        self.assertFalse(self.bob.has_usable_password())
        self.assertTrue(self.bob.email.endswith("@erased.invalid"))
        self.assertEqual(self.bob.profile.name, "Former member")
        self.assertFalse(Profile.objects.visible_to(self.alice).filter(user=self.bob).exists())
        self.assertFalse(DataExport.objects.filter(person=self.bob).exists())
        self.assertFalse(
            self.client.login(email=self.bob_email, password="correct horse battery staple")
        )

    def test_colleagues_trust_stays_within_the_solvers_tolerance(self) -> None:
        self.erase()
        recompute_organisation(self.acme)
        after = trust_of_everyone()
        colleagues = [self.alice.pk, self.carol.pk]
        self.assertTrue(all(self.trust_before[pk][0] > 0 for pk in colleagues))
        for pk in colleagues:
            self.assertEqual(after[pk], pytest.approx(self.trust_before[pk], abs=TRUST_TOLERANCE))
        self.assertNotIn(self.bob.pk, after)

    def test_the_erasure_is_audited_without_naming_bob(self) -> None:
        self.erase()
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_ERASED)
        self.assertEqual(entry.target, self.bob.email)
        self.assertEqual(entry.details, {"by_admin": False})

    def test_an_admin_can_erase_a_member(self) -> None:
        do_erase_account(self.alice, self.carol, "carol.chen@acme.example")
        self.assertEqual(rows_mentioning("carol.chen@acme.example"), [])
        entry = AuditEntry.objects.get(action=Action.ACCOUNT_ERASED)
        self.assertEqual((entry.actor_id, entry.details), (self.alice.pk, {"by_admin": True}))

    def test_it_refuses_without_the_email_typed(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_erase_account(self.bob, self.bob, "bob")
        self.assertEqual(refused.exception.field, "confirm")
        self.assertTrue(User.objects.get(pk=self.bob.pk).is_active)

    def test_a_member_cannot_erase_a_colleague(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_erase_account(self.carol, self.bob, self.bob_email)
        self.assertEqual(refused.exception.status, 403)

    def test_an_admin_of_another_organisation_cannot(self) -> None:
        self.oscar.role = User.Role.ADMIN
        with self.assertRaises(ActionError) as refused:
            do_erase_account(self.oscar, self.bob, self.bob_email)
        self.assertEqual(refused.exception.status, 404)

    def test_a_namesake_in_another_organisation_keeps_his_name(self) -> None:
        namesake = make_person(self.globex, "Bob Baker")
        do_update_profile(namesake, bio="Bob Baker of Globex")
        self.erase()
        namesake.profile.refresh_from_db()
        self.assertEqual(
            (namesake.profile.name, namesake.profile.bio), ("Bob Baker", "Bob Baker of Globex")
        )
        self.assertEqual(namesake.profile.handle, self.bob_handle)

    def test_a_name_with_accents_leaves_json_columns_too(self) -> None:
        zoe = make_person(self.acme, "Zoë Ångström")
        program = do_create_program(
            self.alice, name="Autumn", opens_at=timezone.now(), closes_at=timezone.now()
        )
        Participant.objects.create(
            program=program, user=self.carol, role="mentee", answers={"hope": "Zoë Ångström"}
        )
        do_erase_account(self.alice, zoe, zoe.email)
        answers = Participant.objects.get(user=self.carol).answers
        self.assertEqual(answers, {"hope": "a former member"})

    def test_the_only_admin_cannot_be_erased(self) -> None:
        with self.assertRaises(ActionError) as refused:
            do_erase_account(self.alice, self.alice, self.alice.email)
        self.assertEqual(refused.exception.status, 409)


class ScrubContextTest(CairnTestCase):
    def test_words_go_and_ids_and_codes_stay(self) -> None:
        context = {"reason": "my words", "role": "mentee", "notify": [3], "nested": {"name": "x"}}
        self.assertEqual(
            scrub_context(context),
            {"reason": REMOVED, "role": "mentee", "notify": [3], "nested": {"name": REMOVED}},
        )


class ErasurePagesTest(CairnTestCase):
    def test_a_person_erases_their_account_and_is_signed_out(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/me/delete/", {"confirm": "bob.baker@acme.example"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(User.objects.get(pk=self.bob.pk).is_active)

    def test_a_wrong_confirmation_is_refused_on_the_field(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/me/delete/", {"confirm": "bob"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Type your email address exactly", response.content.decode())
        self.assertTrue(User.objects.get(pk=self.bob.pk).is_active)

    def test_an_admin_erases_a_member_from_the_members_page(self) -> None:
        self.client.force_login(self.alice)
        data = {"action": "erase", "confirm": "carol.chen@acme.example"}
        response = self.client.post("/people/carol.chen/data/", data)
        self.assertRedirects(response, "/people/", fetch_redirect_response=False)
        self.assertFalse(User.objects.get(pk=self.carol.pk).is_active)
        self.assertEqual(self.client.get("/people/carol.chen/data/").status_code, 404)

    def test_only_admins_of_the_organisation_reach_the_members_page(self) -> None:
        data = {"action": "erase", "confirm": "carol.chen@acme.example"}
        for someone, status in ((self.bob, 403), (self.oscar, 404)):
            self.client.force_login(someone)
            self.assertEqual(self.client.post("/people/carol.chen/data/", data).status_code, status)
        self.assertTrue(User.objects.get(pk=self.carol.pk).is_active)
