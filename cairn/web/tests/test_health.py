"""The health check: the database answers, and a task waiting too long means the worker is late."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cairn.testing import UNREACHABLE_CACHE
from cairn.web.tasks import heartbeat


@override_settings(CAIRN_WORKER_LATE_SECONDS=300)
class HealthCheckTest(TestCase):
    def _ready_task(self, waited: timedelta, run_after=None) -> DBTaskResult:
        result = heartbeat.enqueue()
        row = DBTaskResult.objects.get(pk=result.id)
        row.enqueued_at = timezone.now() - waited
        if run_after is not None:
            row.run_after = run_after
        row.save(update_fields=["enqueued_at", "run_after"])
        return row

    def test_it_is_ok_with_an_empty_queue(self) -> None:
        body = self.client.get("/healthz").json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["database"], "ok")
        self.assertEqual(body["worker"]["waiting"], 0)
        self.assertIsNone(body["worker"]["oldest_waiting_seconds"])

    def test_a_task_waiting_briefly_is_no_alarm(self) -> None:
        self._ready_task(timedelta(seconds=30))
        body = self.client.get("/healthz?strict=1").json()
        self.assertEqual(body["worker"]["status"], "ok")
        self.assertEqual(body["worker"]["waiting"], 1)

    def test_a_task_waiting_too_long_makes_the_worker_late(self) -> None:
        self._ready_task(timedelta(minutes=20))
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)  # a load balancer keeps this server
        self.assertEqual(response.json()["status"], "degraded")
        self.assertEqual(response.json()["worker"]["status"], "late")
        strict = self.client.get("/healthz?strict=1")
        self.assertEqual(strict.status_code, 503)

    def test_a_task_scheduled_for_later_waits_only_from_its_time(self) -> None:
        soon = timezone.now() - timedelta(seconds=10)
        self._ready_task(timedelta(hours=2), run_after=soon)
        worker = self.client.get("/healthz").json()["worker"]
        self.assertEqual(worker["status"], "ok")
        self.assertLess(worker["oldest_waiting_seconds"], 60)

    def test_a_finished_task_is_reported(self) -> None:
        row = self._ready_task(timedelta(minutes=20))
        row.status = "SUCCESSFUL"
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "finished_at"])
        worker = self.client.get("/healthz").json()["worker"]
        self.assertEqual(worker["status"], "ok")
        self.assertIsNotNone(worker["last_finished_at"])

    def test_periodic_enqueues_the_heartbeat(self) -> None:
        call_command("periodic", stdout=StringIO())
        self.assertTrue(DBTaskResult.objects.filter(task_path=heartbeat.module_path).exists())


class CacheHealthTest(TestCase):
    def test_a_cache_that_answers_is_ok(self) -> None:
        body = self.client.get("/healthz").json()
        self.assertEqual(body["cache"], "ok")

    @override_settings(CACHES=UNREACHABLE_CACHE)
    def test_a_cache_that_does_not_answer_degrades_the_server(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)  # pages still work without it
        self.assertEqual(response.json()["status"], "degraded")
        self.assertEqual(response.json()["cache"], "down")
        self.assertEqual(self.client.get("/healthz?strict=1").status_code, 503)
