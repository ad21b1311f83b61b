"""The trust event contract: parse ``time,actor,subject,kind,value`` CSV into compact arrays.

The contract is in ``../shared/TRUST-EVENTS.md``. :func:`load_events` has a fast path for the
common file (no quotes, exactly five columns, numeric or ISO-8601 times) that works on whole
columns at once, and falls back to the row-by-row :func:`_load_events_reference` (the csv
module, obviously correct, slow) for anything unusual. Both report the first bad row by line
and column, or skip and count bad rows when ``skip_bad`` is true.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

__all__ = ["KINDS", "EventError", "Events", "events_from_arrays", "load_events"]

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

    Sorts by time alone, then breaks ties among rows with equal times only.
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
        sort_value = np.nan_to_num(value[rows], nan=np.inf)
        sub = np.lexsort((sort_value, subject[rows], actor[rows], kind[rows], ts[at]))
        order[at] = rows[sub]
    return order


def parse_time(text: str) -> float:
    """Return Unix seconds for a contract time (number, or ISO-8601 with a zone).

    Raises
    ------
    ValueError
        If ``text`` is neither, or the ISO time has no zone.
    """
    try:
        t = float(text)
    except ValueError:
        stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            raise ValueError("ISO-8601 time without a zone") from None
        return stamp.timestamp()
    if not math.isfinite(t):
        raise ValueError("time is not finite")
    return t


def _check_row(time, actor, subject, kind, value):
    """Return the parsed row, or raise ``(column, reason)`` as a tuple in ValueError."""
    try:
        t = parse_time(time)
    except ValueError as exc:
        raise ValueError(1, f"bad time {time!r} ({exc})") from None
    if not actor:
        raise ValueError(2, "missing actor")
    code = KIND_CODE.get(kind)
    if code is None:
        raise ValueError(4, f"unknown kind {kind!r}")
    if code in NEEDS_SUBJECT and not subject:
        raise ValueError(3, f"a {kind!r} row needs a subject")
    v = math.nan
    if value:
        try:
            v = float(value)
        except ValueError:
            raise ValueError(5, f"value {value!r} is not a number") from None
        if not math.isfinite(v):
            raise ValueError(5, f"value {value!r} is not finite")
    if code == RATED:
        if math.isnan(v):
            raise ValueError(5, "a 'rated' row needs a value")
        if not -1.0 <= v <= 1.0:
            raise ValueError(5, f"rating {value} is outside [-1, 1]")
    elif code in HOURS:
        if v < 0:
            raise ValueError(5, f"hours {value} is negative")
    elif code != COMMITTED:
        v = math.nan  # kinds without a value: ignore whatever was written
    return t, actor, subject, code, v


def _read_text(path) -> str:
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EventError(line, 1, "the file is not UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _check_header(first_line: str) -> list[str]:
    names = [c.strip() for c in next(csv.reader([first_line]), [])]
    if names[:5] != list(HEADER):
        missing = next((i for i, h in enumerate(HEADER) if i >= len(names) or names[i] != h), 0)
        raise EventError(1, missing + 1, f"the header must start with {','.join(HEADER)}")
    return names


def _load_events_reference(path, skip_bad: bool = False) -> Events:
    """Parse the file row by row with the csv module; slow and obviously correct."""
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise EventError(1, 1, "the file is empty")
    _check_header(",".join(header))
    rows, skipped = [], 0
    for row in reader:
        if not row:
            continue
        try:
            if len(row) < 5:
                raise ValueError(len(row) + 1, f"expected 5 columns, found {len(row)}")
            rows.append(_check_row(*row[:5]))
        except ValueError as exc:
            if skip_bad:
                skipped += 1
                continue
            column, reason = exc.args
            raise EventError(reader.line_num, column, reason) from None
    return _from_rows(rows, skipped)


def _from_rows(rows, skipped):
    names = sorted({r[1] for r in rows} | {r[2] for r in rows if r[2]})
    index = {p: i for i, p in enumerate(names)}
    return events_from_arrays(
        names,
        [index[r[1]] for r in rows],
        [index[r[2]] if r[2] else -1 for r in rows],
        np.array([r[3] for r in rows], dtype=np.int8),
        [r[0] for r in rows],
        [r[4] for r in rows],
        skipped,
    )


def _floats(column: list[str]) -> np.ndarray | None:
    """Return the column as floats (empty -> NaN), or None if some entry is not a number."""
    try:
        if "" in column:
            return np.array([v or "nan" for v in column], dtype=np.float64)
        return np.array(column, dtype=np.float64)
    except ValueError:
        return None


def _gather(seg: np.ndarray, start: np.ndarray, length: np.ndarray, width: int) -> np.ndarray:
    """Return the bytes of each field, left-aligned and zero-padded to ``width``."""
    out = np.zeros((start.size, width), dtype=np.uint8)
    last = seg.size - 1
    for j in range(width):
        out[:, j] = np.where(j < length, seg[np.minimum(start + j, last)], 0)
    return out


def _integers(mat: np.ndarray, length: np.ndarray) -> np.ndarray | None:
    """Return each field as a non-negative integer, or None if some byte is not a digit."""
    value = np.zeros(mat.shape[0], dtype=np.int64)
    for j in range(mat.shape[1]):
        inside = j < length
        digit = mat[:, j].astype(np.int64) - 48
        if np.any(inside & ((digit < 0) | (digit > 9))):
            return None
        value = np.where(inside, value * 10 + digit, value)
    return value


def _decimals(data: bytes, seg, start, length) -> np.ndarray | None:
    """Return fields like ``-12.5`` as floats (exactly as ``float`` would), else None."""
    width = int(length.max(initial=0))
    if width == 0:
        return np.zeros(start.size)
    if width > 17:
        return None
    mat = _gather(seg, start, length, width)
    neg = mat[:, 0] == ord("-")
    mat[neg, :-1] = mat[neg, 1:]
    mat[neg, -1] = 0
    length = length - neg
    is_dot = mat == ord(".")
    n_dots = is_dot.sum(axis=1)
    if np.any(n_dots > 1) or np.any(length - n_dots == 0):
        return None
    dot_at = np.where(n_dots == 1, np.argmax(is_dot, axis=1), length)
    shift = np.arange(width)[None, :] >= dot_at[:, None]
    mat = np.where(shift, np.roll(mat, -1, axis=1), mat)  # drop the dot
    mant = _integers(mat, length - n_dots)
    if mant is None:
        return None
    frac = length - n_dots - dot_at
    value = mant / 10.0**frac
    return np.where(neg, -value, value)


def _kind_codes(seg, start, length) -> np.ndarray | None:
    """Return the kind code of each field, or None if some kind is unknown."""
    table = np.full((16, 256), -1, dtype=np.int64)
    for code, name in enumerate(KINDS):
        table[len(name), ord(name[0])] = code
    first = seg[np.minimum(start, seg.size - 1)]
    codes = table[np.minimum(length, 15), first]
    if np.any(codes < 0):
        return None
    for code, name in enumerate(KINDS):
        rows = np.flatnonzero(codes == code)
        if rows.size:
            mat = _gather(seg, start[rows], length[rows], len(name))
            if np.any(mat != np.frombuffer(name.encode(), dtype=np.uint8)):
                return None
    return codes.astype(np.int8)


def _intern(data, seg, start, length, body_at):
    """Return (ids, index per field) for id fields; empty fields get -1. None if unsure."""
    width = int(length.max(initial=0))
    if width == 0 or width > 40:
        return None
    words = -(-width // 8)
    w = np.zeros((start.size, words), dtype=np.uint64)
    last = seg.size - 1
    for j in range(width):
        byte = np.where(j < length, seg[np.minimum(start + j, last)], 0).astype(np.uint64)
        w[:, j // 8] |= byte << np.uint64(8 * (j % 8))
    h = length.astype(np.uint64)
    with np.errstate(over="ignore"):
        for k in range(words):
            h = h * np.uint64(0x100000001B3) ^ w[:, k]
    rows = np.flatnonzero(length > 0)
    hp = h[rows]
    perm = np.argsort(hp)
    sorted_h = hp[perm]
    new_group = np.empty(sorted_h.size, dtype=bool)
    new_group[:1] = True
    new_group[1:] = sorted_h[1:] != sorted_h[:-1]
    group = np.cumsum(new_group) - 1
    inverse = np.empty(rows.size, dtype=np.int64)
    inverse[perm] = group
    reps = rows[perm[new_group]]
    rep = reps[inverse]
    if np.any(length[rows] != length[rep]) or np.any(w[rows] != w[rep]):
        return None  # a hash collision: let the careful path do it
    names = [
        data[body_at + int(s) : body_at + int(s) + int(n)].decode("utf-8")
        for s, n in zip(start[reps], length[reps], strict=True)
    ]
    index = np.full(start.size, -1, dtype=np.int64)
    index[rows] = inverse
    return names, index


def _load_fast_bytes(data: bytes):
    """Return Events for a clean, simple file, or None to let the careful path decide."""
    if b'"' in data or b"\r" in data or data.startswith(b"\xef\xbb\xbf"):
        return None
    h = data.find(b"\n")
    if h < 0 or data[:h].decode("utf-8", "replace").strip() != ",".join(HEADER):
        return None
    end = len(data.rstrip(b"\n"))
    if end <= h + 1:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    body_at = h + 1
    seg = np.frombuffer(data, dtype=np.uint8, count=end - body_at, offset=body_at)
    nl = np.flatnonzero(seg == 10)
    n = nl.size + 1
    line_start = np.concatenate([[0], nl + 1])
    line_end = np.concatenate([nl, [seg.size]])
    del nl
    commas = np.flatnonzero(seg == 44)
    if commas.size != 4 * n:
        return None
    c = commas.reshape(n, 4)
    if np.any(c[:, 0] < line_start) or np.any(c[:, 3] >= line_end):
        return None
    starts = [line_start, c[:, 0] + 1, c[:, 1] + 1, c[:, 2] + 1, c[:, 3] + 1]
    ends = [c[:, 0], c[:, 1], c[:, 2], c[:, 3], line_end]
    lengths = [e - s for s, e in zip(starts, ends, strict=True)]
    if lengths[0].min() == 0 or lengths[0].max() > 18:
        return None
    t = _integers(_gather(seg, starts[0], lengths[0], int(lengths[0].max())), lengths[0])
    kind = _kind_codes(seg, starts[3], lengths[3])
    given = lengths[4] > 0
    parsed = _decimals(data, seg, starts[4][given], lengths[4][given])
    if t is None or kind is None or parsed is None:
        return None
    value = np.full(n, math.nan)
    value[given] = parsed
    both = _intern(
        data,
        seg,
        np.concatenate([starts[1], starts[2]]),
        np.concatenate([lengths[1], lengths[2]]),
        body_at,
    )
    if both is None:
        return None
    names, index = both
    actor, subject = index[:n], index[n:]
    needs = np.zeros(len(KINDS), dtype=bool)
    needs[list(NEEDS_SUBJECT)] = True
    hours = np.isin(kind, list(HOURS))
    if (
        np.any(actor < 0)
        or np.any(needs[kind] & (subject < 0))
        or np.any((kind == RATED) & ~(np.abs(value) <= 1.0))
        or np.any(hours & (value < 0))
    ):
        return None
    value[~hours & (kind != RATED) & (kind != COMMITTED)] = math.nan
    order = sorted(range(len(names)), key=names.__getitem__)
    renumber = np.empty(len(names) + 1, dtype=np.int32)
    renumber[np.asarray(order, dtype=np.int64)] = np.arange(len(names), dtype=np.int32)
    renumber[-1] = -1
    actor, subject = renumber[actor], renumber[subject]
    t = t.astype(np.float64)
    rows = canonical_order(t, kind, actor, subject, value)
    return Events(
        people=[names[i] for i in order],
        actor=actor[rows],
        subject=subject[rows],
        kind=kind[rows],
        time=t[rows],
        value=value[rows],
    )


def load_events(path, skip_bad: bool = False) -> Events:
    """Read an event CSV (the trust event contract) into :class:`Events`.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with header ``time,actor,subject,kind,value``.
    skip_bad : bool, optional
        Skip rows that break the contract (and count them in ``Events.skipped``) instead of
        raising.

    Returns
    -------
    Events
        The events, sorted by time.

    Raises
    ------
    EventError
        For the first bad row (unless ``skip_bad``), or a bad header; it names the line and the
        column.
    """
    fast = _load_fast_bytes(Path(path).read_bytes())
    if fast is not None:
        return fast
    text = _read_text(path)
    first, _, body = text.partition("\n")
    if not first.strip():
        raise EventError(1, 1, "the file is empty or has no header")
    header = _check_header(first)
    body = body.rstrip("\n")
    if len(header) != 5 or '"' in text or "\n\n" in body:
        return _load_events_reference(path, skip_bad)
    if not body:
        return _from_rows([], 0)
    n = body.count("\n") + 1
    if body.count(",") != 4 * n:
        return _load_events_reference(path, skip_bad)
    # An empty value (the last column) becomes "nan", so the column parses in one go.
    body = body.replace(",\n", ",nan\n")
    if body.endswith(","):
        body += "nan"
    fields = body.replace("\n", ",").split(",")
    del body
    times, actors, subjects, kinds, values = (fields[c::5] for c in range(5))
    del fields
    bad = np.zeros(n, dtype=np.int8)  # the first bad column of each row, 0 if none

    def mark(rows, column):
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size:
            fresh = rows[bad[rows] == 0]
            bad[fresh] = column

    t = _floats(times)
    if t is None or not np.isfinite(t).all():
        t = np.empty(n)
        for i, text in enumerate(times):
            try:
                t[i] = parse_time(text)
            except ValueError:
                t[i] = math.nan
    mark(np.flatnonzero(~np.isfinite(t)), 1)
    # Intern the ids in one pass: each new id gets the next number.
    ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    ids[""]  # noqa: B018 - number 0 is "nobody"
    actor = np.fromiter(map(ids.__getitem__, actors), dtype=np.int64, count=n)
    subject = np.fromiter(map(ids.__getitem__, subjects), dtype=np.int64, count=n)
    del actors, subjects
    mark(np.flatnonzero(actor == 0), 2)
    unknown = set(kinds).difference(KIND_CODE)
    if unknown:
        mark([i for i, k in enumerate(kinds) if k in unknown], 4)
        code_of = dict(KIND_CODE, **dict.fromkeys(unknown, -1))
    else:
        code_of = KIND_CODE
    kind = np.fromiter(map(code_of.__getitem__, kinds), dtype=np.int8, count=n)
    needs = np.zeros(len(KINDS) + 1, dtype=bool)
    needs[list(NEEDS_SUBJECT)] = True
    mark(np.flatnonzero(needs[kind] & (subject == 0)), 3)
    v = _floats(values)
    if v is None:
        v = np.full(n, math.nan)
        for i, text in enumerate(values):
            if text:
                try:
                    v[i] = float(text)
                except ValueError:
                    mark([i], 5)
    mark(np.flatnonzero(np.isinf(v)), 5)
    mark(np.flatnonzero((kind == RATED) & ~(np.abs(v) <= 1.0)), 5)
    hours = np.isin(kind, list(HOURS))
    mark(np.flatnonzero(hours & (v < 0)), 5)
    v[~hours & (kind != RATED) & (kind != COMMITTED)] = math.nan
    skipped = 0
    if bad.any():
        first_bad = int(np.flatnonzero(bad)[0])
        if not skip_bad:
            names = list(ids)
            row = (
                times[first_bad],
                names[actor[first_bad]],
                names[subject[first_bad]],
                kinds[first_bad],
                values[first_bad] if values[first_bad] != "nan" else "",
            )
            try:
                _check_row(*row)
                column, reason = int(bad[first_bad]), "breaks the contract"
            except ValueError as exc:
                column, reason = exc.args
            raise EventError(first_bad + 2, column, reason)
        keep = bad == 0
        skipped = int(n - keep.sum())
        actor, subject, kind, t, v = actor[keep], subject[keep], kind[keep], t[keep], v[keep]
    # Renumber people in sorted order of their ids (0, "nobody", becomes -1).
    names = list(ids)
    used = np.zeros(len(names), dtype=bool)
    used[actor] = True
    used[subject] = True
    used[0] = False
    people = sorted(names[i] for i in np.flatnonzero(used))
    rank = {p: i for i, p in enumerate(people)}
    renumber = np.full(len(names), -1, dtype=np.int32)
    live = np.flatnonzero(used)
    renumber[live] = [rank[names[i]] for i in live]
    actor, subject = renumber[actor], renumber[subject]
    rows = canonical_order(t, kind, actor, subject, v)
    return Events(
        people=people,
        actor=actor[rows],
        subject=subject[rows],
        kind=kind[rows],
        time=t[rows],
        value=v[rows],
        skipped=skipped,
    )
