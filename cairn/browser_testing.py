"""Browser tests: Playwright (sync API) driving Debian's Chromium against the live server.

A pytest plugin (registered in the root conftest.py) so that every app's ``tests/browser``
folder shares one Chromium for the whole session. Reusable pieces for every browser test:

* ``page`` — a fresh tab in a fresh browser context (own cookies) pointed at the live server, so
  ``page.goto("/people/")`` works. If the test fails, a screenshot is saved to
  ``test-artifacts/<test-name>.png``.
* ``personas`` — Acme (alice the admin, bob, carol) and Globex (oscar), as in ``cairn.testing``.
* ``signed_in_page(user)`` — the ``page``, already signed in as ``user`` (a session cookie is
  injected: fast). ``sign_in(page, email)`` signs in through the form instead.
* ``shot(page, name)`` saves a screenshot to ``$CAIRN_SCREENSHOTS/<name>.png`` when that folder
  is set (``make screenshots``); ``PHONE`` is a phone's viewport.

Every test in a ``tests/browser`` folder is marked ``browser``; run just them with
``pytest -m browser``. They are skipped, loudly, only when /usr/bin/chromium is missing.
"""

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

if TYPE_CHECKING:
    from cairn.testing import Personas

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is fine (it is: the loop is Playwright's own).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: How long to wait for an element or a navigation before failing (milliseconds).
TIMEOUT_MS = 10_000
#: A folder to save screenshots in; unset, ``shot`` saves none.
SHOTS = os.environ.get("CAIRN_SCREENSHOTS")
#: A phone's viewport (``page.set_viewport_size(PHONE)``).
PHONE = {"width": 390, "height": 844}
MISSING = (
    f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's chromium "
    "(`sudo apt-get install chromium`, or `make browser`) to run them."
)


class OneRequestAtATimeOnSqlite(ThreadedWSGIServer):
    """The live server, serving one request at a time when the tests run on SQLite.

    A page fires requests side by side (a person picker's search beside a form's suggestions).
    On the test's in-memory SQLite database (shared cache) two server threads running
    statements at once sometimes failed with "bad parameter or other API misuse", and the page
    landed on an error or the sign-in form (one CI run in four, on 2026-12-05). On
    PostgreSQL each thread has its own connection and nothing is serialised.
    """

    def set_app(self, application: Any) -> None:
        from django.db import connections

        if connections["default"].vendor != "sqlite":
            super().set_app(application)
            return
        one_at_a_time = threading.Lock()

        def serialised(environ: Any, start_response: Any) -> Any:
            with one_at_a_time:
                return application(environ, start_response)

        super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeOnSqlite


def is_browser_test(path: Path) -> bool:
    """Return whether a test file lives in a ``tests/browser`` folder."""
    return path.parent.name == "browser" and path.parent.parent.name == "tests"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_browser_test(Path(item.path)):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_report_header(config: pytest.Config) -> str | None:
    return None if CHROMIUM.exists() else MISSING


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can tell in teardown if the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def _browser_settings(settings: Any) -> None:
    # The live server speaks plain http, so cookies cannot be "Secure" there.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def context(browser: Any, live_server: Any, _browser_settings: None) -> Iterator[Any]:
    """A fresh browser context (its own cookies and storage) for one test."""
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


@pytest.fixture
def page(context: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab on the live server; on failure its screenshot goes to test-artifacts/<test>.png."""
    tab = context.new_page()
    yield tab
    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{_artifact_name(request.node.nodeid)}.png"
        try:
            tab.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a failed screenshot must not hide the failure itself
            print(f"Could not save a screenshot to {path}: {error}")
        else:
            print(f"Screenshot of the failure: {path}")


@pytest.fixture
def personas(transactional_db: None) -> "Personas":
    """The shared personas of ``cairn.testing``, built in the live server's database."""
    from cairn.testing import Personas, make_personas

    return make_personas(Personas())


def sign_in(page: Any, email: str, password: str | None = None) -> None:
    """Sign in through the sign-in form, as a person would, and wait for the home page."""
    from cairn.testing import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")


@pytest.fixture
def signed_in_page(page: Any, context: Any, live_server: Any) -> Callable[[Any], Any]:
    """Return ``sign_in_as(user)``: the page, signed in as ``user`` through a session cookie."""
    from django.conf import settings
    from django.test import Client

    def sign_in_as(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return page

    return sign_in_as


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot of ``page`` as ``<name>.png`` in ``SHOTS``, if it is set."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def pick_person(page: Any, box: Any, typed: str, name: str) -> None:
    """Type into a people picker ``box`` (a locator) and click the colleague called ``name``."""
    from playwright.sync_api import expect

    box.fill(typed)
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    option = listbox.get_by_role("option", name=re.compile(re.escape(name)))
    expect(option).to_be_visible()
    option.click()
    expect(listbox).to_be_hidden()
