"""``cairn match``: the exact CLI contract, and bad input giving a clear message and status 2."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cairn.matching.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "examples" / "mentoring-program.json"
HEADER = "person,department,timezone,languages,offers,wants,capacity,manager,trust,responsiveness,x"
ROWS = [
    "ana,Sales,Europe/London,en;pt,stakeholder management; negotiation,python,2,,0.8,0.9,1",
    "ben,Engineering,America/New_York,en,python; code review,public speaking,1,carl,,,",
    "carl,Engineering,America/New_York,en,negotiation with your manager,,3,,0.9,0.7,",
    "dee,Finance,Asia/Tokyo,ja,negotiation; budgeting,,0,,,,",
    "eve,Marketing,Europe/Berlin,de;en,public speaking; negotiation,,2,,,,",
]


def write(tmp_path, lines, name="profiles.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def run(argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_recommend_writes_person_score_reasons_best_first(tmp_path, capsys):
    path = write(tmp_path, [HEADER, *ROWS])
    status, out, _ = run(
        ["recommend", path, "--goal", "negotiation", "--for", "ben", "--embedder", "tfidf"], capsys
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["person", "score", "reasons"]
    people = [r["person"] for r in rows]
    assert "ben" not in people and "carl" not in people and "dee" not in people
    assert set(people) == {"ana", "eve"}
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(r["reasons"].startswith("offers ") for r in rows)


def test_recommend_ranks_people_listing_a_named_skill_first(tmp_path, capsys):
    path = write(tmp_path, [HEADER, *ROWS])
    argv = ["recommend", path, "--goal", "getting better at code", "--embedder", "tfidf"]
    _, out, _ = run([*argv, "--skills", "Code review; Tai chi"], capsys)
    top = next(csv.DictReader(io.StringIO(out)))
    assert top["person"] == "ben"
    assert top["reasons"].startswith("offers Code review;")


def test_recommend_k_and_out(tmp_path, capsys):
    path = write(tmp_path, [HEADER, *ROWS])
    out_file = tmp_path / "out.csv"
    args = ["recommend", path, "--goal", "negotiation", "--k", "1", "--out", str(out_file)]
    status, out, _ = run([*args, "--embedder", "tfidf"], capsys)
    assert status == 0 and out == ""
    assert len(list(csv.DictReader(out_file.open()))) == 1


def test_program_writes_the_assignment(tmp_path, capsys):
    out_file = tmp_path / "assignment.csv"
    args = ["program", str(EXAMPLE), "--out", str(out_file), "--embedder", "tfidf"]
    status, _, err = run(args, capsys)
    assert status == 0
    rows = list(csv.DictReader(out_file.open()))
    assert [r["mentee"] for r in rows] == ["eli", "fatima", "gus", "hana", "ivan"]
    assert list(rows[0]) == ["mentee", "mentor", "score", "reasons"]
    assert "matched 5 of 5 mentees" in err and "worst-matched mentee" in err


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([HEADER.replace("capacity,", ""), *ROWS], "line 1 (header): missing column(s) capacity"),
        (
            [HEADER, ROWS[0], ROWS[1].replace(",1,carl", ",one,carl")],
            "line 3, column 'capacity': 'one' is not a whole number",
        ),
        (
            [HEADER, ROWS[0].replace("Europe/London", "Europe/Londn")],
            "line 2, column 'timezone': 'Europe/Londn' is not an IANA time zone",
        ),
        ([HEADER, ROWS[0].replace("0.8", "1.8")], "line 2, column 'trust': 1.8 is not between"),
        ([HEADER, ROWS[0].replace("0.9", "fast")], "line 2, column 'responsiveness': 'fast'"),
        ([HEADER, ROWS[0], ROWS[0]], "line 3, column 'person': 'ana' already appears on line 2"),
        ([HEADER, ROWS[0] + ",extra"], "line 2, column '(extra)'"),
        ([HEADER, ROWS[0].replace(",2,", ",-2,")], "line 2, column 'capacity': -2 is negative"),
    ],
)
def test_bad_profiles_name_the_line_and_column(tmp_path, capsys, lines, message):
    path = write(tmp_path, lines)
    status, out, err = run(["recommend", path, "--goal", "x", "--embedder", "tfidf"], capsys)
    assert status == 2
    assert message in err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recommend", "{p}", "--goal", "x", "--for", "zed"], "--for: no person 'zed'"),
        (["recommend", "{p}", "--goal", "x", "--k", "0"], "--k: must be 1 or more"),
        (["recommend", "{p}", "--goal", "  "], "--goal: must not be empty"),
        (["recommend", "{d}/missing.csv", "--goal", "x"], "cannot read the file"),
        (["recommend", "{p}"], "the following arguments are required: --goal"),
        (["program", "{d}/missing.json"], "cannot read the file"),
        (["program", "{bad}"], "not valid JSON at line 1, column 14"),
        (["program", "{wrong}"], "mentors[0].capacity: must be a int, not str"),
        (["program", "{none}"], "no mentee can be matched"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path, capsys, argv, message):
    bad = tmp_path / "bad.json"
    bad.write_text('{"mentors": [}')
    program = json.loads(EXAMPLE.read_text())
    program["mentors"][0]["capacity"] = "2"
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(program))
    for m in program["mentors"]:
        m["capacity"] = 0
    none = tmp_path / "none.json"
    none.write_text(json.dumps(program))
    names = {
        "p": write(tmp_path, [HEADER, *ROWS]),
        "d": str(tmp_path),
        "bad": str(bad),
        "wrong": str(wrong),
        "none": str(none),
    }
    argv = [a.format(**names) for a in argv]
    status, _, err = run([*argv, "--embedder", "tfidf"] if len(argv) > 1 else argv, capsys)
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_cairn_match_runs_as_a_command_without_django(tmp_path):
    path = write(tmp_path, [HEADER, *ROWS])
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "cairn",
            "match",
            "recommend",
            path,
            "--goal",
            "negotiation",
            "--embedder",
            "tfidf",
            "--k",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "nonexistent.settings"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "person,score,reasons"
    assert len(done.stdout.splitlines()) == 3
