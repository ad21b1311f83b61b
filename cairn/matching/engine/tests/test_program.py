"""Programs: JSON validation with paths, constraints, picks, and compatibility vs the scorer."""

import copy
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from cairn.matching.engine.index import build_index
from cairn.matching.engine.program import (
    ProgramError,
    allowed_pairs,
    compatibility,
    match_program,
    parse_program,
)
from cairn.matching.engine.recommend import Query, Weights, score_all
from cairn.matching.engine.text import CharTfidf

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "examples" / "mentoring-program.json"
WINTER = dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def data():
    return json.loads(EXAMPLE.read_text())


def test_the_example_program_matches_everyone(data):
    result = match_program(parse_program(data), CharTfidf(), at=WINTER)
    assert result.summary["matched"] == 5
    rows = {r.mentee: r for r in result.rows}
    assert rows["fatima"].mentor != "amara"  # excluded pair
    assert rows["eli"].mentor != "bruno"  # his manager
    for r in result.rows:  # same_department is "forbid"
        mentee = next(m for m in data["mentees"] if m["person"] == r.mentee)
        mentor = next(m for m in data["mentors"] if m["person"] == r.mentor)
        assert mentee["department"] != mentor["department"]
        assert r.reasons[0].kind in ("pick", "offers")
        assert all(reason.kind != "slots" for reason in r.reasons)


def test_scores_are_the_unrounded_compatibility_of_the_pair(data):
    program = parse_program(data)
    result = match_program(program, CharTfidf(), at=WINTER)
    mentors = [m.person for m in program.mentors]
    for i, r in enumerate(result.rows):
        assert r.score == result.compat[i, mentors.index(r.mentor)]


def test_compatibility_rows_equal_the_recommendation_scores(data):
    program = parse_program(data)
    index = build_index(program.mentors, CharTfidf(), at=WINTER)
    compat = compatibility(index, program.mentees)
    no_capacity = Weights(capacity=0.0)
    for i, mentee in enumerate(program.mentees):
        scores, _, _ = score_all(index, Query(mentee.goal, seeker=mentee.profile), no_capacity)
        assert compat[i] == pytest.approx(scores, abs=1e-5)


def test_manager_chain_and_exclusions_are_hard_constraints(data):
    program = parse_program(data)
    index = build_index(program.mentors, CharTfidf())
    allowed = allowed_pairs(program, index)
    names = [m.person for m in program.mentors]
    assert not allowed[0, names.index("bruno")]  # eli's manager
    assert not allowed[1, names.index("amara")]  # excluded pair
    assert not allowed[3, names.index("bruno")]  # hana: same department, rule "forbid"
    assert allowed[3, names.index("chen")]


def test_picks_add_the_preference_bonus(data):
    no_picks = copy.deepcopy(data)
    for m in no_picks["mentees"]:
        m["picks"] = []
    a = match_program(parse_program(data), CharTfidf(), at=WINTER).compat
    b = match_program(parse_program(no_picks), CharTfidf(), at=WINTER).compat
    assert (a - b)[0, 0] == pytest.approx(0.15)  # eli's 1st pick is amara
    assert (a - b)[0, 3] == pytest.approx(0.10)  # and 2nd is dana
    assert np.count_nonzero(np.abs(a - b) > 1e-12) == 6


def test_fair_objective_never_lowers_the_worst(data):
    data["objective"] = "fair"
    fair = match_program(parse_program(data), CharTfidf(), at=WINTER).summary
    assert fair["worst"] >= fair["total_worst"] - 1e-12
    assert fair["total"] <= fair["total_total"] + 1e-12


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("mentors"), "$: missing required field 'mentors'"),
        (lambda d: d["mentors"][2].update(capacity="two"), "mentors[2].capacity: must be a int"),
        (lambda d: d["mentors"][1].update(capacity=-1), "mentors[1].capacity: must be 0 or more"),
        (lambda d: d["mentees"][0].update(timezone="Mars/Olympus"), "mentees[0].timezone"),
        (lambda d: d["mentees"][3]["picks"].append("zed"), "mentees[3].picks[0]"),
        (lambda d: d["mentees"][0].pop("goal"), "mentees[0]: missing required field 'goal'"),
        (lambda d: d["mentors"][0].update(trust=1.5), "mentors[0].trust"),
        (lambda d: d.update(objective="best"), "objective:"),
        (lambda d: d.update(same_department="maybe"), "same_department:"),
        (
            lambda d: d["excluded_pairs"].append({"mentee": "eli", "mentor": "x"}),
            "excluded_pairs[1].mentor",
        ),
        (lambda d: d["mentees"].append(d["mentees"][0]), "mentees[5].person"),
    ],
)
def test_invalid_programs_name_the_json_path(data, change, path):
    change(data)
    with pytest.raises(ProgramError) as err:
        parse_program(data)
    assert str(err.value).startswith(path)
