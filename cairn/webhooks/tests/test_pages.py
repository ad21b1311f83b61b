"""The webhook pages: admins only, another organisation's webhooks invisible, bad addresses
refused with the reason, every change audited, the secret shown once and never logged."""

import json

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cairn.audit.models import Action, AuditEntry
from cairn.errors import ActionError
from cairn.learning.actions import do_set_goal
from cairn.ledger.models import Event, Verb
from cairn.people.models import User
from cairn.testing import CairnTestCase, make_person
from cairn.webhooks.actions import do_add_webhook, do_change_webhook
from cairn.webhooks.models import Delivery, Endpoint
from cairn.webhooks.tasks import send_webhooks

HOOK = "http://127.0.0.1:9/hook"


@override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True)
class WebhookPagesTest(CairnTestCase):
    gina: User
    hook: Endpoint
    secret: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gina = make_person(cls.globex, "Gina Globex", User.Role.ADMIN)
        with override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=True):
            cls.hook, cls.secret = do_add_webhook(
                cls.alice, url=HOOK, event_types=["asked"], description="Acme intranet"
            )

    def test_members_cannot_open_or_add_webhooks(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("webhooks")).status_code, 403)
        self.assertEqual(self.client.get(reverse("webhook", args=[self.hook.pk])).status_code, 403)
        added = self.client.post(reverse("webhooks"), {"url": HOOK, "event_types": ["asked"]})
        self.assertEqual(added.status_code, 403)
        removed = self.client.post(reverse("webhook", args=[self.hook.pk]), {"action": "remove"})
        self.assertEqual(removed.status_code, 403)
        self.assertEqual(Endpoint.objects.count(), 1)
        with self.assertRaises(ActionError):
            do_add_webhook(self.bob, url=HOOK, event_types=["asked"])

    def test_another_organisations_admin_sees_none_of_them(self) -> None:
        self.client.force_login(self.gina)
        page = self.client.get(reverse("webhooks"))
        self.assertNotContains(page, "Acme intranet")
        for action in ("", "test", "remove"):
            response = self.client.post(
                reverse("webhook", args=[self.hook.pk]), {"action": action} if action else {}
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(reverse("webhook", args=[self.hook.pk])).status_code, 404)
        with self.assertRaises(ActionError) as refused:
            do_change_webhook(self.gina, self.hook, url=HOOK, event_types=["asked"])
        self.assertEqual(refused.exception.status, 404)
        self.assertFalse(Delivery.objects.exists())

    @override_settings(CAIRN_ALLOW_PRIVATE_NETWORK_TARGETS=False)
    def test_private_and_local_addresses_are_refused_unless_allowed(self) -> None:
        for url in (
            "http://127.0.0.1:8100/hook",
            "http://localhost/hook",
            "http://10.1.2.3/hook",
            "http://192.168.0.10/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "ftp://hooks.example.org/",
        ):
            with self.assertRaises(ActionError, msg=url) as refused:
                do_add_webhook(self.alice, url=url, event_types=["asked"])
            self.assertEqual(refused.exception.field, "url")
        self.assertEqual(Endpoint.objects.count(), 1)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("webhooks"), {"url": "http://127.0.0.1/hook", "event_types": ["asked"]}
        )
        self.assertContains(response, "private or local address", status_code=400)

    def test_event_types_must_be_chosen_from_the_list_and_text_kept_short(self) -> None:
        too_long = HOOK + "/" + "x" * 500
        with self.assertRaisesMessage(ActionError, "under 500 characters"):
            do_add_webhook(self.alice, url=too_long, event_types=["asked"])
        with self.assertRaisesMessage(ActionError, "under 200 characters"):
            do_add_webhook(self.alice, url=HOOK, event_types=["asked"], description="x" * 201)
        for chosen, reason in (([], "at least one"), (["rated"], "cannot be sent")):
            with self.assertRaises(ActionError) as refused:
                do_add_webhook(self.alice, url=HOOK, event_types=chosen)
            self.assertEqual(refused.exception.field, "event_types")
            self.assertIn(reason, refused.exception.message)
        self.client.force_login(self.alice)
        response = self.client.post(reverse("webhooks"), {"url": HOOK, "event_types": ["rated"]})
        self.assertEqual(response.status_code, 400)

    def test_the_secret_is_shown_once_and_never_logged(self) -> None:
        self.client.force_login(self.alice)
        added = self.client.post(
            reverse("webhooks"),
            {"url": HOOK, "description": "Data lake", "event_types": ["asked", "goal_set"]},
        )
        self.assertEqual(added.status_code, 201)
        endpoint = Endpoint.objects.get(description="Data lake")
        self.assertTrue(endpoint.secret.startswith("whsec_"))
        self.assertContains(added, endpoint.secret, status_code=201)
        later = self.client.get(reverse("webhook", args=[endpoint.pk]))
        self.assertNotContains(later, endpoint.secret)
        logged = json.dumps(list(AuditEntry.objects.values("target", "details")))
        logged += json.dumps(list(Event.objects.values_list("context", flat=True)))
        self.assertNotIn(endpoint.secret, logged)
        self.assertNotIn(self.secret, logged)

    def test_adding_changing_and_removing_are_audited_and_in_the_ledger(self) -> None:
        self.client.force_login(self.alice)
        page = reverse("webhook", args=[self.hook.pk])
        changed = self.client.post(
            page,
            {"url": HOOK, "event_types": ["asked"], "enabled": "on", "new_secret": "on"},
        )
        self.assertEqual(changed.status_code, 200)
        self.hook.refresh_from_db()
        self.assertNotEqual(self.hook.secret, self.secret)
        self.assertContains(changed, self.hook.secret)
        self.assertEqual(self.client.post(page, {"action": "remove"}).status_code, 302)
        self.assertFalse(Endpoint.objects.exists())
        actions = list(
            AuditEntry.objects.filter(action__startswith="webhook_")
            .order_by("pk")
            .values_list("action", "details__secret_changed")
        )
        self.assertEqual(
            actions,
            [
                (Action.WEBHOOK_ADDED, None),
                (Action.WEBHOOK_CHANGED, True),
                (Action.WEBHOOK_REMOVED, None),
            ],
        )
        verbs = Event.objects.filter(verb__startswith="webhook_").order_by("pk")
        self.assertEqual(
            list(verbs.values_list("verb", flat=True)),
            [Verb.WEBHOOK_ADDED, Verb.WEBHOOK_CHANGED, Verb.WEBHOOK_REMOVED],
        )

    def test_a_burst_of_activity_queues_one_send_per_endpoint_that_wants_it(self) -> None:
        cache.clear()  # no coalescing window left over from another test
        do_add_webhook(self.alice, url=HOOK, event_types=["goal_set"])
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(3):
                do_set_goal(self.bob, f"Goal {n}", visibility="organisation")
        queued = DBTaskResult.objects.filter(task_path=send_webhooks.module_path)
        self.assertEqual(queued.count(), 1)  # the first webhook wants requests, not goals
        self.assertNotEqual(queued.get().args_kwargs["args"], [self.hook.pk])

    def test_switching_a_webhook_back_on_queues_a_send_of_what_waited(self) -> None:
        cache.clear()
        Endpoint.objects.filter(pk=self.hook.pk).update(enabled=False)
        self.hook.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            do_change_webhook(self.alice, self.hook, url=HOOK, event_types=["asked"], enabled=True)
        queued = DBTaskResult.objects.get(task_path=send_webhooks.module_path)
        self.assertEqual(queued.args_kwargs["args"], [self.hook.pk])

    def test_the_list_and_the_log_cost_the_same_queries_at_any_length(self) -> None:
        self.client.force_login(self.alice)

        def add_webhooks(n: int) -> None:
            for _ in range(n):
                do_add_webhook(self.alice, url=HOOK, event_types=["asked"], description="Row")

        self.assertConstantQueries(
            lambda: self.rows_on_page(reverse("webhooks"), ">Row</a>"), add_webhooks
        )

        def add_deliveries(n: int) -> None:
            for i in range(n):
                Delivery.objects.create(
                    endpoint=self.hook, message_id=f"msg_{i}", event_type="asked", status="sent"
                )

        self.assertConstantQueries(
            lambda: self.rows_on_page(reverse("webhook", args=[self.hook.pk]), "delivered ("),
            add_deliveries,
        )
