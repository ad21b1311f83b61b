"""Save screenshots of the home, profile and insights pages at desktop and phone width.

    DATABASE_URL=postgresql://... .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Uses the Northwind demo in the database DATABASE_URL names (migrating it and creating the demo
first if it is not there: minutes), serves it on a free local port, signs in as the demo member
(home, profile) and the demo admin (insights) in Debian's Chromium, and writes
``<page>-<width>.png`` for widths 1280 and 390: what a screen of that size shows first.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {1280: 800, 390: 844}  # width: viewport height


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cairn(*args: str) -> list[str]:
    return [sys.executable, "-m", "cairn", *args]


def _serve(port: int) -> subprocess.Popen[bytes]:
    """Start the development server (DEBUG serves the static files) and wait until it answers."""
    env = {**os.environ, "DEBUG": "1"}
    server = subprocess.Popen(  # noqa: S603 - our own interpreter running our own manage.py
        _cairn("runserver", f"127.0.0.1:{port}", "--noreload"), cwd=ROOT, env=env
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not start within a minute.")


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


def _shoot(base_url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from cairn.browser_testing import CHROMIUM, CHROMIUM_ARGS
    from cairn.demo import northwind
    from cairn.people.models import Profile

    member = northwind.DEMO_MEMBER_EMAIL
    handle = Profile.objects.get(user__email=member).handle
    pages = [
        ("home", member, "/home/"),
        ("profile", member, f"/people/{handle}/"),
        ("insights", northwind.DEMO_ADMIN_EMAIL, "/insights/"),
    ]
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            for email in dict.fromkeys(email for _, email, _ in pages):
                context = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": height}
                )
                page = context.new_page()
                _sign_in(page, email, northwind.DEMO_PASSWORD)
                for name, who, path in pages:
                    if who != email:
                        continue
                    page.goto(path)
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=False)
                    saved.append(target)
                context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    subprocess.run(_cairn("migrate", "--no-input"), cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(_cairn("demo"), cwd=ROOT, check=True)  # noqa: S603 - creates it once

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()
    port = _free_port()
    server = _serve(port)
    try:
        saved = _shoot(f"http://127.0.0.1:{port}", args.out)
    finally:
        server.terminate()
        server.wait()
    for path in saved:
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
