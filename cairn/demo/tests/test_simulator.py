"""The community simulator and ``cairn simulate``."""

import csv

import numpy as np
import pytest

from cairn.demo.simulate_cli import main
from cairn.demo.simulator import parse_attack, simulate
from cairn.trust.engine import load_events


def test_it_is_deterministic_given_the_seed():
    a, b = simulate(30, 20, seed=5), simulate(30, 20, seed=5)
    np.testing.assert_array_equal(a.time, b.time)
    np.testing.assert_array_equal(a.kind, b.kind)
    assert simulate(30, 20, seed=6).time.size != a.time.size or not np.array_equal(
        simulate(30, 20, seed=6).actor, a.actor
    )


def test_behaviour_follows_the_traits():
    sim = simulate(200, 90, seed=1)
    kept = np.bincount(sim.subject[sim.kind == 10], minlength=len(sim.people))
    missed = np.bincount(sim.subject[sim.kind == 11], minlength=len(sim.people))
    share = kept / np.maximum(kept + missed, 1)
    has = kept + missed >= 3
    assert np.corrcoef(share[has], sim.traits[has, 1])[0, 1] > 0.5


@pytest.mark.parametrize(
    ("attack", "role"),
    [
        ("sybil:20:3", "sybil"),
        ("ring:5", "ring"),
        ("serial", "serial"),
        ("whitewash", "whitewash-new"),
        ("traitor", "traitor"),
    ],
)
def test_attacks_mark_their_accounts(attack, role):
    sim = simulate(60, 40, attack=attack, seed=2)
    assert role in sim.role
    assert sim.attacker.any()


@pytest.mark.parametrize("bad", ["sybil:10", "ring", "ring:x", "flood", "sybil:0:1"])
def test_bad_attacks_are_refused(bad):
    with pytest.raises(ValueError):
        parse_attack(bad)


def test_the_cli_writes_contract_events_and_truth(tmp_path):
    out, truth = tmp_path / "events.csv", tmp_path / "truth.csv"
    status = main(
        [
            "--people",
            "30",
            "--days",
            "20",
            "--attack",
            "sybil:5:2",
            "--out",
            str(out),
            "--truth",
            str(truth),
            "--seed",
            "4",
        ]
    )
    assert status == 0
    events = load_events(out)  # the contract loader accepts it
    with open(truth, newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["person"] for r in rows} >= set(events.people)
    assert sum(r["attacker"] == "1" for r in rows) == 5
    assert {"generosity", "integrity", "courage", "responsiveness", "competence"} <= set(rows[0])


def test_the_cli_refuses_a_bad_attack(tmp_path, capsys):
    assert (
        main(["--people", "5", "--days", "5", "--attack", "nope", "--out", str(tmp_path / "e.csv")])
        == 2
    )
    assert "unknown attack" in capsys.readouterr().err
