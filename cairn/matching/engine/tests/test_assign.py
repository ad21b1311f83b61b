"""Assignment: scipy solution against brute force, baselines, constraints, infeasibility."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.matching.engine.assign import (
    OBJECTIVES,
    InfeasibleAssignment,
    assign,
    assign_both,
    evaluate,
    greedy_assign,
    random_assign,
    reference_assign,
)

KNOWN = [
    # compat, capacity, allowed, objective, expected mentor per mentee
    ([[0.9, 0.1], [0.8, 0.7]], [1, 1], None, "total", [0, 1]),
    # Greedy would give mentee 0 its best (0.9) and leave mentee 1 with 0.1; optimum swaps.
    ([[0.9, 0.8], [0.85, 0.1]], [1, 1], None, "total", [1, 0]),
    # One mentor with two slots takes both.
    ([[0.5], [0.6]], [2], None, "total", [0, 0]),
    # Capacity 1: only the better mentee is matched.
    ([[0.5], [0.6]], [1], None, "total", [-1, 0]),
    # Excluded pair is never used even though it is the best.
    ([[0.9, 0.2], [0.1, 0.3]], [1, 1], [[False, True], [True, True]], "total", [1, 0]),
    # Fair: total prefers 1.0 + 0.0 = 1.0 over 0.45 + 0.45 = 0.9; fair lifts the worst.
    ([[1.0, 0.45], [0.45, 0.0]], [1, 1], None, "total", [0, 1]),
    ([[1.0, 0.45], [0.45, 0.0]], [1, 1], None, "fair", [1, 0]),
]


@pytest.mark.parametrize(("compat", "capacity", "allowed", "objective", "expected"), KNOWN)
@pytest.mark.parametrize("solver", [assign, reference_assign])
def test_known_answers(solver, compat, capacity, allowed, objective, expected):
    got = solver(np.array(compat), np.array(capacity), allowed, objective)
    assert got.mentor.tolist() == expected
    assert got.total == pytest.approx(evaluate(np.array(compat), np.array(expected)).total)


instances = st.integers(1, 4).flatmap(
    lambda n: st.integers(1, 3).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.integers(0, 6), min_size=m, max_size=m), min_size=n, max_size=n),
            st.lists(st.integers(0, 2), min_size=m, max_size=m),
            st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n),
            st.sampled_from(OBJECTIVES),
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(instances)
def test_it_matches_brute_force_and_respects_constraints(instance):
    compat, capacity, allowed, objective = (
        np.array(x) if i < 3 else x for i, x in enumerate(instance)
    )
    compat = compat.astype(float) / 6
    try:
        got = assign(compat, capacity, allowed, objective)
    except InfeasibleAssignment:
        assert not (allowed & (capacity > 0)[None, :]).any()
        return
    ref = reference_assign(compat, capacity, allowed, objective)
    assert got.matched == ref.matched
    if objective == "fair":
        assert got.worst == pytest.approx(ref.worst)
    assert got.total == pytest.approx(ref.total)
    counts = np.bincount(got.mentor[got.mentor >= 0], minlength=len(capacity))
    assert (counts <= capacity).all()
    for i, j in got.pairs():
        assert allowed[i, j]


def test_optimum_is_at_least_greedy_and_random():
    rng = np.random.default_rng(3)
    compat, capacity = rng.random((60, 25)), rng.integers(1, 4, 25)
    best = assign(compat, capacity)
    fair = assign(compat, capacity, objective="fair")
    greedy, rand = greedy_assign(compat, capacity), random_assign(compat, capacity)
    assert best.matched == fair.matched == greedy.matched == min(60, capacity.sum())
    assert best.total >= greedy.total - 1e-9 and best.total >= rand.total
    assert fair.worst >= best.worst - 1e-12 and fair.worst >= greedy.worst - 1e-12


def test_it_raises_when_nobody_can_be_matched():
    with pytest.raises(InfeasibleAssignment):
        assign(np.ones((2, 2)), np.array([0, 0]))
    with pytest.raises(InfeasibleAssignment):
        assign(np.ones((2, 2)), np.array([1, 1]), np.zeros((2, 2), dtype=bool))


@pytest.mark.parametrize(
    ("compat", "capacity", "objective"),
    [
        (np.ones(3), [1], "total"),
        (np.ones((2, 2)), [1], "total"),
        (np.ones((2, 2)), [1, -1], "total"),
        (np.ones((2, 2)), [1, 1], "best"),
        (np.array([[np.nan, 1.0]]), [1, 1], "total"),
    ],
)
def test_it_rejects_malformed_input(compat, capacity, objective):
    with pytest.raises(ValueError, match=r"compat|capacit|objective"):
        assign(compat, np.array(capacity), objective=objective)


def test_no_mentees_gives_an_empty_assignment():
    got = assign(np.zeros((0, 3)), np.array([1, 1, 1]))
    assert got.matched == 0 and got.mentor.tolist() == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assign_both_equals_two_separate_calls(seed):
    rng = np.random.default_rng(seed)
    compat, capacity = rng.integers(0, 9, (30, 12)) / 8, rng.integers(0, 4, 12)
    allowed = rng.random((30, 12)) > 0.2
    both = assign_both(compat, capacity, allowed)
    for objective in OBJECTIVES:
        alone = assign(compat, capacity, allowed, objective)
        assert both[objective].matched == alone.matched
        assert both[objective].worst == pytest.approx(alone.worst)
        assert both[objective].total == pytest.approx(alone.total)
