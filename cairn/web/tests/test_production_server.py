"""The production server starts: gunicorn with Cairn's settings serves a page and a static file.

Runs the documented commands (migrate, collectstatic, gunicorn with ``cairn.gunicorn_conf``) in
subprocesses with production settings on a free port, against a scratch SQLite database.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cairn.settings import PROJECT_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a local http URL
    return urllib.request.urlopen(request, timeout=10)  # noqa: S310


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory):
    tmp: Path = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "production-test-key-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'cairn.sqlite3'}",
        "STATIC_ROOT": str(tmp / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": "dummy://",
    }
    cairn = [sys.executable, "-m", "cairn"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([*cairn, *command], env=env, cwd=PROJECT_DIR, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-m", "gunicorn", "-c", "python:cairn.gunicorn_conf"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(f"{base}/healthz")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                stderr = server.stderr.read() if server.stderr else b""
                pytest.fail("gunicorn did not start: " + stderr.decode()[-2000:])
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_it_serves_a_page_with_hashed_static_names(production_server: str) -> None:
    page = _get(f"{production_server}/accounts/login/").read().decode()
    assert "Sign in" in page or "sign in" in page.lower()
    stylesheet = re.search(r'href="(/static/cairn/cairn\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the stylesheet by its hashed name"
    response = _get(production_server + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_it_answers_the_health_check(production_server: str) -> None:
    body = json.loads(_get(f"{production_server}/healthz").read())
    assert body["database"] == "ok"
    assert body["worker"]["status"] == "ok"
