"""Crash safety on PostgreSQL: kill -9 the web server mid-stream and the task worker mid-task.

Every write the API acknowledged (201) is there with its ledger event, nothing is there without
one, and a trust recompute claimed by a worker that died runs when the worker starts again.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from cairn.exchange.models import Post
from cairn.ledger.models import Event, Verb
from cairn.people.actions import do_create_api_token
from cairn.testing import make_organisation, make_person
from cairn.trust.actions import do_queue_recompute
from cairn.trust.models import TrustState

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = pytest.mark.skipif(not ON_POSTGRESQL, reason="crash safety is tested on PostgreSQL")

PROJECT_DIR = Path(__file__).resolve().parents[2]
KILLS = 1
POSTS_BETWEEN_KILLS = 10
#: Generous: a loaded CI machine can take many seconds to import Cairn.
STARTUP_SECONDS = 90


def child_environment() -> dict[str, str]:
    """Return the environment for a server or worker that uses this test's database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain http on a local port
        "CAIRN_LIMIT_POSTS": "1000000",
    }


def start(*command: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "cairn", *command],
        cwd=PROJECT_DIR,
        env=child_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.05)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


class Server:
    """``cairn runserver`` on a free port, started, killed with -9 and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = self.start()

    def start(self) -> subprocess.Popen[bytes]:
        process = start("runserver", "--noreload", "--skip-checks", f"127.0.0.1:{self.port}")
        try:
            wait_until(self.healthy, STARTUP_SECONDS, "the server to answer")
        except AssertionError:
            kill(process)
            raise
        return process

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    def restart_after_kill(self) -> None:
        kill(self.process)
        self.process = self.start()


class Writer(threading.Thread):
    """A client posting as fast as the server answers, remembering what was acknowledged."""

    def __init__(self, base: str, secret: str) -> None:
        super().__init__(daemon=True)
        self.base, self.secret = base, secret
        self.acknowledged: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            body = json.dumps({"title": f"Crash note {n}", "body": f"Know-how number {n}."})
            request = urllib.request.Request(  # noqa: S310 - a local http URL
                f"{self.base}/api/v1/posts",
                data=body.encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.secret}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 201:
                        self.acknowledged.append(json.load(response)["id"])
            except OSError:
                time.sleep(0.05)  # the server is down or restarting; try the next one


class ServerKilledTest(TransactionTestCase):
    def test_every_acknowledged_post_survives_kill_9_with_its_event(self) -> None:
        org = make_organisation("crash", "Crash Test")
        author = make_person(org, "Casey Crash")
        _, secret = do_create_api_token(author, "crash test")
        server = Server()
        writer = Writer(server.base, secret)
        writer.start()
        try:
            for kills in range(1, KILLS + 1):
                wait_until(
                    lambda k=kills: len(writer.acknowledged) >= k * POSTS_BETWEEN_KILLS,
                    STARTUP_SECONDS,
                    "acknowledged posts",
                )
                server.restart_after_kill()
            wait_until(
                lambda: len(writer.acknowledged) >= (KILLS + 1) * POSTS_BETWEEN_KILLS,
                STARTUP_SECONDS,
                "posts after the last restart",
            )
        finally:
            writer.stop.set()
            writer.join(timeout=10)
            kill(server.process)
        posts = set(Post.objects.filter(author=author).values_list("pk", flat=True))
        events = Event.objects.filter(
            organisation=org, verb=Verb.SHARED, object_type="exchange.post"
        )
        with_event = {int(pk) for pk in events.values_list("object_id", flat=True)}
        self.assertLessEqual(set(writer.acknowledged), posts)
        self.assertEqual(posts, with_event)
        self.assertEqual(events.count(), len(posts))


def run_worker_until(task: DBTaskResult, status: str, worker_id: str) -> None:
    """Start ``cairn worker``, wait until ``task`` has ``status``, then kill -9 the worker."""
    worker = start("worker", "--worker-id", worker_id)
    try:
        wait_until(
            lambda: DBTaskResult.objects.get(pk=task.pk).status == status,
            STARTUP_SECONDS,
            f"task {status}",
        )
    finally:
        kill(worker)


class WorkerKilledTest(TransactionTestCase):
    def test_a_recompute_claimed_by_a_killed_worker_runs_when_it_starts_again(self) -> None:
        org = make_organisation("crash", "Crash Test")
        make_person(org, "Casey Crash")
        do_queue_recompute(org.pk)
        # Making the person also queued a recommendation build; this test is about the pass.
        [task] = DBTaskResult.objects.filter(task_path__endswith=".recompute_trust")
        with transaction.atomic():
            # Hold the organisation's trust state: the worker claims the task, then waits here.
            TrustState.objects.select_for_update().get(organisation=org)
            run_worker_until(task, TaskResultStatus.RUNNING, "crash-test-worker")
        self.assertEqual(DBTaskResult.objects.get(pk=task.pk).status, TaskResultStatus.RUNNING)
        run_worker_until(task, TaskResultStatus.SUCCESSFUL, "crash-test-worker")
        state = TrustState.objects.get(organisation=org)
        self.assertFalse(state.queued)
        self.assertIsNotNone(state.computed_at)
