"""``cairn trust scores|predict|explain``: exact output contract and bad input."""

import csv
import subprocess
import sys

import pytest

from cairn.demo.simulator import simulate
from cairn.trust.cli import main


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    path = tmp_path_factory.mktemp("trust") / "events.csv"
    simulate(40, 40, seed=3).write_events(path)
    return path


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_scores_writes_the_exact_header_and_one_row_per_person(events, tmp_path):
    out = tmp_path / "scores.csv"
    assert main(["scores", str(events), "--out", str(out)]) == 0
    rows = read(out)
    assert rows[0][:6] == [
        "person",
        "trust",
        "generosity",
        "courage",
        "integrity",
        "responsiveness",
    ]
    people = {r[1] for r in read(events)[1:]} | {r[2] for r in read(events)[1:] if r[2]}
    assert {r[0] for r in rows[1:]} == people
    assert all(0.0 <= float(x) <= 1.0 for r in rows[1:] for x in r[1:])


def test_scores_takes_seeds_and_a_time(events, tmp_path):
    out = tmp_path / "scores.csv"
    status = main(
        [
            "scores",
            str(events),
            "--out",
            str(out),
            "--seeds",
            "m00,m01",
            "--at",
            "2023-12-01T00:00:00+00:00",
        ]
    )
    assert status == 0
    seeds = {r[0] for r in read(out)[1:] if r[-1] == "1"}
    assert seeds == {"m00", "m01"}


def test_predict_keeps_the_order_and_range(events, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("actor,subject\nm01,m02\nstranger,m03\nm04,unknown\nm02,m01\n")
    out = tmp_path / "pred.csv"
    assert main(["predict", str(events), str(pairs), "--out", str(out)]) == 0
    rows = read(out)
    assert rows[0] == ["actor", "subject", "predicted"]
    assert [r[:2] for r in rows[1:]] == [
        ["m01", "m02"],
        ["stranger", "m03"],
        ["m04", "unknown"],
        ["m02", "m01"],
    ]
    assert all(-1.0 <= float(r[2]) <= 1.0 for r in rows[1:])


def test_predict_as_of_a_time_uses_only_what_was_known_then(events, tmp_path):
    rated = [r for r in read(events)[1:] if r[3] == "rated"]
    actor, subject = rated[0][1], rated[-1][2]
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "actor,subject,time\n"
        f"{actor},{subject},2100-01-01T00:00:00+00:00\n"
        f"{actor},{subject},\n"
        f"{actor},{subject},946684800\n"
    )
    out = tmp_path / "pred.csv"
    assert main(["predict", str(events), str(pairs), "--out", str(out)]) == 0
    later, latest, before_anything = (float(r[2]) for r in read(out)[1:])
    assert later == latest  # after the last event: everything is known either way
    assert before_anything == 0.0  # in 2000 nobody had rated anyone
    assert latest != 0.0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("actor,subject,time\nm01,m02,yesterday\n", "line 2, column 3"),
        ("actor,subject,time\nm01,m02,1\nm01,m02,2023-01-01T00:00:00\n", "line 3, column 3"),
        ("actor,subject,when\nm01,m02,1\n", "line 1, column 1"),
    ],
)
def test_predict_bad_time_exits_2_naming_line_and_column(events, tmp_path, capsys, body, where):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(body)
    assert main(["predict", str(events), str(pairs), "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err


def test_explain_prints_plain_words(events, capsys):
    assert main(["explain", str(events), "m05", "--viewer", "m06"]) == 0
    text = capsys.readouterr().out
    assert "m05: trust" in text and "How much m06 can trust m05" in text


def test_explain_json(events, capsys):
    assert main(["explain", str(events), "m05", "--json"]) == 0
    assert '"dimensions"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("1,a,b,thanked,\n2,a,b,thank,\n", "line 3, column 4"),
        ("1,a,b,rated,2\n", "line 2, column 5"),
        ("x,a,b,thanked,\n", "line 2, column 1"),
    ],
)
def test_bad_events_exit_2_naming_line_and_column(tmp_path, capsys, body, where):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,actor,subject,kind,value\n" + body)
    assert main(["scores", str(bad), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err


def test_skip_bad_goes_on(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,actor,subject,kind,value\n1,a,b,thanked,\n2,a,b,thank,\n")
    out = tmp_path / "o.csv"
    assert main(["scores", str(bad), "--out", str(out), "--skip-bad"]) == 0
    assert len(read(out)) == 3


def test_bad_pairs_and_missing_files_exit_2(events, tmp_path, capsys):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("actor,subject\nm01,\n")
    assert main(["predict", str(events), str(pairs), "--out", str(tmp_path / "p.csv")]) == 2
    assert "line 2, column 2" in capsys.readouterr().err
    assert main(["scores", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")]) == 2
    assert main(["explain", str(events), "nobody"]) == 2
    assert main(["scores"]) == 2


def test_the_cairn_command_runs_it_without_django(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,actor,subject,kind,value\n1,,b,thanked,\n")
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "cairn", "trust", "scores", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "line 2, column 2" in done.stderr and "Traceback" not in done.stderr


def test_progress_is_silent_when_stderr_is_not_a_terminal(events, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("cairn.trust.cli._is_big", lambda path: True)
    assert main(["scores", str(events), "--out", str(tmp_path / "o.csv")]) == 0
    assert capsys.readouterr().err == ""


def test_progress_yes_draws_the_bar_on_stderr_only(events, capsys):
    assert main(["explain", str(events), "m05", "--json", "--progress", "yes"]) == 0
    out, err = capsys.readouterr()
    assert "done" in err and "━" in err
    assert '"dimensions"' in out and "done" not in out
