"""Reading event files: agreement with a csv-module oracle, and every error by line and column."""

import csv
import math
from datetime import datetime

import numpy as np
import pytest

from cairn.trust.engine import EventError, events_from_arrays, load_events
from cairn.trust.engine.csv_io import parse_time
from cairn.trust.engine.events import HOURS, KIND_CODE, KINDS, RATED

HEADER = "time,actor,subject,kind,value\n"


def write(tmp_path, body, header=HEADER, name="events.csv"):
    path = tmp_path / name
    path.write_bytes((header + body).encode("utf-8"))
    return path


def oracle(path):
    """Return the Events of a good file, read with the csv module, float and fromisoformat."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    rows = [r for r in rows if r]
    names = sorted({r[1] for r in rows} | {r[2] for r in rows if r[2]})
    index = {p: i for i, p in enumerate(names)}

    def seconds(text):
        try:
            return float(text)
        except ValueError:
            return datetime.fromisoformat(text).timestamp()

    def value(kind, text):
        keeps = KIND_CODE[kind] in HOURS or kind in ("rated", "committed")
        return float(text) if text and keeps else math.nan

    return events_from_arrays(
        names,
        [index[r[1]] for r in rows],
        [index[r[2]] if r[2] else -1 for r in rows],
        [r[3] for r in rows],
        [seconds(r[0]) for r in rows],
        [value(r[3], r[4]) for r in rows],
    )


def same(a, b):
    assert a.people == b.people
    assert a.skipped == b.skipped
    for column in ("actor", "subject", "kind", "time", "value"):
        np.testing.assert_array_equal(getattr(a, column), getattr(b, column))


GOOD = [
    "1700000000,ann,bob,thanked,\n1700000100,bob,ann,rated,0.5\n",
    "2023-11-14T22:13:20+00:00,ann,bob,kept,\n2023-11-14T22:13:21Z,cat,,shared,\n",
    "2023-11-14T22:13:20.25+01:00,ann,bob,kept,\n1700000000,cat,,shared,\n",
    "1700000000.5,ann,bob,helped,2\n1700000000.5,ann,bob,helped,1\n1,cat,,lesson_shared,\n",
    '1700000000,"ann, jr",bob,thanked,\n1700000001,bob,"ann, jr",credited,\n',
    "1700000000,ann,bob,thanked,\r\n1700000005,bob,ann,responded,3.5\r\n",
    "1700000000,ann,bob,committed,1700500000\n1700000000,ann,,asked,\n\n",
    "1,ann,bob,thanked,0.5\n2,ann,bob,helped,\n",
    "1,zoë,ann,thanked,\n2,Ann,ann,thanked,\n3,ann,éva,mentored,1.5\n",
    "",
]


@pytest.mark.parametrize("body", GOOD)
def test_it_reads_good_files_as_the_csv_module_does(tmp_path, body):
    path = write(tmp_path, body)
    same(load_events(path), oracle(path))


def test_a_byte_order_mark_and_a_header_without_rows(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "1,a,b,thanked,\n").encode())
    same(load_events(path), oracle(path))
    assert len(load_events(write(tmp_path, "", header=HEADER.strip()))) == 0


def test_it_reads_every_kind_and_sorts_by_time(tmp_path):
    rows = [
        f"{100 - i},p{i},p{i + 1},{kind},{0.5 if kind == 'rated' else ''}\n"
        for i, kind in enumerate(KINDS)
    ]
    ev = load_events(write(tmp_path, "".join(rows)))
    assert len(ev) == len(KINDS)
    assert np.all(np.diff(ev.time) >= 0)
    assert ev.people == sorted(ev.people)
    assert ev.n_people == len(KINDS) + 1


def test_iso_and_unix_times_agree(tmp_path):
    ev = load_events(write(tmp_path, "2023-11-14T22:13:20+00:00,a,b,thanked,\n"))
    assert ev.time[0] == 1_700_000_000
    assert parse_time("2023-11-14T23:13:20+01:00") == parse_time("1700000000") == 1_700_000_000


def test_the_row_order_does_not_matter(tmp_path):
    rows = ["3,c,a,rated,0.2\n", "1,a,b,thanked,\n", "1,b,a,thanked,\n", "2,a,,shared,\n"]
    same(
        load_events(write(tmp_path, "".join(rows))),
        load_events(write(tmp_path, "".join(rows[::-1]), name="r.csv")),
    )


BAD = [
    ("1,a,b,thank,\n", 2, 4, "unknown kind"),
    ("1,a,b,,\n", 2, 4, "unknown kind"),
    ("1,a,b,thanked,\n2,,b,thanked,\n", 3, 2, "missing actor"),
    ("1,a,b,rated,1.5\n", 2, 5, "outside"),
    ("1,a,b,rated,-1.01\n", 2, 5, "outside"),
    ("1,a,b,rated,\n", 2, 5, "needs a value"),
    ("yesterday,a,b,thanked,\n", 2, 1, "bad time"),
    (",a,b,thanked,\n", 2, 1, "bad time"),
    ("nan,a,b,thanked,\n", 2, 1, "bad time"),
    ("2023-11-14T10:00:00,a,b,thanked,\n", 2, 1, "zone"),
    ("1,a,,kept,\n", 2, 3, "needs a subject"),
    ("1,a,b,helped,lots\n", 2, 5, "not a number"),
    ("1,a,b,committed,inf\n", 2, 5, "not finite"),
    ("1,a,b,responded,-2\n", 2, 5, "negative"),
    ("1,a,b,thanked,\n1,a,b\n", 3, 4, "columns"),
    ("1,a,b,thanked,\n1,a,b,thanked,,\n", 3, 6, "columns"),
    ('1,"a,b",c,kept,\n1,a,b,rated,x\n', 3, 5, "not a number"),
    # a quoted field spanning two lines: the bad row after it is on line 4
    ('1,"a\nb",c,kept,\n1,a,b,rated,x\n', 4, 5, "not a number"),
    # blank lines count as lines
    ("1,a,b,kept,\n\n\n1,a,b,kept,2,\n", 5, 6, "columns"),
    # the first bad row is named, whichever kind of problem comes later
    ("1,a,b,thank,\n1,a,b\n", 2, 4, "unknown kind"),
    ("1,a,b\n1,a,b,thank,\n", 2, 4, "columns"),
    # the first bad column of a row is named: time before actor before kind
    ("x,,b,thank,\n", 2, 1, "bad time"),
    ("1,,b,thank,\n", 2, 2, "missing actor"),
    ("1,a,,thank,\n", 2, 4, "unknown kind"),
]


@pytest.mark.parametrize(("body", "line", "column", "words"), BAD)
def test_a_bad_row_names_its_line_and_column(tmp_path, body, line, column, words):
    with pytest.raises(EventError) as caught:
        load_events(write(tmp_path, body))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.reason
    assert f"line {line}, column {column}" in str(caught.value)


def test_bytes_that_are_not_utf8_name_their_line_and_column(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + b"1,a,b,thanked,\n2,a,caf\xe9,thanked,\n")
    with pytest.raises(EventError) as caught:
        load_events(path)
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "UTF-8" in caught.value.reason
    ev = load_events(path, skip_bad=True)
    assert (len(ev), ev.skipped, ev.people) == (1, 1, ["a", "b"])


def test_skip_bad_skips_and_counts(tmp_path):
    body = "1,a,b,thanked,\n2,a,b,thank,\n3,,b,kept,\n4,b,a,rated,0.2\n5,x,y\n6,q,,kept,\n"
    ev = load_events(write(tmp_path, body), skip_bad=True)
    assert len(ev) == 2
    assert ev.skipped == 4
    assert ev.people == ["a", "b"]  # people only in skipped rows are not people


def test_a_wrong_header_is_line_one(tmp_path):
    with pytest.raises(EventError) as caught:
        load_events(write(tmp_path, "1,a,b,thanked,\n", header="time,who,whom,kind,value\n"))
    assert (caught.value.line, caught.value.column) == (1, 2)


def test_an_empty_file_is_an_error(tmp_path):
    with pytest.raises(EventError) as caught:
        load_events(write(tmp_path, "", header=""))
    assert caught.value.line == 1


def test_extra_columns_are_allowed(tmp_path):
    ev = load_events(write(tmp_path, "1,a,b,thanked,,x\n", header=HEADER.strip() + ",note\n"))
    assert len(ev) == 1


def test_a_simulated_community_reads_as_the_csv_module_reads_it(tmp_path):
    from cairn.demo.simulator import simulate

    path = tmp_path / "sim.csv"
    simulate(50, 30, attack="sybil:5:2", seed=9).write_events(path)
    same(load_events(path), oracle(path))


@pytest.mark.parametrize(
    "value", ["-0.35", "0.8", "12", "1700000000", "0.125", "-1", "3.", ".5", "1e3", "-.5", "+0.5"]
)
def test_values_read_exactly_as_float_does(tmp_path, value):
    path = write(
        tmp_path,
        f"1,a,b,helped,{value.lstrip('-')}\n2,a,b,rated,{value}\n"
        if abs(float(value)) <= 1
        else f"1,a,b,committed,{value}\n",
    )
    ev = load_events(path)
    same(ev, oracle(path))
    assert float(value) in ev.value[ev.kind == RATED].tolist() or abs(float(value)) > 1


def test_write_csv_quotes_ids_and_formats_numbers(tmp_path):
    from cairn.trust.engine.csv_io import write_csv

    path = tmp_path / "out.csv"
    ids = ["plain", 'say "hi", then\nleave']
    write_csv(path, ["person", "score", "seed"], [ids, np.array([0.5, 1 / 3]), np.array([1, 0])])
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["person", "score", "seed"],
        ["plain", "0.500000", "1"],
        [ids[1], "0.333333", "0"],
    ]


def test_write_csv_writes_numbers_as_the_percent_operator_does(tmp_path):
    from cairn.trust.engine.csv_io import write_csv

    rng = np.random.default_rng(7)
    tricky = [0.0, -0.0, 1 / 128, 3 / 128, -1 / 128, 2.5e-7, -1e-9, 1.0000005, 123456.7890125]
    tricky += [np.nan, np.inf, -np.inf, 1e300, 5e15]
    numbers = np.concatenate([rng.uniform(-1, 1, 5000), np.arange(0, 1, 1 / 1024), tricky])
    path = tmp_path / "out.csv"
    write_csv(path, ["x"], [numbers])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1:] == ["%.6f" % x for x in numbers.tolist()]  # noqa: UP031


def test_write_csv_writes_a_header_alone_when_there_are_no_rows(tmp_path):
    from cairn.trust.engine.csv_io import write_csv

    path = tmp_path / "out.csv"
    write_csv(path, ["person", "score"], [[], np.zeros(0)])
    assert path.read_text(encoding="utf-8") == "person,score\n"


@pytest.mark.parametrize("shuffle", [False, True])
def test_the_canonical_order_is_numpys_lexsort(shuffle):
    from cairn.trust.engine.events import canonical_order

    rng = np.random.default_rng(4)
    m = 4000
    time = np.sort(rng.integers(0, 300, m)).astype(float)
    if shuffle:
        time = rng.permutation(time)
    kind = rng.integers(0, 3, m).astype(np.int8)
    actor = rng.integers(0, 5, m).astype(np.int32)
    subject = rng.integers(-1, 5, m).astype(np.int32)
    value = np.where(rng.random(m) < 0.5, np.nan, rng.integers(-2, 3, m) / 2)
    expected = np.lexsort((np.nan_to_num(value, nan=np.inf), subject, actor, kind, time))
    got = canonical_order(time, kind, actor, subject, value)
    np.testing.assert_array_equal(got, expected)
