"""Sessions read from the shared cache first, and from the database when the cache fails.

Django's ``cached_db`` sessions already fall back to the database when the cache cannot be
read, but then copy the row into the cache without a guard, and ask the cache first whether a
new session key is taken: with Redis down, every signed-in request failed. Here a cache that
does not answer costs a request its session query, nothing more, so people signed in keep
working. Signing in and out still need the cache: allauth keeps its sign-in rate limits there,
and a sign-out deletes the cached copy before the row, so that when the cache does not answer
it fails with nothing changed (``SharedCacheDownMiddleware`` says so), where Django's order
would delete the row and leave the copy to sign the person back in once the cache returned.
"""

import logging
from typing import Any

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.contrib.sessions.models import Session
from django.core.cache.backends.base import BaseCache

log = logging.getLogger(__name__)


class SessionStore(CachedDbStore):
    _cache: BaseCache  # set by Django's store; its stubs do not declare it

    def load(self) -> dict[str, Any]:
        """Return the session's data from the cache, else from the database (copied into the
        cache when the cache merely missed)."""
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # the cache is down, or refused the key: read the database
            log.warning("Could not read a session from the cache", exc_info=True)
            return self._load_from_database(cache=False)
        if data is not None:
            return data
        return self._load_from_database(cache=True)

    def _load_from_database(self, cache: bool) -> dict[str, Any]:
        row: Session | None = self._get_session_from_db()  # type: ignore[attr-defined]  # Django's DB store; not in its stubs
        if row is None:
            return {}
        data = self.decode(row.session_data)
        if cache:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
            except Exception:
                log.warning("Could not copy a session into the cache", exc_info=True)
        return data

    def exists(self, session_key: str) -> bool:
        """Return whether a session has this key: in the cache, else in the database."""
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # the database has every session the cache has
            log.warning("Could not ask the cache for a session", exc_info=True)
        return super(CachedDbStore, self).exists(session_key)

    def delete(self, session_key: str | None = None) -> None:
        """Delete the session: its cached copy first (raising if the cache does not answer, so
        that nothing has changed), then its row, then the cached copy again, which a request
        that read the row in between may have put back."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache.delete(self.cache_key_prefix + session_key)
        super(CachedDbStore, self).delete(session_key)
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # the row is gone; a copy could only be a racing reader's
            log.warning("Could not delete a session from the cache a second time", exc_info=True)
