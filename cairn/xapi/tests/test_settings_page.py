"""Setting up the LRS: admins only, public addresses only, a queued send after each activity."""

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cairn.audit.models import Action, AuditEntry
from cairn.errors import ActionError
from cairn.learning.actions import do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.testing import UNREACHABLE_CACHE, CairnTestCase
from cairn.xapi.actions import do_configure_lrs
from cairn.xapi.models import LrsConnection
from cairn.xapi.tasks import send_statements


class LrsSettingsTest(CairnTestCase):
    def test_members_cannot_open_or_change_it(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("xapi_settings")).status_code, 403)
        response = self.client.post(
            reverse("xapi_settings"), {"endpoint": "https://lrs.example.org/xAPI", "key": "k"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LrsConnection.objects.exists())
        with self.assertRaises(ActionError):
            do_configure_lrs(self.bob, endpoint="https://lrs.example.org", key="k", secret="s")

    def test_private_and_local_addresses_are_refused(self) -> None:
        for url in (
            "http://127.0.0.1:8100/xAPI",
            "http://localhost/xAPI",
            "http://10.1.2.3/xAPI",
            "http://169.254.169.254/latest",
            "http://[::1]/xAPI",
            "ftp://lrs.example.org/",
        ):
            with self.assertRaises(ActionError, msg=url) as raised:
                do_configure_lrs(self.alice, endpoint=url, key="k", secret="s")
            self.assertEqual(raised.exception.field, "endpoint")
        self.assertFalse(LrsConnection.objects.exists())

    def test_the_form_names_the_field_and_the_reason(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("xapi_settings"),
            {"endpoint": "http://127.0.0.1/xAPI", "key": "k", "secret": "s", "enabled": "on"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "private or local address", status_code=400)

    @override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
    def test_saving_starts_from_now_keeps_the_secret_and_is_in_the_ledger(self) -> None:
        do_set_goal(self.bob, "Before the LRS", visibility="organisation")
        newest = Event.objects.order_by("-pk")[0]
        connection = do_configure_lrs(
            self.alice, endpoint="http://127.0.0.1:9/xAPI", key="k", secret="first"
        )
        self.assertGreaterEqual(connection.sent_through_event_id, newest.pk)
        do_configure_lrs(self.alice, endpoint="http://127.0.0.1:9/xAPI", key="k2", secret="")
        connection.refresh_from_db()
        self.assertEqual((connection.key, connection.secret), ("k2", "first"))
        self.assertEqual(Event.objects.filter(verb=Verb.LRS_CONFIGURED).count(), 2)
        changes = AuditEntry.objects.filter(action=Action.LRS_CHANGED).order_by("pk")
        self.assertEqual([e.details["secret_changed"] for e in changes], [True, False])
        self.assertNotIn("first", str(list(changes.values())))  # the secret is never logged

    @override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
    def test_a_burst_of_activity_queues_one_send(self) -> None:
        connection = do_configure_lrs(
            self.alice, endpoint="http://127.0.0.1:9/xAPI", key="k", secret="s"
        )
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(3):
                do_set_goal(self.bob, f"Goal {n}", visibility="organisation")
        queued = DBTaskResult.objects.filter(task_path=send_statements.module_path)
        self.assertEqual(queued.count(), 1)
        self.assertEqual(queued.get().args_kwargs["args"], [connection.pk])
        self.assertGreater(queued.get().run_after, timezone.now())  # a few seconds later

    @override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
    def test_a_cache_that_does_not_answer_queues_every_send_rather_than_none(self) -> None:
        do_configure_lrs(self.alice, endpoint="http://127.0.0.1:9/xAPI", key="k", secret="s")
        with override_settings(CACHES=UNREACHABLE_CACHE):
            with self.assertLogs("cairn.outbound", "WARNING"):
                with self.captureOnCommitCallbacks(execute=True):
                    for n in range(2):
                        do_set_goal(self.bob, f"Goal {n}", visibility="organisation")
        queued = DBTaskResult.objects.filter(task_path=send_statements.module_path)
        self.assertEqual(queued.count(), 2)
