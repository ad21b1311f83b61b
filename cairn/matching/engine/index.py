"""The candidate index: profiles' texts embedded once, their attributes laid out as arrays.

`build_index` embeds each distinct offers and wants text once, and each distinct *phrase* of
them once (a phrase is one item of a ``;``-separated list: a skill, a title, a sentence).
`Index` answers, for query texts, the cosine with every candidate's whole text and with their
closest phrase, and which of a goal's named skills each candidate lists. Recommendations
(`recommend`), reasons (`reasons`) and programs (`program`) all read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy as sp

from .profiles import Profile, utc_offset_hours
from .text import Embedder, cosine

__all__ = ["CALIBRATION", "Index", "build_index", "fit_from_cosine", "phrase_key", "phrases"]

CALIBRATION = {"minilm": (0.10, 0.55), "minilm-static": (0.15, 0.60), "tfidf": (0.0, 0.35)}
"""Per-embedder match cosines (see `Index.match_cosine`) mapped to fit 0 and fit 1.

Read off the judged evaluation set: about the median match cosine of pairs judged irrelevant
(fit 0) and the 90th percentile of pairs judged "exactly what is needed" (fit 1). The static
model's pair is the earlier whole-text one moved as MiniLM's moved (not re-measured).
"""


def fit_from_cosine(cos: np.ndarray, embedder_name: str) -> np.ndarray:
    """Return the fit signal: cosine rescaled by the embedder's calibration, clipped to [0, 1]."""
    lo, hi = CALIBRATION.get(embedder_name, (0.0, 1.0))
    return np.clip((np.asarray(cos, dtype=np.float32) - lo) / (hi - lo), 0.0, 1.0)


_SPLIT = re.compile(r"[;\n]")


def phrases(text: str) -> list[str]:
    """Return the phrases of a free-text field: its ``;``- or line-separated items, tidied."""
    return [" ".join(p.split()) for p in _SPLIT.split(text) if p.strip()]


def phrase_key(phrase: str) -> str:
    """Return the key a phrase is looked up by: tidied and lower-case ("system design")."""
    return " ".join(phrase.split()).lower()


def _membership(texts: Sequence[str], vocabulary: dict[str, int]) -> tuple[list[int], list[int]]:
    """Return (row, column) pairs of each text's distinct phrases, growing ``vocabulary``."""
    rows, cols = [], []
    for i, text in enumerate(texts):
        for key in dict.fromkeys(phrase_key(p) for p in phrases(text)):
            rows.append(i)
            cols.append(vocabulary.setdefault(key, len(vocabulary)))
    return rows, cols


@dataclass
class Index:
    """Candidates with their texts embedded and their attributes as arrays.

    Build it with `build_index`; the attributes are read-only for callers.
    """

    profiles: Sequence[Profile]
    embedder: Embedder
    offers: np.ndarray | sp.sparse.csr_array
    offers_row: np.ndarray
    wants: np.ndarray | sp.sparse.csr_array
    wants_row: np.ndarray
    has_offers: np.ndarray
    has_wants: np.ndarray
    department: np.ndarray
    offset: np.ndarray
    languages: sp.sparse.csr_array
    language_codes: dict[str, int]
    capacity: np.ndarray
    trust: np.ndarray
    responsiveness: np.ndarray
    position: dict[str, int]
    managers: dict[str, str]
    departments: dict[str, int]
    phrase_vectors: np.ndarray | sp.sparse.csr_array
    phrase_codes: dict[str, int]
    offers_phrases: sp.sparse.csr_array  # distinct offers text x phrase, rows as in ``offers``
    wants_phrases: sp.sparse.csr_array  # the same for ``wants``
    at: dt.datetime | None = None
    _text_cache: dict[str, np.ndarray | sp.sparse.csr_array] = field(
        default_factory=dict, repr=False
    )

    def __len__(self) -> int:
        return len(self.profiles)

    def __post_init__(self) -> None:
        n = len(self.profiles)
        self.capacity_signal = np.minimum(np.maximum(self.capacity, 0), 3).astype(np.float32) / 3
        self.has_capacity = self.capacity > 0
        self.has_languages = np.diff(self.languages.indptr) > 0
        self.zone_offsets, zone = np.unique(self.offset, return_inverse=True)
        self.zone = zone.ravel().astype(np.int32)
        self.neutral = np.full(n, 0.5, dtype=np.float32)
        self.zeros = np.zeros(n, dtype=np.float32)
        self._static: dict[tuple[float, float, float], np.ndarray] = {}

    def static_score(self, trust: float, responsiveness: float, capacity: float) -> np.ndarray:
        """Return the weighted sum of the signals that do not depend on the query (cached).

        The arguments are the weights of the trust, responsiveness and capacity signals.
        """
        key = (trust, responsiveness, capacity)
        if key not in self._static:
            self._static[key] = (
                np.float32(trust) * self.trust
                + np.float32(responsiveness) * self.responsiveness
                + np.float32(capacity) * self.capacity_signal
            ).astype(np.float32)
        return self._static[key]

    def offers_vector(self, person: Profile):
        """Return the embedding of a person's offers, reusing the index row when they are in it."""
        at = self.position.get(person.person, -1)
        if at >= 0 and self.profiles[at].offers == person.offers:
            return self.offers[[self.offers_row[at]]]
        return self.vectors([person.offers])

    def similarity(self, column: str, queries) -> np.ndarray:
        """Return the cosine of each query row with every candidate's ``offers`` or ``wants``.

        Distinct texts are embedded and stored once (``offers`` holds one row per distinct
        text, ``offers_row`` maps each candidate to its row), so this is one product with the
        distinct rows followed by a gather. Shape (n_queries, n_candidates).
        """
        unique, row = (
            (self.offers, self.offers_row) if column == "offers" else (self.wants, self.wants_row)
        )
        return cosine(queries, unique)[:, row]

    def _column(self, column: str):
        """Return the distinct texts' vectors, each candidate's row, and the phrase membership."""
        if column == "offers":
            return self.offers, self.offers_row, self.offers_phrases
        return self.wants, self.wants_row, self.wants_phrases

    def _closest_unique(self, member: sp.sparse.csr_array, queries) -> np.ndarray:
        """Return the closest-phrase cosine per query and distinct text (NaN: no phrase)."""
        out = np.full((queries.shape[0], member.shape[0]), np.nan, dtype=np.float32)
        if member.nnz:
            sims = cosine(queries, self.phrase_vectors)[:, member.indices]
            listed = np.diff(member.indptr) > 0
            out[:, listed] = np.maximum.reduceat(sims, member.indptr[:-1][listed], axis=1)
        return out

    def phrase_similarity(self, column: str, queries) -> np.ndarray:
        """Return the cosine of each query row with each candidate's closest phrase.

        One product with the distinct phrases, a maximum over the phrases of each distinct
        text, then a gather. Shape (n_queries, n_candidates); NaN for a candidate with no
        phrase in ``column``.
        """
        _, row, member = self._column(column)
        return self._closest_unique(member, queries)[:, row]

    def match_cosine(self, column: str, queries) -> np.ndarray:
        """Return the cosine the fit is read from: whole text and closest phrase, averaged.

        A profile's whole text blurs one skill among many ("Kubernetes; System design; Go"),
        its closest phrase alone ignores the rest; their mean ranks the judged set better than
        either (bench/RESULTS.md, matching_recommend). Computed per distinct text, then
        gathered. Shape (n_queries, n_candidates).
        """
        unique, row, member = self._column(column)
        whole = cosine(queries, unique)
        closest = self._closest_unique(member, queries)
        both = np.where(np.isnan(closest), whole, (whole + closest) / 2)
        return both.astype(np.float32, copy=False)[:, row]

    def skill_share(self, column: str, skills: Sequence[str]) -> np.ndarray:
        """Return the share of ``skills`` each candidate lists by name in ``column``, in [0, 1]."""
        wanted = {phrase_key(s) for s in skills if s.strip()}
        codes = [self.phrase_codes[k] for k in wanted if k in self.phrase_codes]
        if not codes:
            return np.zeros(len(self), dtype=np.float32)
        picked = np.zeros(len(self.phrase_codes), dtype=np.float32)
        picked[codes] = 1.0
        _, row, member = self._column(column)
        return (member @ picked / len(wanted)).astype(np.float32)[row]

    def vectors(self, texts: Sequence[str]) -> np.ndarray | sp.sparse.csr_array:
        """Embed query-side texts (goals, seekers' offers), each distinct text once per index.

        Up to 10,000 recent texts are remembered, so a goal scored and then explained, or a
        mentee's goal used for a whole program, is embedded once.
        """
        cache = self._text_cache
        found = {t: v for t in set(texts) if (v := cache.get(t)) is not None}
        missing = sorted(set(texts) - found.keys())
        if missing:
            if len(cache) + len(missing) > 10_000:
                cache.clear()
            vecs = self.embedder.embed(missing)
            for k, t in enumerate(missing):
                found[t] = cache[t] = vecs[[k]]
        if len(texts) == 1:
            return found[texts[0]]
        rows = [found[t] for t in texts]
        if rows and sp.sparse.issparse(rows[0]):
            return sp.sparse.vstack(rows, format="csr")
        return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def _embed_unique(embedder: Embedder, texts: Sequence[str]):
    """Return the embeddings of the distinct texts and each text's row among them."""
    rows: dict[str, int] = {}
    inverse = np.array([rows.setdefault(t, len(rows)) for t in texts], dtype=np.int64)
    return embedder.embed(list(rows)), inverse


def build_index(
    profiles: Sequence[Profile],
    embedder: Embedder,
    at: dt.datetime | None = None,
    fit_embedder: bool = True,
) -> Index:
    """Embed the candidates' texts and lay their attributes out as arrays.

    Parameters
    ----------
    profiles : sequence of Profile
        The candidates (people, or communities with ``offers`` as their description).
    embedder : Embedder
        From `cairn.matching.engine.text.load_embedder`. TF-IDF is fitted on the candidates'
        texts here unless ``fit_embedder`` is False.
    at : datetime, optional
        Instant at which UTC offsets are taken (daylight saving); default now.
    fit_embedder : bool

    Returns
    -------
    Index

    Raises
    ------
    ValueError
        If two profiles share a person id or a time zone is unknown.
    """
    profiles = list(profiles)
    position: dict[str, int] = {}
    for i, p in enumerate(profiles):
        if p.person in position:
            raise ValueError(f"person {p.person!r} appears twice")
        position[p.person] = i
    offers_text = [p.offers for p in profiles]
    wants_text = [p.wants for p in profiles]
    if fit_embedder:
        # Distinct texts only: document frequencies count different texts, not repetitions.
        embedder.fit(list(dict.fromkeys(t for t in offers_text + wants_text if t.strip())))
    departments: dict[str, int] = {}
    dept = np.array(
        [
            departments.setdefault(p.department, len(departments)) if p.department else -1
            for p in profiles
        ],
        dtype=np.int32,
    )
    offset_cache: dict[str, float] = {}
    offset = np.full(len(profiles), np.nan, dtype=np.float32)
    for i, p in enumerate(profiles):
        if p.timezone:
            if p.timezone not in offset_cache:
                offset_cache[p.timezone] = utc_offset_hours(p.timezone, at)
            offset[i] = offset_cache[p.timezone]
    codes: dict[str, int] = {}
    rows, cols = [], []
    for i, p in enumerate(profiles):
        for lang in p.languages:
            rows.append(i)
            cols.append(codes.setdefault(lang, len(codes)))
    languages = sp.sparse.csr_array(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(profiles), len(codes))
    )
    offers, offers_row = _embed_unique(embedder, offers_text)
    wants, wants_row = _embed_unique(embedder, wants_text)
    vocabulary: dict[str, int] = {}
    # Phrases of the distinct texts, in the order of their rows in ``offers`` and ``wants``.
    offered = _membership(list(dict.fromkeys(offers_text)), vocabulary)
    wanted = _membership(list(dict.fromkeys(wants_text)), vocabulary)

    def member(pairs: tuple[list[int], list[int]], texts: int) -> sp.sparse.csr_array:
        data = np.ones(len(pairs[0]), dtype=np.float32)
        return sp.sparse.csr_array((data, pairs), shape=(texts, len(vocabulary)))

    return Index(
        profiles=profiles,
        embedder=embedder,
        offers=offers,
        offers_row=offers_row,
        wants=wants,
        wants_row=wants_row,
        has_offers=np.array([bool(t.strip()) for t in offers_text]),
        has_wants=np.array([bool(t.strip()) for t in wants_text]),
        department=dept,
        offset=offset,
        languages=languages,
        language_codes=codes,
        capacity=np.array([p.capacity for p in profiles], dtype=np.int32),
        trust=np.array([p.trust for p in profiles], dtype=np.float32),
        responsiveness=np.array([p.responsiveness for p in profiles], dtype=np.float32),
        position=position,
        managers={p.person: p.manager for p in profiles if p.manager},
        departments=departments,
        phrase_vectors=embedder.embed(list(vocabulary)),
        phrase_codes=vocabulary,
        offers_phrases=member(offered, offers.shape[0]),
        wants_phrases=member(wanted, wants.shape[0]),
        at=at,
    )
