"""``cairn worker`` takes back, at start-up, the tasks a killed run of itself left RUNNING."""

from unittest import mock

from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from cairn.testing import make_organisation
from cairn.trust.tasks import recompute_trust
from cairn.web.management.commands.worker import lower_priority, requeue_abandoned


def claimed_by(worker_id: str) -> DBTaskResult:
    result = recompute_trust.enqueue(make_organisation(worker_id, worker_id).pk)
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker_id)
    return task


class RequeueTest(TestCase):
    def test_only_the_tasks_of_this_worker_are_made_ready_again(self) -> None:
        mine, theirs = claimed_by("me"), claimed_by("them")
        self.assertEqual(requeue_abandoned("me"), 1)
        self.assertEqual(DBTaskResult.objects.get(pk=mine.pk).status, TaskResultStatus.READY)
        self.assertEqual(DBTaskResult.objects.get(pk=theirs.pk).status, TaskResultStatus.RUNNING)
        self.assertIn(mine, DBTaskResult.objects.ready())

    def test_finished_tasks_are_left_alone(self) -> None:
        done = claimed_by("me")
        done.set_successful(None)
        self.assertEqual(requeue_abandoned("me"), 0)
        self.assertEqual(DBTaskResult.objects.get(pk=done.pk).status, TaskResultStatus.SUCCESSFUL)


class PriorityTest(TestCase):
    def test_it_yields_the_cpu_by_the_niceness_asked(self) -> None:
        with mock.patch("os.nice", return_value=10) as nice:
            self.assertEqual(lower_priority(10), 10)
        nice.assert_called_once_with(10)

    def test_a_niceness_out_of_range_is_refused_before_anything_runs(self) -> None:
        with (
            mock.patch("os.nice") as nice,
            mock.patch("cairn.web.management.commands.worker.call_command") as runs,
        ):
            with self.assertRaisesMessage(CommandError, "--nice: 25 is not between 0 and 19"):
                call_command("worker", nice=25)
        nice.assert_not_called()
        runs.assert_not_called()
