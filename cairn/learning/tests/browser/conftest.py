"""Browser tests of the learning app reuse the shared Playwright fixtures of cairn/web.

Fixtures of a conftest are seen only below its folder, so the ones this folder needs are
imported here. ``browser`` is its own, per module: a second Playwright cannot start while
cairn/web's session-wide one is running, so if that one started first these tests are skipped
with a message saying how to run them (``pytest cairn/learning/tests/browser``).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cairn.web.tests.browser.conftest import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    MISSING,
    TIMEOUT_MS,
    _browser_settings,
    context,
    page,
    personas,
    pytest_runtest_makereport,
    signed_in_page,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module, stopped after it so that cairn/web's can start later."""
    from playwright.sync_api import Error, expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    try:
        manager = sync_playwright().start()
    except Error:
        pytest.skip(
            "Another Playwright is running in this session (cairn/web's browser tests): run "
            "these on their own with `pytest cairn/learning/tests/browser`."
        )
    chromium = manager.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    manager.stop()
