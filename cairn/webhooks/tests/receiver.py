"""A webhook receiver for tests: http.server on a free port, in a thread, keeping every request.

It answers each POST with the next status of ``answers`` (200 once they run out), after
``delay`` seconds, so a test can make it fail, recover or be too slow.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cairn.testing import CairnTestCase


@dataclass(frozen=True)
class Received:
    """One request the receiver got: its headers (lower-case names) and body."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(
                        Received({k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.answers.pop(0) if receiver.answers else 200
                time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver says no")

            def log_message(self, *args: object) -> None:  # keep test output quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.answers.clear()
            self.delay = 0.0

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ReceiverTestCase(CairnTestCase):
    """The personas, and one receiver per class, emptied before each test."""

    receiver: Receiver

    @classmethod
    def setUpClass(cls) -> None:
        cls.receiver = Receiver()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.receiver.stop()

    def setUp(self) -> None:
        self.receiver.reset()
