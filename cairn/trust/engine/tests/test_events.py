"""The event loader: fast path against the csv-module reference, and errors by line/column."""

import numpy as np
import pytest

from cairn.trust.engine import EventError, load_events
from cairn.trust.engine.events import KINDS, _load_events_reference

HEADER = "time,actor,subject,kind,value\n"


def write(tmp_path, body, header=HEADER, name="events.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def same(a, b):
    assert a.people == b.people
    assert a.skipped == b.skipped
    for column in ("actor", "subject", "kind", "time", "value"):
        np.testing.assert_array_equal(getattr(a, column), getattr(b, column))


GOOD = [
    "1700000000,ann,bob,thanked,\n1700000100,bob,ann,rated,0.5\n",
    "2023-11-14T22:13:20+00:00,ann,bob,kept,\n2023-11-14T22:13:21Z,cat,,shared,\n",
    "1700000000.5,ann,bob,helped,2\n1700000000.5,ann,bob,helped,1\n1,cat,,lesson_shared,\n",
    '1700000000,"ann, jr",bob,thanked,\n1700000001,bob,"ann, jr",credited,\n',
    "1700000000,ann,bob,thanked,\r\n1700000005,bob,ann,responded,3.5\r\n",
    "1700000000,ann,bob,committed,1700500000\n1700000000,ann,,asked,\n\n",
    "",
]


@pytest.mark.parametrize("body", GOOD)
def test_fast_path_matches_the_reference(tmp_path, body):
    path = write(tmp_path, body)
    same(load_events(path), _load_events_reference(path))


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


BAD = [
    ("1,a,b,thank,\n", 2, 4, "unknown kind"),
    ("1,a,b,thanked,\n2,,b,thanked,\n", 3, 2, "missing actor"),
    ("1,a,b,rated,1.5\n", 2, 5, "outside"),
    ("1,a,b,rated,\n", 2, 5, "needs a value"),
    ("yesterday,a,b,thanked,\n", 2, 1, "bad time"),
    ("2023-11-14T10:00:00,a,b,thanked,\n", 2, 1, "zone"),
    ("1,a,,kept,\n", 2, 3, "needs a subject"),
    ("1,a,b,helped,lots\n", 2, 5, "not a number"),
    ("1,a,b,responded,-2\n", 2, 5, "negative"),
    ("1,a,b,thanked,\n1,a,b\n", 3, 4, "columns"),
    ('1,"a,b",c,kept,\n1,a,b,rated,x\n', 3, 5, "not a number"),
]


@pytest.mark.parametrize(("body", "line", "column", "words"), BAD)
@pytest.mark.parametrize("loader", [load_events, _load_events_reference])
def test_a_bad_row_names_its_line_and_column(tmp_path, loader, body, line, column, words):
    with pytest.raises(EventError) as caught:
        loader(write(tmp_path, body))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.reason
    assert f"line {line}, column {column}" in str(caught.value)


@pytest.mark.parametrize("loader", [load_events, _load_events_reference])
def test_skip_bad_skips_and_counts(tmp_path, loader):
    ev = loader(
        write(tmp_path, "1,a,b,thanked,\n2,a,b,thank,\n3,,b,kept,\n4,b,a,rated,0.2\n"),
        skip_bad=True,
    )
    assert len(ev) == 2
    assert ev.skipped == 2


def test_a_wrong_header_is_line_one(tmp_path):
    with pytest.raises(EventError) as caught:
        load_events(write(tmp_path, "1,a,b,thanked,\n", header="when,who,whom,kind,value\n"))
    assert caught.value.line == 1


def test_an_empty_file_is_an_error(tmp_path):
    with pytest.raises(EventError):
        load_events(write(tmp_path, "", header=""))


def test_extra_columns_are_allowed(tmp_path):
    ev = load_events(write(tmp_path, "1,a,b,thanked,,x\n", header=HEADER.strip() + ",note\n"))
    assert len(ev) == 1


def test_the_byte_parser_matches_the_reference_on_a_simulated_community(tmp_path):
    from cairn.demo.simulator import simulate
    from cairn.trust.engine.events import _load_fast_bytes

    path = tmp_path / "sim.csv"
    simulate(50, 30, attack="sybil:5:2", seed=9).write_events(path)
    fast = _load_fast_bytes(path.read_bytes())
    assert fast is not None  # the clean file takes the byte path
    same(fast, _load_events_reference(path))


@pytest.mark.parametrize(
    "value", ["-0.35", "0.8", "12", "1700000000", "0.125", "-1", "3.", ".5", "1e3", "-.5"]
)
def test_the_byte_parser_reads_values_exactly_as_float_does(tmp_path, value):
    path = write(
        tmp_path,
        f"1,a,b,helped,{value.lstrip('-')}\n2,a,b,rated,{value}\n"
        if abs(float(value)) <= 1
        else f"1,a,b,committed,{value}\n",
    )
    same(load_events(path), _load_events_reference(path))
