"""A real Ralph LRS for the tests: its own virtual environment, the file-system backend, a free
port. The environment is built once (``.venv-ralph`` in the project, about a minute) and kept."""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from cairn.settings import PROJECT_DIR

VENV = PROJECT_DIR / ".venv-ralph"
#: Pinned: the LRS under test, the server it runs in, and what its CLI imports.
PACKAGES = ("ralph-malph[lrs,cli]==5.1.0", "uvicorn==0.30.6", "requests==2.34.2")
USER, PASSWORD = "cairn-tests", "lrs-secret-for-tests"


def ensure_venv() -> Path:
    """Return Ralph's virtual environment, building it first if it is missing."""
    marker = VENV / ".complete"
    with open(PROJECT_DIR / ".venv-ralph.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)  # noqa: S603
            subprocess.run(  # noqa: S603 - pinned packages from the registry
                [str(VENV / "bin" / "pip"), "install", "--quiet", *PACKAGES], check=True
            )
            marker.write_text(" ".join(PACKAGES))
    return VENV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RalphLrs:
    """A running Ralph LRS; ``endpoint`` is its xAPI base URL."""

    def __init__(self) -> None:
        venv = ensure_venv()
        self.dir = Path(tempfile.mkdtemp(prefix="ralph-lrs-"))
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.dir / "app"),
            "RALPH_AUTH_FILE": str(self.dir / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.dir / "data"),
        }
        subprocess.run(  # noqa: S603 - Ralph's own CLI in its own environment
            [str(venv / "bin" / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all"]
            + ["-A", USER, "https://cairn.test", "-w"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        self.endpoint = f"http://127.0.0.1:{port}/xAPI"
        self.process = subprocess.Popen(  # noqa: S603
            [str(venv / "bin" / "uvicorn"), "ralph.api:app", "--host", "127.0.0.1"]
            + ["--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.statements()
                break
            except httpx.HTTPError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    stderr = self.process.stderr.read() if self.process.stderr else b""
                    raise RuntimeError("Ralph did not start: " + stderr.decode()) from error
                time.sleep(0.3)

    def statements(self) -> list[dict]:
        """Return every statement the LRS holds, read back through its xAPI API."""
        found, url = [], self.endpoint + "/statements?limit=500"
        while url:
            answer = httpx.get(
                url,
                auth=(USER, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            answer.raise_for_status()
            body = answer.json()
            found += body["statements"]
            more = body.get("more")
            url = self.endpoint.rsplit("/xAPI", 1)[0] + more if more else ""
        return found

    def clear(self) -> None:
        """Forget every statement (the file-system backend keeps them in files of its folder)."""
        for path in (self.dir / "data").glob("*"):
            path.unlink()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
