"""Test-wide settings: a fast password hasher and a fresh cache, so the suite stays quick."""

import pytest

#: Playwright fixtures shared by every ``tests/browser`` folder (one Chromium per session).
pytest_plugins = ["cairn.browser_testing"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.CAIRN_MATCHING_RELOAD_IN_BACKGROUND = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate limits live in the cache; each test starts with none used. Only a memory cache is
    cleared: the few tests that point the cache at Redis share it with other test runs (the
    SQLite and PostgreSQL suites run side by side), and keep to keys of their own."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
