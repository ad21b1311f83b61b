"""An `Index` as bytes and back, so that candidates are embedded once and read many times.

``numpy`` ``.npz`` (uncompressed, never pickle): arrays stay arrays, sparse matrices are stored
as their CSR parts, and the candidates' profiles, the code tables and the embedder's name go
into one JSON manifest (UTF-8 bytes). Dense embeddings are stored as float16 and read back as
float32: half the bytes a web process reads on its first request (on a 10,000-person
organisation, 37 MB became 16 MB), at a cost of about 1e-3 on a cosine. A TF-IDF index stores
its fitted vocabulary and document frequencies too, since its vectors mean nothing without
them; a pretrained embedder is named only, and the reader passes in the same one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import scipy as sp

from .index import Index
from .profiles import Profile
from .text import CharTfidf, Embedder

__all__ = [
    "FORMAT",
    "StoredIndexError",
    "StoredProfiles",
    "embedded_texts",
    "embedder_name",
    "from_bytes",
    "to_bytes",
]

FORMAT = 2
"""The layout written by `to_bytes`; bytes of another layout are refused."""

#: Arrays of an `Index`, stored as they are (dense) or as CSR parts (sparse).
_ARRAYS = (
    "offers",
    "offers_row",
    "wants",
    "wants_row",
    "has_offers",
    "has_wants",
    "department",
    "offset",
    "languages",
    "capacity",
    "trust",
    "responsiveness",
    "phrase_vectors",
    "offers_phrases",
    "wants_phrases",
)
#: Dense float arrays stored at half precision: the embeddings.
_HALF = frozenset({"offers", "wants", "phrase_vectors"})
#: Profile fields stored as one JSON column each.
_PROFILE_FIELDS = (
    "person",
    "department",
    "timezone",
    "offers",
    "wants",
    "capacity",
    "manager",
    "trust",
    "responsiveness",
)


class StoredIndexError(ValueError):
    """Bytes that are not a stored index of this engine, or an embedder that does not fit it."""


class StoredProfiles(Sequence[Profile]):
    """The candidates of a stored index, each made a `Profile` when first read.

    A request reads a handful of the candidates (the seeker, the best ``k``); making all ten
    thousand up front was a third of the time a web process took to read an index.
    """

    def __init__(
        self, columns: dict[str, list[Any]], languages: list[list[str]], evidence: list[list[str]]
    ) -> None:
        self.columns = columns
        self.languages = languages
        self.evidence = evidence
        self.made: dict[int, Profile] = {}

    def __len__(self) -> int:
        return len(self.columns["person"])

    @overload
    def __getitem__(self, i: int) -> Profile: ...
    @overload
    def __getitem__(self, i: slice) -> list[Profile]: ...
    def __getitem__(self, i: int | slice) -> Profile | list[Profile]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        made = self.made.get(i)
        if made is None:
            made = self.made[i] = Profile(
                **{f: self.columns[f][i] for f in _PROFILE_FIELDS},
                languages=frozenset(self.languages[i]),
                evidence=tuple(self.evidence[i]),
            )
        return made


def _codes(table: dict[str, int]) -> list[str]:
    """Return a code table's keys in code order (codes are 0..n-1)."""
    return sorted(table, key=table.__getitem__)


def _table(keys: list[str]) -> dict[str, int]:
    return {key: code for code, key in enumerate(keys)}


def to_bytes(index: Index) -> bytes:
    """Return the index as ``.npz`` bytes.

    Parameters
    ----------
    index : Index
        From `cairn.matching.engine.build_index`.

    Returns
    -------
    bytes
        Read back with `from_bytes`.
    """
    arrays: dict[str, np.ndarray] = {}
    sparse: dict[str, list[int]] = {}
    for name in _ARRAYS:
        value = getattr(index, name)
        if sp.sparse.issparse(value):
            csr = sp.sparse.csr_array(value)
            for part in ("data", "indices", "indptr"):
                arrays[f"{name}.{part}"] = getattr(csr, part)
            sparse[name] = list(csr.shape)
        elif name in _HALF:
            arrays[name] = np.asarray(value, dtype=np.float16)
        else:
            arrays[name] = np.asarray(value)
    profiles = index.profiles
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "embedder": index.embedder.name,
        "at": None if index.at is None else index.at.timestamp(),
        "sparse": sparse,
        "profiles": {f: [getattr(p, f) for p in profiles] for f in _PROFILE_FIELDS},
        "languages_of": [sorted(p.languages) for p in profiles],
        "evidence": [list(p.evidence) for p in profiles],
        "language_codes": _codes(index.language_codes),
        "departments": _codes(index.departments),
        "phrase_codes": _codes(index.phrase_codes),
    }
    if isinstance(index.embedder, CharTfidf):
        manifest["tfidf"] = {"ngrams": list(index.embedder.ngrams)}
        arrays["tfidf.vocab"] = np.array(_codes(index.embedder.vocab), dtype=np.str_)
        arrays["tfidf.idf"] = index.embedder.idf
    arrays["__manifest__"] = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # the stub lets a key be allow_pickle
    return buffer.getvalue()


def _read(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    try:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        manifest = json.loads(arrays.pop("__manifest__").tobytes())
    except (OSError, ValueError, EOFError, KeyError) as exc:
        raise StoredIndexError(str(exc) or "empty") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoredIndexError("another layout")
    return manifest, arrays


def embedder_name(data: bytes) -> str:
    """Return the name of the embedder a stored index was built with.

    Raises
    ------
    StoredIndexError
        If the bytes are not a stored index.
    """
    return str(_read(data)[0]["embedder"])


def from_bytes(data: bytes, embedder: Embedder | None = None) -> Index:
    """Return the index stored by `to_bytes`.

    Parameters
    ----------
    data : bytes
    embedder : Embedder, optional
        The embedder the index was built with, for query texts; required for a pretrained one
        (its name must match), ignored for TF-IDF (the stored fit is used).

    Returns
    -------
    Index
        Giving the same recommendations as the index that was stored.

    Raises
    ------
    StoredIndexError
        If the bytes are not a stored index of this layout, or ``embedder`` does not fit it.
    """
    manifest, arrays = _read(data)
    name = manifest["embedder"]
    reader: Embedder
    if "tfidf" in manifest:
        tfidf = CharTfidf(tuple(manifest["tfidf"]["ngrams"]))
        tfidf.vocab = _table([str(g) for g in arrays.pop("tfidf.vocab").tolist()])
        tfidf.idf = arrays.pop("tfidf.idf")
        reader = tfidf
    elif embedder is None or embedder.name != name:
        got = "none" if embedder is None else repr(embedder.name)
        raise StoredIndexError(f"the index was built with {name!r}, not {got}")
    else:
        reader = embedder
    columns = manifest["profiles"]
    if {len(columns[f]) for f in _PROFILE_FIELDS} != {len(manifest["evidence"])}:
        raise StoredIndexError("profile columns of different lengths")
    profiles = StoredProfiles(columns, manifest["languages_of"], manifest["evidence"])
    fields: dict[str, Any] = {}
    for key in _ARRAYS:
        if key in manifest["sparse"]:
            parts = tuple(arrays[f"{key}.{part}"] for part in ("data", "indices", "indptr"))
            fields[key] = sp.sparse.csr_array(parts, shape=tuple(manifest["sparse"][key]))
        elif key in _HALF:
            fields[key] = arrays[key].astype(np.float32)
        else:
            fields[key] = arrays[key]
    at = manifest["at"]
    return Index(
        profiles=profiles,
        embedder=reader,
        position={person: i for i, person in enumerate(columns["person"])},
        managers={p: m for p, m in zip(columns["person"], columns["manager"], strict=True) if m},
        language_codes=_table(manifest["language_codes"]),
        departments=_table(manifest["departments"]),
        phrase_codes=_table(manifest["phrase_codes"]),
        at=None if at is None else dt.datetime.fromtimestamp(at, dt.UTC),
        **fields,
    )


def embedded_texts(index: Index) -> dict[str, np.ndarray]:
    """Return the vector of every text a dense index embedded: offers, wants and phrase keys.

    A builder seeds its embedder's cache with them, so that rebuilding an index in a new
    process embeds only the texts that changed. Empty for a sparse (TF-IDF) index, whose
    vectors change with every fit.
    """
    if sp.sparse.issparse(index.offers):
        return {}
    known: dict[str, np.ndarray] = {}
    columns = ((index.offers, index.offers_row, "offers"), (index.wants, index.wants_row, "wants"))
    for vectors, rows, field in columns:
        texts = (getattr(p, field) for p in index.profiles)
        for text, row in zip(texts, rows.tolist(), strict=True):
            known.setdefault(text, vectors[row])
    for key, code in index.phrase_codes.items():
        known.setdefault(key, index.phrase_vectors[code])
    return known
