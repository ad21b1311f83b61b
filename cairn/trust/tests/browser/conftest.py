"""Browser tests of trust reuse the shared Playwright fixtures of cairn/web."""

from pathlib import Path

import pytest

from cairn.web.tests.browser.conftest import (  # noqa: F401
    CHROMIUM,
    MISSING,
    _browser_settings,
    browser,
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
