"""The organisation's candidate indexes: stored by the worker, read by requests.

Embedding ten thousand profiles takes seconds, so a request never does it: the worker
(:mod:`cairn.matching.builder`) builds an index of the organisation's people and one of its
communities and stores them on :class:`~cairn.matching.models.RecommendationIndex`; a request
reads them with :func:`stored_indexes` — one small query for the version when this process has
already read it, one more for the bytes when it changed — and keeps them in memory.
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.template.loader import get_template
from django.utils import timezone

from cairn.fingerprint import source_fingerprint
from cairn.matching import engine
from cairn.matching.engine import Index, Query, load_embedder, recommend
from cairn.matching.engine import stored as stored_bytes
from cairn.matching.models import RecommendationIndex
from cairn.people.locking import lock_organisation_row

#: The fields of a stored index that hold its bytes (megabytes): never read to lock the row.
BLOBS = ("people", "communities")

# --- Embeddings --------------------------------------------------------------------------------


class CachedEmbedder:
    """A pretrained embedder that remembers each text's vector, so that a rebuilt index
    re-embeds only the profiles that changed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache: dict[str, np.ndarray] = {}

    def remember(self, known: dict[str, np.ndarray]) -> None:
        """Take vectors embedded earlier (by this model) into the cache."""
        if len(self.cache) + len(known) > 50_000:
            self.cache.clear()
        for text, vector in known.items():
            self.cache.setdefault(text, vector)

    def fit(self, corpus: Sequence[str]) -> CachedEmbedder:
        self.inner.fit(corpus)
        return self

    def embed(self, texts: Sequence[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            if len(self.cache) + len(missing) > 50_000:
                self.cache.clear()
            for t, v in zip(missing, self.inner.embed(missing), strict=True):
                self.cache[t] = v
        if not texts:
            return self.inner.embed([])
        return np.vstack([self.cache[t] for t in texts])


_lock = threading.Lock()
_embedders: dict[str, Any] = {}


def embedder() -> Any:
    """Return an embedder for a new index (``CAIRN_MATCHING_EMBEDDER``, default "auto").

    A pretrained model is loaded once per process and shared, with its text cache; TF-IDF is
    fitted on each index's candidates (and stored with it), so every index gets its own.
    """
    name = getattr(settings, "CAIRN_MATCHING_EMBEDDER", "auto")
    with _lock:
        if name not in _embedders:
            loaded = load_embedder(name)
            _embedders[name] = CachedEmbedder(loaded) if loaded.name != "tfidf" else None
        shared = _embedders[name]
    return shared if shared is not None else load_embedder("tfidf")


def embedder_name() -> str:
    """Return the name of the embedder new indexes are built with."""
    return str(embedder().name)


ENGINE_VERSION = source_fingerprint(engine)


# --- Storing (the worker) ----------------------------------------------------------------------

_seeded: set[tuple[int, str]] = set()


def seed(organisation_id: int, embedder: Any) -> int:
    """Take the vectors of the organisation's stored indexes into ``embedder``'s cache, once
    per process, so that a worker's first build embeds only what changed since the last
    build (every profile, otherwise: minutes on a 10,000-person organisation). Return how
    many texts it learnt."""
    if not isinstance(embedder, CachedEmbedder) or (organisation_id, embedder.name) in _seeded:
        return 0
    _seeded.add((organisation_id, embedder.name))
    row = (
        RecommendationIndex.objects.filter(organisation_id=organisation_id, embedder=embedder.name)
        .values_list("people", "communities")
        .first()
    )
    known: dict[str, np.ndarray] = {}
    for blob in row or ():
        index = None if blob is None else _load(blob, embedder.name)
        if index is not None:
            known.update(stored_bytes.embedded_texts(index))
    embedder.remember(known)
    return len(known)


def claim(organisation_id: int) -> RecommendationIndex:
    """Return the organisation's index state as a build starts from it, and clear ``queued``
    (changes from now on queue the next build). The stored bytes are not read."""
    with transaction.atomic():
        state = lock_organisation_row(RecommendationIndex, organisation_id, *BLOBS)
        if state.queued:
            state.queued = False
            state.save(update_fields=["queued"])
    return state


def is_current(state: RecommendationIndex, embedder_name: str) -> bool:
    """Return whether the stored indexes already reflect the input, engine and embedder."""
    return (
        not state.is_stale()
        and state.engine_version == ENGINE_VERSION
        and state.embedder == embedder_name
    )


def store(
    organisation_id: int, version: int, people: Index, communities: Index, started: float
) -> bool:
    """Store a build's indexes under the input version it started from. Return whether they
    were stored (False: a build that started later has stored already)."""
    people_blob = stored_bytes.to_bytes(people)
    communities_blob = stored_bytes.to_bytes(communities)
    with transaction.atomic():
        state = lock_organisation_row(RecommendationIndex, organisation_id, *BLOBS)
        if version < state.stored_version:
            return False
        state.stored_version = version
        state.people = people_blob
        state.communities = communities_blob
        state.embedder = people.embedder.name
        state.engine_version = ENGINE_VERSION
        state.built_at = timezone.now()
        state.seconds = clock.perf_counter() - started
        state.save(
            update_fields=[
                "stored_version",
                "people",
                "communities",
                "embedder",
                "engine_version",
                "built_at",
                "seconds",
            ]
        )
    return True


# --- Reading (requests) ------------------------------------------------------------------------


@dataclass
class Stored:
    """The indexes the worker last stored (None: none usable yet — never built, or built by
    another engine or embedder), whether they are behind their input, and whether a build
    is queued."""

    people: Index | None
    communities: Index | None
    stale: bool
    queued: bool


_read: dict[int, tuple[tuple[Any, ...], Index | None, Index | None]] = {}


def _load(blob: Any, name: str) -> Index | None:
    if blob is None:
        return None
    try:
        pretrained = None if name == "tfidf" else embedder()
        return stored_bytes.from_bytes(bytes(blob), pretrained)
    except stored_bytes.StoredIndexError:
        return None


def _read_stored(organisation_id: int) -> tuple[tuple[Any, ...], Index | None, Index | None]:
    """Read and decode the organisation's stored indexes, with the version they are of."""
    row = (
        RecommendationIndex.objects.filter(organisation_id=organisation_id)
        .values_list("stored_version", "built_at", "embedder", "people", "communities")
        .first()
    )
    if row is None:
        return ((), None, None)
    version, built_at, name, people, communities = row
    return ((version, built_at), _load(people, name), _load(communities, name))


_reloading: set[int] = set()


def _reload(organisation_id: int) -> None:
    """Read the organisation's newer stored indexes into this process (on a thread)."""
    try:
        found = _read_stored(organisation_id)
        if found[1] is not None:
            with _lock:
                _read[organisation_id] = found
    finally:
        with _lock:
            _reloading.discard(organisation_id)
        connection.close()  # the thread's own connection


def _reload_later(organisation_id: int) -> None:
    with _lock:
        if organisation_id in _reloading:
            return
        _reloading.add(organisation_id)
    threading.Thread(target=_reload, args=(organisation_id,), daemon=True).start()


def stored_indexes(organisation_id: int) -> Stored:
    """Return the organisation's stored indexes; never builds them.

    One small query when this process has already read the stored version, two otherwise.
    A process holding an older version goes on with it (``stale``) while a thread reads the
    new one (``CAIRN_MATCHING_RELOAD_IN_BACKGROUND``), so that a rebuild never makes a request
    wait for megabytes; only a process that holds none reads them in the request.
    """
    state = (
        RecommendationIndex.objects.filter(organisation_id=organisation_id)
        .only("input_version", "stored_version", "engine_version", "embedder", "queued", "built_at")
        .first()
    )
    if state is None:
        return Stored(None, None, stale=True, queued=False)
    usable = state.engine_version == ENGINE_VERSION and state.embedder == embedder_name()
    stale = state.is_stale() or not usable
    if not usable:
        return Stored(None, None, stale, state.queued)
    key = (state.stored_version, state.built_at)
    with _lock:
        cached = _read.get(organisation_id)
    if cached is not None and cached[0] != key and cached[1] is not None:
        if settings.CAIRN_MATCHING_RELOAD_IN_BACKGROUND:
            _reload_later(organisation_id)
            return Stored(cached[1], cached[2], stale=True, queued=state.queued)
    if cached is None or cached[0] != key:
        cached = _read_stored(organisation_id)
        with _lock:
            _read[organisation_id] = cached
    return Stored(cached[1], cached[2], stale, state.queued)


def warm_up() -> int:
    """Make this process ready to answer "Find a mentor" without a slow first request: load
    the embedder, read every organisation's stored indexes, rank once in each (the engine's
    lazily built tables) and compile the page's template. Gunicorn calls this as each worker
    starts (``cairn/gunicorn_conf.py``). Return how many organisations' indexes were read."""
    embedder().embed(["warming up"])
    organisations = RecommendationIndex.objects.filter(people__isnull=False).values_list(
        "organisation_id", flat=True
    )
    read = 0
    for pk in organisations:
        people = stored_indexes(pk).people
        if people is not None:
            recommend(people, Query("warming up", skills=("warming up",)), k=1)
            read += 1
    get_template("matching/find.html")
    return read


def forget() -> None:
    """Drop the indexes this process has read (tests)."""
    with _lock:
        _read.clear()
