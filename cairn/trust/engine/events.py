"""The trust event contract as compact arrays: the kinds, :class:`Events` and its builder.

The contract is in ``../shared/TRUST-EVENTS.md``; reading it from CSV is :mod:`.csv_io`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["KINDS", "EventError", "Events", "events_from_arrays"]

HEADER = ("time", "actor", "subject", "kind", "value")
KINDS = (
    "rated",
    "helped",
    "thanked",
    "credited",
    "shared",
    "lesson_shared",
    "asked",
    "responded",
    "unanswered",
    "committed",
    "kept",
    "missed",
    "mentored",
)
KIND_CODE = {name: code for code, name in enumerate(KINDS)}
RATED, HELPED, THANKED, CREDITED, SHARED, LESSON, ASKED = range(7)
RESPONDED, UNANSWERED, COMMITTED, KEPT, MISSED, MENTORED = range(7, 13)
#: Kinds that concern somebody: the subject column is required.
NEEDS_SUBJECT = frozenset({RATED, THANKED, CREDITED, UNANSWERED, KEPT, MISSED})
#: Kinds whose value is hours (optional, non-negative).
HOURS = frozenset({HELPED, RESPONDED, MENTORED})


class EventError(ValueError):
    """A row breaks the event contract.

    Attributes
    ----------
    line : int
        1-based line number in the file (the header is line 1).
    column : int
        1-based column number (1 = time ... 5 = value).
    reason : str
        What is wrong, in plain words.
    """

    def __init__(self, line: int, column: int, reason: str) -> None:
        name = HEADER[column - 1] if 1 <= column <= len(HEADER) else "?"
        super().__init__(f"line {line}, column {column} ({name}): {reason}")
        self.line, self.column, self.reason = line, column, reason


@dataclass
class Events:
    """Events as parallel arrays, sorted by time.

    Attributes
    ----------
    people : list of str
        Person ids; ``actor`` and ``subject`` index into it. Sorted, so the numbering does not
        depend on row order.
    actor, subject : ndarray of int32
        Who did it and whom it concerns (-1 for nobody).
    kind : ndarray of int8
        Index into :data:`KINDS`.
    time : ndarray of float64
        Unix seconds.
    value : ndarray of float64
        The value, NaN where none was given.
    skipped : int
        Rows skipped as bad (only with ``skip_bad``).
    """

    people: list[str]
    actor: np.ndarray
    subject: np.ndarray
    kind: np.ndarray
    time: np.ndarray
    value: np.ndarray
    skipped: int = 0
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.actor.size)

    @property
    def n_people(self) -> int:
        """Return the number of people."""
        return len(self.people)

    def until(self, seconds: float) -> Events:
        """Return the events at or before ``seconds`` (the same people, so the same numbering)."""
        end = int(np.searchsorted(self.time, seconds, side="right"))
        if end == len(self):
            return self
        return Events(
            self.people,
            self.actor[:end],
            self.subject[:end],
            self.kind[:end],
            self.time[:end],
            self.value[:end],
            self.skipped,
        )

    def index(self, person: str) -> int:
        """Return the number of ``person``, or -1 if they do not appear in the events."""
        if self._index is None:
            self._index = {p: i for i, p in enumerate(self.people)}
        return self._index.get(person, -1)


def events_from_arrays(people, actor, subject, kind, time, value=None, skipped=0) -> Events:
    """Return :class:`Events` built from arrays, renumbered and sorted canonically.

    Parameters
    ----------
    people : sequence of str
        Person ids; ``actor`` and ``subject`` index into it.
    actor, subject : array_like of int
        Indices into ``people``; ``subject`` is -1 where nobody is concerned.
    kind : array_like of int or str
        Kind codes (index into :data:`KINDS`) or kind names.
    time : array_like of float
        Unix seconds.
    value : array_like of float, optional
        Values, NaN for none.
    skipped : int, optional
        Rows skipped while reading.

    Returns
    -------
    Events
        People sorted by id, events sorted by (time, kind, actor, subject, value), so the result
        does not depend on the order of the input.
    """
    actor = np.asarray(actor, dtype=np.int64)
    subject = np.asarray(subject, dtype=np.int64)
    kind = np.asarray(kind)
    if kind.dtype.kind in "US":
        kind = np.array([KIND_CODE[str(k)] for k in kind], dtype=np.int8)
    kind = kind.astype(np.int8)
    time = np.asarray(time, dtype=np.float64)
    value = np.full(actor.size, np.nan) if value is None else np.asarray(value, np.float64)
    people = list(people)
    order = sorted(range(len(people)), key=people.__getitem__)
    renumber = np.empty(len(people) + 1, dtype=np.int32)
    renumber[np.asarray(order, dtype=np.int64)] = np.arange(len(people), dtype=np.int32)
    renumber[-1] = -1  # subject -1 stays -1
    actor = renumber[actor]
    subject = renumber[subject]
    rows = canonical_order(time, kind, actor, subject, value)
    return Events(
        people=[people[i] for i in order],
        actor=actor[rows],
        subject=subject[rows],
        kind=kind[rows],
        time=time[rows],
        value=value[rows],
        skipped=int(skipped),
    )


def canonical_order(time, kind, actor, subject, value) -> np.ndarray:
    """Return the row order by (time, kind, actor, subject, value), independent of input order.

    Sorts by time alone, then breaks ties among rows with equal times only, with pyarrow's
    multi-column sort (stable, like ``np.lexsort`` and several times faster on many ties).
    """
    if np.all(time[1:] >= time[:-1]):
        order = np.arange(time.size)
    else:
        order = np.argsort(time, kind="stable")
    ts = time[order]
    dup = ts[1:] == ts[:-1]
    if dup.any():
        in_run = np.zeros(ts.size, dtype=bool)
        in_run[1:] |= dup
        in_run[:-1] |= dup
        at = np.flatnonzero(in_run)
        rows = order[at]
        tied = pa.table(
            {
                "time": ts[at],
                "kind": kind[rows],
                "actor": actor[rows],
                "subject": subject[rows],
                "value": np.nan_to_num(value[rows], nan=np.inf),
            }
        )
        sub = pc.sort_indices(tied, sort_keys=[(c, "ascending") for c in tied.column_names])
        order[at] = rows[sub.to_numpy()]
    return order
