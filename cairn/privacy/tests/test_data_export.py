"""A copy of a person's data: every kind of row they have, nothing of others they could not
see, for the person who asked only, and gone after 7 days."""

import io
import json
import zipfile
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cairn.audit.models import Action, AuditEntry
from cairn.exchange.models import Response
from cairn.learning.actions import do_accept, do_log_session, do_request_relationship, do_set_goal
from cairn.learning.actions.feedback import do_give_feedback
from cairn.learning.models import Feedback
from cairn.matching.actions.programs import do_sign_up
from cairn.matching.models import Match, Participant, Program
from cairn.notifications.models import Notification
from cairn.privacy.actions import do_request_data_export
from cairn.privacy.building import do_build_data_export
from cairn.privacy.collect import person_tables
from cairn.privacy.models import DataExport
from cairn.privacy.tests.history import THEIRS, WORDS, build_history
from cairn.testing import IMMEDIATE_TASKS, CairnTestCase
from cairn.trust.adapter import recompute_organisation
from cairn.trust.history import take_snapshots

DIMS = Feedback.DIMENSIONS
#: Things of other people bob may not see; none may be in his copy.
NOT_FOR_BOB = ("Carol-private-goal", "Alice-and-carol-private-note", f"{THEIRS} about bob")


def unzip(blob: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


class DataExportTest(CairnTestCase):
    export: DataExport
    files: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with cls.captureOnCommitCallbacks(execute=True):
            rows = build_history(cls.bob, cls.alice, cls.carol)
            do_set_goal(cls.carol, "Carol-private-goal", visibility="private")
            goal = do_set_goal(cls.alice, "Speak up", visibility="private")
            pair = do_request_relationship(cls.alice, cls.carol, "mentoring", goal, "Mentor me?")
            do_accept(cls.carol, pair)
            session = do_log_session(
                cls.alice, pair, timezone.now(), 30, "", "Alice-and-carol-private-note"
            )
            do_give_feedback(cls.alice, cls.carol, session, _scores(3))
        program = rows["program"]
        assert isinstance(program, Program)
        cls.publish_a_match(program)
        recompute_organisation(cls.acme)
        take_snapshots(cls.acme.pk)
        cls.export = do_request_data_export(cls.bob, cls.bob)
        do_build_data_export(cls.export.pk)
        cls.export.refresh_from_db()
        assert cls.export.archive is not None
        cls.files = unzip(bytes(cls.export.archive))

    @classmethod
    def publish_a_match(cls, program: Program) -> None:
        mentor = do_sign_up(cls.carol, program, role="mentor")
        mentee = Participant.objects.get(program=program, user=cls.bob)
        Match.objects.create(program=program, mentee=mentee, mentor=mentor, score=0.8)
        Program.objects.filter(pk=program.pk).update(status=Program.Status.PUBLISHED)

    def test_every_table_has_rows(self) -> None:
        tables = json.loads(self.files["data.json"])
        self.assertEqual([name for name, rows in tables.items() if not rows], [])
        self.assertGreaterEqual(len(tables), 30)

    def test_each_table_is_also_a_csv(self) -> None:
        tables = json.loads(self.files["data.json"])
        for name, rows in tables.items():
            lines = self.files[f"{name}.csv"].splitlines()
            self.assertEqual(len(lines), len(rows) + 1, name)

    def test_it_holds_bobs_private_notes_and_words(self) -> None:
        tables = json.loads(self.files["data.json"])
        self.assertIn(f"{WORDS} private", [s["private_notes"] for s in tables["sessions"]])
        self.assertEqual(tables["profile"][0]["bio"], f"{WORDS} bio")

    def test_nothing_of_others_he_could_not_see(self) -> None:
        everything = "".join(self.files.values())
        for secret in NOT_FOR_BOB:
            self.assertNotIn(secret, everything)

    def test_feedback_received_is_averages_only(self) -> None:
        tables = json.loads(self.files["data.json"])
        self.assertEqual(tables["feedback_received"], [{"count": 1, "shown_from": 3}])
        rated = [e for e in tables["ledger_events"] if e["verb"] == "rated" and e["actor_name"]]
        self.assertTrue(all(e["actor_name"] == "Bob Baker" for e in rated))

    def test_feedback_received_from_three_people_is_averaged(self) -> None:
        Feedback.objects.bulk_create(
            Feedback(
                organisation=self.acme,
                giver=giver,
                receiver=self.bob,
                content_type=ContentType.objects.get_for_model(Response),
                object_id=pk,
                helpfulness=score,
                responsiveness=score,
                openness=score,
                presence=score,
                comment="Carol-secret-comment",
            )
            for pk, (giver, score) in enumerate([(self.alice, 2), (self.oscar, 4)], 100)
        )
        received = person_tables(self.bob)["feedback_received"]
        self.assertEqual(received, [{"count": 3, "shown_from": 3, **dict.fromkeys(DIMS, 3.7)}])

    def test_the_copy_is_kept_seven_days_from_when_it_is_ready(self) -> None:
        self.assertTrue(self.export.is_downloadable())
        assert self.export.ready_at is not None
        self.assertEqual(self.export.expires_at - self.export.ready_at, timedelta(days=7))

    def test_asking_twice_while_waiting_gives_the_same_request(self) -> None:
        first = do_request_data_export(self.carol, self.carol)
        self.assertEqual(do_request_data_export(self.carol, self.carol), first)

    def test_an_admin_asking_for_a_member_tells_the_member_and_is_audited(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_request_data_export(self.alice, self.carol)
        told = Notification.objects.filter(recipient=self.carol, text__contains="copy of the data")
        self.assertTrue(told.exists())
        entry = AuditEntry.objects.filter(action=Action.DATA_EXPORT_REQUESTED).latest("pk")
        self.assertEqual((entry.actor_id, entry.target), (self.alice.pk, self.carol.email))

    def test_the_periodic_job_deletes_expired_copies(self) -> None:
        DataExport.objects.filter(pk=self.export.pk).update(expires_at=timezone.now())
        call_command("prune_data_exports", stdout=io.StringIO())
        self.assertFalse(DataExport.objects.filter(pk=self.export.pk).exists())

    def test_the_tables_cost_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(36):
            person_tables(self.bob)


@override_settings(TASKS=IMMEDIATE_TASKS)
class DataExportPagesTest(CairnTestCase):
    def test_asking_on_the_page_builds_the_copy_in_the_worker(self) -> None:
        self.client.force_login(self.bob)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/me/data/")
        self.assertRedirects(response, "/me/data/")
        export = DataExport.objects.get(person=self.bob)
        self.assertEqual(export.status, DataExport.Status.READY)
        page = self.client.get("/me/data/").content.decode()
        self.assertIn(f"/me/data/{export.pk}/download/", page)
        download = self.client.get(f"/me/data/{export.pk}/download/")
        self.assertEqual(download["Content-Type"], "application/zip")
        self.assertIn("data.json", unzip(download.content))

    def test_only_whoever_asked_can_download(self) -> None:
        export = do_request_data_export(self.bob, self.bob)
        do_build_data_export(export.pk)
        for someone in (self.alice, self.carol, self.oscar):
            self.client.force_login(someone)
            response = self.client.get(f"/me/data/{export.pk}/download/")
            self.assertEqual(response.status_code, 404, someone)

    def test_an_expired_copy_is_refused(self) -> None:
        export = do_request_data_export(self.bob, self.bob)
        do_build_data_export(export.pk)
        DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
        self.client.force_login(self.bob)
        response = self.client.get(f"/me/data/{export.pk}/download/")
        self.assertRedirects(response, "/me/data/")

    def test_an_admin_asks_and_downloads_a_members_copy(self) -> None:
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/people/bob.baker/data/", {"action": "export"})
        self.assertRedirects(response, "/people/bob.baker/data/")
        export = DataExport.objects.get(person=self.bob, requested_by=self.alice)
        self.assertEqual(self.client.get(f"/me/data/{export.pk}/download/").status_code, 200)

    def test_a_member_cannot_use_the_admins_page(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/people/carol.chen/data/").status_code, 403)
        response = self.client.post("/people/carol.chen/data/", {"action": "export"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(DataExport.objects.exists())

    def test_the_api_asks_lists_and_downloads(self) -> None:
        self.client.force_login(self.bob)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/api/v1/me/data-exports")
        self.assertEqual(response.status_code, 202)
        listed = self.client.get("/api/v1/me/data-exports").json()
        self.assertEqual(listed[0]["status"], "ready")
        download = self.client.get(listed[0]["download"])
        self.assertEqual(download["Content-Type"], "application/zip")

    def test_the_api_refuses_a_member_asking_for_a_colleague(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/api/v1/people/carol.chen/data-exports")
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.oscar)
        response = self.client.post("/api/v1/people/carol.chen/data-exports")
        self.assertEqual(response.status_code, 404)


def _scores(value: int) -> dict[str, int]:
    return dict.fromkeys(("helpfulness", "responsiveness", "openness", "presence"), value)


class DataExportListTest(CairnTestCase):
    def add_copies(self, n: int) -> None:
        DataExport.objects.bulk_create(
            DataExport(organisation=self.acme, person=self.bob, requested_by=self.bob)
            for _ in range(n)
        )

    def test_the_page_lists_copies_at_a_constant_number_of_queries(self) -> None:
        self.assertPageListConstant(self.bob, "/me/data/", "Asked for ", self.add_copies)

    def test_the_api_lists_copies_at_a_constant_number_of_queries(self) -> None:
        self.assertApiListConstant(self.bob, "/me/data-exports", self.add_copies)
