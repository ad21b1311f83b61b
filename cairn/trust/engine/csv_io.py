"""Read the trust event contract (``time,actor,subject,kind,value`` CSV) with ``pyarrow.csv``.

The contract is in ``../shared/TRUST-EVENTS.md``. pyarrow splits the file (quotes, quoted
newlines, CRLF, a UTF-8 BOM and blank lines included); one vectorised pass over the columns then
checks every row against the contract. Only when a row is bad does the file get a second look: the
csv module counts rows up to the bad one, so the error names the line an editor shows, also when
quoted fields span lines.

Every row must have as many fields as the header (extra columns after ``value`` are allowed and
ignored, but then in every row).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from .events import (
    COMMITTED,
    HEADER,
    HOURS,
    KINDS,
    NEEDS_SUBJECT,
    RATED,
    EventError,
    Events,
    events_from_arrays,
)

__all__ = ["load_events", "parse_time", "write_csv"]

#: What pyarrow's cast from text to float64 accepts as a plain number (no nan, inf).
NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
NEEDS_QUOTES = re.compile(r'[,"\r\n]')
TIME, ACTOR, SUBJECT, KIND, VALUE = range(1, 6)  # 1-based columns, as errors name them
_KIND_NAMES = pa.array(KINDS)
_NEEDS_SUBJECT = np.isin(np.arange(len(KINDS) + 1), list(NEEDS_SUBJECT))  # index -1: unknown
_HOURS = np.isin(np.arange(len(KINDS) + 1), list(HOURS))


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
    n_columns = _check_header(path)
    if n_columns == 0:
        return events_from_arrays([], [], [], [], [], [])
    dropped: list[int] = []  # rows pyarrow left out: wrong width, or not UTF-8 (skip_bad)
    table = _read_table(path, n_columns, skip_bad, dropped)
    checked = _check(*table.columns)
    bad = checked["bad"]
    if not skip_bad and (dropped or bad.any()):
        first = int(np.argmax(bad > 0)) if bad.any() else -1
        raise _locate(path, n_columns, first)
    keep = bad == 0 if bad.any() else slice(None)
    actor, subject, names = checked["actor"][keep], checked["subject"][keep], checked["names"]
    used = np.zeros(len(names) + 1, dtype=bool)  # the last slot catches subject -1
    used[actor] = True
    used[subject] = True
    used = used[:-1]
    if not used.all():  # ids only in skipped rows are nobody
        number = np.append(np.cumsum(used) - 1, -1)
        actor, subject, names = number[actor], number[subject], names.filter(pa.array(used))
    return events_from_arrays(
        names.to_pylist(),
        actor,
        subject,
        checked["kind"][keep],
        checked["time"][keep],
        checked["value"][keep],
        skipped=len(dropped) + int(np.count_nonzero(bad)),
    )


def parse_time(text: str) -> float:
    """Return Unix seconds for a contract time (number, or ISO-8601 with a zone).

    Raises
    ------
    ValueError
        If ``text`` is neither, or the ISO time has no zone, or it is not finite.
    """
    seconds = float(_seconds(pa.array([text.strip()], pa.string()))[0])
    if np.isnan(seconds):
        raise ValueError(f"{text!r} is not Unix seconds or ISO-8601 with a zone")
    return seconds


def write_csv(path, header: Sequence[str], columns: Sequence) -> None:
    """Write ``columns`` as CSV under ``header``.

    Parameters
    ----------
    path : str or path-like
        The file to write (UTF-8).
    header : sequence of str
        Column names.
    columns : sequence
        One entry per column: a float array (written as ``"%.6f"`` writes it), an integer or
        boolean array (written as integers), or a sequence of str (quoted where needed).
    """
    cells = []
    for column in columns:
        kind = column.dtype.kind if isinstance(column, np.ndarray) else "U"
        if kind == "f":
            cells.append(_fixed6(column))
        elif kind in "iub":
            cells.append(pc.cast(pa.array(column.astype(np.int64)), pa.string()))
        else:
            cells.append(_fields(column))
    lines = [",".join(_quoted(name) for name in header)]
    if cells and len(cells[0]):
        rows = pc.binary_join_element_wise(*cells, ",")
        lines.append(pc.binary_join(pa.ListArray.from_arrays([0, len(rows)], rows), "\n")[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(str(line) for line in lines) + "\n")


def _fixed6(values: np.ndarray) -> pa.Array:
    """Return each number as ``"%.6f" % x`` would, computed a column at a time.

    The number is rounded to millionths in float arithmetic; where that could round otherwise
    than the exact binary value does (within a hair of a half millionth), or the number is not
    finite or too large for the integer arithmetic, ``%`` formats it.
    """
    x = np.asarray(values, dtype=np.float64)
    scaled = np.abs(x) * 1e6
    exact = np.isfinite(scaled) & (scaled < 2.0**52)
    safe = np.where(exact, scaled, 0.0)
    exact &= np.abs(safe - np.floor(safe) - 0.5) > 1e-6
    q = np.round(safe).astype(np.int64)
    whole, part = np.divmod(q, 1_000_000)
    sign = pc.if_else(pa.array(np.signbit(x)), "-", "")
    text = pc.binary_join_element_wise(
        pc.binary_join_element_wise(sign, pc.cast(pa.array(whole), pa.string()), ""),
        pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), 6, "0"),
        ".",
    )
    other = np.flatnonzero(~exact)
    if other.size:
        fixed = pa.array([f"{v:.6f}" for v in x[other].tolist()], pa.string())
        text = pc.replace_with_mask(text, pa.array(~exact), fixed)
    return text


def _fields(texts) -> pa.Array:
    """Return ids as CSV fields: quoted where they hold a comma, a quote or a line break."""
    array = pa.array(texts if isinstance(texts, list | tuple) else list(texts), pa.string())
    needs = pc.match_substring_regex(array, NEEDS_QUOTES.pattern)
    if pc.any(needs).as_py():
        quoted = pa.array([_quoted(t) for t in array.filter(needs).to_pylist()], pa.string())
        array = pc.replace_with_mask(array, needs, quoted)
    return array


def _quoted(text: str) -> str:
    """Return ``text`` as one CSV field."""
    if NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _check_header(path) -> int:
    """Return the header's number of columns (0 if there are no rows), or raise EventError."""
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        first = f.readline()
        more = bool(f.read(1))
    names = [c.strip() for c in next(csv.reader([first]), [])]
    if not names or not any(names):
        raise EventError(1, 1, "the file is empty or has no header")
    if names[:5] != list(HEADER):
        missing = next((i for i, h in enumerate(HEADER) if i >= len(names) or names[i] != h), 0)
        raise EventError(1, missing + 1, f"the header must start with {','.join(HEADER)}")
    return len(names) if more else 0


def _read_table(path, n_columns: int, skip_bad: bool, dropped: list[int]) -> pa.Table:
    """Return the five contract columns as text (null where empty); note dropped rows.

    Rows of the wrong width are left out and noted in ``dropped``; with ``skip_bad``, so are rows
    that are not UTF-8.
    """
    names = [f"c{i}" for i in range(n_columns)]

    def on_wrong_width(row) -> str:
        dropped.append(row.actual_columns)
        return "skip"

    def read(kind: pa.DataType) -> pa.Table:
        return pv.read_csv(
            path,
            read_options=pv.ReadOptions(use_threads=False, skip_rows=1, column_names=names),
            parse_options=pv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_wrong_width
            ),
            convert_options=pv.ConvertOptions(
                include_columns=names[:5],
                column_types=dict.fromkeys(names[:5], kind),
                null_values=[""],
                strings_can_be_null=True,
            ),
        )

    try:
        return read(pa.string())
    except pa.ArrowInvalid as exc:
        if "UTF8" not in str(exc):
            raise _locate(path, n_columns, -1, str(exc)) from None
        if not skip_bad:
            raise _locate(path, n_columns, -1) from None
    dropped.clear()
    return _drop_undecodable(read(pa.binary()), dropped)


def _drop_undecodable(table: pa.Table, skipped: list[int]) -> pa.Table:
    """Return the rows whose fields are all UTF-8, as text; note the others as skipped."""
    good = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        for i, field in enumerate(column.to_pylist()):
            if field is not None and good[i]:
                try:
                    field.decode("utf-8")
                except UnicodeDecodeError:
                    good[i] = False
    skipped.extend([0] * int((~good).sum()))
    return table.filter(pa.array(good)).cast(
        pa.schema([(name, pa.string()) for name in table.column_names])
    )


def _check(time, actor, subject, kind, value) -> dict:
    """Return the parsed columns and ``bad``: the first bad column of each row (0 if none).

    Columns are checked in the order time, actor, kind, subject, value, so a row with an unknown
    kind is reported for its kind before its subject.
    """
    n = len(time)
    seconds = _seconds(time)
    ids = pa.chunked_array(actor.chunks + subject.chunks, type=pa.string())
    names, index = _intern(ids)
    actor_index, subject_index = index[:n], index[n:]
    code = pc.index_in(kind, value_set=_KIND_NAMES).fill_null(-1).to_numpy()
    code = np.asarray(code, dtype=np.int8)
    number, is_number = _floats(value)
    given = pc.is_valid(value).to_numpy()
    rated, hours = code == RATED, _HOURS[code]
    value_bad = (
        (given & ~is_number)
        | (given & ~np.isfinite(number))
        | (rated & ~(np.abs(number) <= 1.0))
        | (hours & (number < 0))
    )
    bad = np.zeros(n, dtype=np.int8)
    for column, wrong in (
        (TIME, np.isnan(seconds)),
        (ACTOR, actor_index < 0),
        (KIND, code < 0),
        (SUBJECT, _NEEDS_SUBJECT[code] & (subject_index < 0)),
        (VALUE, value_bad),
    ):
        bad[(bad == 0) & wrong] = column
    number[~hours & ~rated & (code != COMMITTED)] = np.nan  # kinds without a value: ignore it
    return {
        "bad": bad,
        "time": seconds,
        "actor": actor_index,
        "subject": subject_index,
        "names": names,
        "kind": code,
        "value": number,
        "given": given,
        "is_number": is_number,
    }


def _intern(ids: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Return the distinct ids and each entry's index among them (-1 for null)."""
    encoded = ids.dictionary_encode()
    chunks = encoded.chunks
    if chunks and all(c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]):
        names = chunks[0].dictionary
        index = pa.chunked_array([c.indices for c in chunks], type=chunks[0].indices.type)
    else:
        names = pc.unique(ids).drop_null()
        index = pc.index_in(ids, value_set=names)
    return names, np.asarray(index.fill_null(-1).to_numpy(), dtype=np.int64)


def _floats(text: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Return (numbers, is_number): the text as float64, NaN where it is null or not a number."""
    try:
        number = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        is_number = pc.match_substring_regex(text, NUMBER).fill_null(False)
        number = pc.if_else(is_number, text, None).cast(pa.float64())
    else:
        is_number = pc.is_valid(number)
    return (
        np.array(number.to_numpy(zero_copy_only=False), dtype=np.float64),  # a writable copy
        np.asarray(is_number.to_numpy(zero_copy_only=False), dtype=bool),
    )


def _seconds(text: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Return Unix seconds for each time (number or ISO-8601 with a zone); NaN where bad."""
    seconds, is_number = _floats(text)
    iso = np.flatnonzero(~is_number & pc.is_valid(text).to_numpy(zero_copy_only=False))
    if iso.size:
        stamps = text.take(pa.array(iso))
        try:
            nanos = pc.cast(stamps, pa.timestamp("ns", "UTC")).cast(pa.int64()).to_numpy()
            seconds[iso] = (nanos // 1000) / 1e6
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            seconds[iso] = [_iso_seconds(stamp) for stamp in stamps.to_pylist()]
    seconds[~np.isfinite(seconds)] = np.nan
    return seconds


def _iso_seconds(stamp: str) -> float:
    """Return Unix seconds for one ISO-8601 time with a zone, NaN if it is not one."""
    try:
        nanos = pc.cast(pa.array([stamp]), pa.timestamp("ns", "UTC")).cast(pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return np.nan
    return (nanos[0].as_py() // 1000) / 1e6


def _locate(path, n_columns: int, index: int, unreadable: str = "") -> EventError:
    """Return the error for the first bad row: one of the wrong width, undecodable, or row
    ``index`` of the table (counting rows of the right width only).

    The csv module counts the lines, so a quoted field that spans lines counts as its lines.
    """
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        seen = 0
        for row in reader:
            if not row:
                continue  # pyarrow skips blank lines too
            line = reader.line_num
            for column, field in enumerate(row[:n_columns], start=1):
                if any("\udc80" <= c <= "\udcff" for c in field):
                    return EventError(line, column, "the file is not UTF-8 here")
            if len(row) != n_columns:
                column = min(len(row), n_columns) + 1
                return EventError(line, column, f"expected {n_columns} columns, found {len(row)}")
            if seen == index:
                column, reason = _problem(row[:5])
                return EventError(line, column, reason)
            seen += 1
    return EventError(1, 1, f"the file could not be read as CSV: {unreadable}")


def _problem(fields: list[str]) -> tuple[int, str]:
    """Return (column, reason) for a row that the vectorised check found bad."""
    time, actor, subject, kind, value = fields
    checked = _check(*(pa.chunked_array([pa.array([f or None], pa.string())]) for f in fields))
    column = int(checked["bad"][0])
    if column == TIME:
        return column, f"bad time {time!r}: not Unix seconds or ISO-8601 with a zone"
    if column == ACTOR:
        return column, "missing actor"
    if column == KIND:
        return column, f"unknown kind {kind!r}"
    if column == SUBJECT:
        return column, f"a {kind!r} row needs a subject"
    number = checked["value"][0]
    if not checked["given"][0]:
        return column, f"a {kind!r} row needs a value"
    if not checked["is_number"][0]:
        return column, f"value {value!r} is not a number"
    if not np.isfinite(number):
        return column, f"value {value!r} is not finite"
    if kind == "rated":
        return column, f"rating {value} is outside [-1, 1]"
    return column, f"hours {value} is negative"
