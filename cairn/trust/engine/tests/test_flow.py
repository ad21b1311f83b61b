"""Tests for the Advogato network-flow trust metric."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.trust.engine.flow import (
    _accepted_reference,
    _capacities_reference,
    accepted,
    capacities,
    levels,
)


def random_certs(seed, n=15, m=30):
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, m), rng.integers(0, n, m), n


@pytest.mark.parametrize("seed", range(6))
def test_capacities_match_breadth_first_reference(seed):
    src, dst, n = random_certs(seed)
    assert capacities(src, dst, n, [0, 1]).tolist() == _capacities_reference(src, dst, n, [0, 1])


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("caps", [(800, 200, 50, 12, 4, 2, 1), (3, 2, 1), (2, 1)])
def test_accepts_as_many_as_the_reference_max_flow(seed, caps):
    src, dst, n = random_certs(seed)
    got = accepted(src, dst, n, [0], caps)
    chosen, total = _accepted_reference(src, dst, n, [0], caps)
    assert int(got.sum()) == total == len(chosen)


def test_a_chain_is_accepted_up_to_where_capacity_runs_out():
    # 0 -> 1 -> ... -> 8; capacity 1 from distance 6 on: 6 keeps its unit, 7 gets none.
    src, dst = np.arange(8), np.arange(1, 9)
    got = accepted(src, dst, 9, [0])
    assert got.tolist() == [True] * 7 + [False] * 2
    assert got.tolist() == [x in _accepted_reference(src, dst, 9, [0])[0] for x in range(9)]


def test_tight_capacities_hand_computed():
    # Seed 0 (capacity 3) certifies 1 and 2 (capacity 1 each), who certify 3.
    # 0 keeps 1 unit and passes 2: 1 and 2 take one each, nothing reaches 3.
    got = accepted([0, 0, 1, 2], [1, 2, 3, 3], 4, [0], caps=(3, 1))
    assert got.tolist() == [True, True, True, False]


def test_a_sybil_ring_gains_at_most_what_its_one_honest_certifier_can_pass_on():
    # Seeds 0; honest chain 0 -> 1 -> 2 -> 3 -> 4 -> 5 (capacity 2 at distance 5).
    # 5 certifies a ring of 200 sybils that all certify each other in a cycle.
    honest = 6
    sybils = np.arange(honest, honest + 200)
    src = np.concatenate([np.arange(5), [5], sybils, sybils])
    dst = np.concatenate([np.arange(1, 6), [sybils[0]], np.roll(sybils, -1), np.roll(sybils, 7)])
    got = accepted(src, dst, honest + 200, [0])
    assert got[:honest].all()
    assert got[sybils].sum() <= 1


def test_nobody_is_accepted_without_seeds_or_when_unreachable():
    assert not accepted([0], [1], 3, []).any()
    assert accepted([0], [1], 3, [0]).tolist() == [True, True, False]


def test_levels_use_only_certificates_of_at_least_that_level():
    # 0 is the seed; 0 -> 1 Master, 1 -> 2 Journeyer, 0 -> 3 Apprentice; 4 uncertified.
    got = levels([0, 1, 0], [1, 2, 3], [3, 2, 1], 5, [0])
    assert got.tolist() == [3, 3, 2, 1, 0]


def test_malformed_input_is_rejected():
    with pytest.raises(ValueError):
        accepted([0], [9], 3, [0])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=40))
def test_flow_matches_reference_and_seeds_are_always_accepted(edges):
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    got = accepted(src, dst, 10, [0, 1], caps=(4, 2, 1))
    assert got[[0, 1]].all()
    assert int(got.sum()) == _accepted_reference(src, dst, 10, [0, 1], caps=(4, 2, 1))[1]
    # Row order does not change how many are accepted.
    again = accepted(src[::-1], dst[::-1], 10, [0, 1], caps=(4, 2, 1))
    assert again.sum() == got.sum()
