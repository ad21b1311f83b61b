"""Propagation and evidence aggregation against plain-Python references and hand cases."""

import numpy as np
import pytest
import scipy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.trust.engine.evidence import (
    BASE,
    COMMITTED,
    N_CHANNELS,
    SERVICE,
    _aggregate_reference,
    _sums_found,
    aggregate,
    edge_support,
    per_target,
    row_evidence,
    saturate,
    sorted_with_order,
    stable_argsort,
    summed_evidence,
    support,
    support_within,
)
from cairn.trust.engine.graph import (
    _dampen_reference,
    _propagate_levels_reference,
    dampen_reciprocity,
    propagate_levels,
)


def random_graph(seed, n=12, m=30):
    rng = np.random.default_rng(seed)
    edges = {}
    for _ in range(m):
        u, v = (int(x) for x in rng.integers(0, n, 2))
        if u != v:
            edges[(u, v)] = float(rng.uniform(0.1, 3.0))
    return edges


def as_matrix(edges, n):
    if not edges:
        return sp.sparse.csr_array((n, n))
    (u, v), w = zip(*edges.keys(), strict=True), list(edges.values())
    return sp.sparse.csr_array((w, (u, v)), shape=(n, n))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_share", [1.0, 0.2])
def test_propagate_levels_matches_the_reference(seed, max_share):
    edges, n = random_graph(seed), 12
    g, g_dag, level = propagate_levels(as_matrix(edges, n), [0, 5], 0.85, 1.0, max_share=max_share)
    rg, rdag, rlevel = _propagate_levels_reference(edges, n, [0, 5], 0.85, 1.0, max_share)
    assert g == pytest.approx(rg, abs=1e-12)
    assert g_dag == pytest.approx(rdag, abs=1e-12)
    assert [x if np.isfinite(x) else None for x in level] == rlevel


@pytest.mark.parametrize("seed", range(4))
def test_dampening_matches_the_reference(seed):
    edges, n = random_graph(seed, n=6, m=25), 6
    fast = dampen_reciprocity(as_matrix(edges, n), 0.8).todok()
    slow = _dampen_reference(edges, 0.8)
    assert dict(fast.items()) == pytest.approx(slow)


def test_a_chain_from_a_seed_by_hand():
    # seed 0 vouches for 1 (weight 2) and 2 (weight 2); 1 vouches for 3; 3 vouches back to 1.
    edges = {(0, 1): 2.0, (0, 2): 2.0, (1, 3): 1.0, (3, 1): 1.0}
    g, g_dag, level = propagate_levels(as_matrix(edges, 4), [0], damping=0.5, floor=1.0)
    assert list(level) == [0, 1, 1, 2]
    assert g_dag == pytest.approx([1.0, 0.25, 0.25, 0.125])
    # 3 -> 1 goes backwards (level 2 to 1): it cannot feed trust back.
    assert g == pytest.approx([1.0, 0.25, 0.25, 0.125])


def test_a_region_cannot_feed_trust_back_to_its_entry():
    # 1 is the entry of a region {1, 2, 3} that vouches round and round.
    ring = {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0, (3, 1): 1.0, (2, 1): 1.0, (3, 2): 1.0}
    alone = {(0, 1): 1.0}
    g_ring, _, _ = propagate_levels(as_matrix(ring, 4), [0])
    g_alone, _, _ = propagate_levels(as_matrix(alone, 4), [0])
    assert g_ring[1] == pytest.approx(g_alone[1])


def test_nobody_holds_more_than_a_seed():
    edges = {(s, 9): 3.0 for s in range(9)}
    g, _, _ = propagate_levels(as_matrix(edges, 10), list(range(9)), 0.85)
    assert g[9] == 1.0


def rows(seed, n=5, m=60):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 5 * 86400, m))
    return (
        rng.integers(0, n, m),
        rng.integers(-1, n, m),
        rng.integers(0, 3, m),
        np.floor(t / 86400).astype(np.int64),
        np.exp2(-(t.max() - t) / 86400 / 10),
        np.exp2(-(t.max() - t) / 86400 / 2),
        rng.uniform(-1, 1, m),
    )


@pytest.mark.parametrize(("seed", "n", "m"), [*((s, 5, 60) for s in range(5)), (5, 40, 3000)])
def test_aggregate_matches_the_reference(seed, n, m):
    data = rows(seed, n, m)
    pairs = aggregate(n, *data)
    slow = _aggregate_reference(n, *data)
    fast = {
        (int(t), int(c), int(ch)): (sl, ss, sv, int(k))
        for t, c, ch, sl, ss, sv, k in zip(
            pairs.target,
            pairs.cp,
            pairs.chan,
            pairs.s_long,
            pairs.s_short,
            pairs.sv_long,
            pairs.count,
            strict=True,
        )
    }
    assert fast.keys() == slow.keys()
    for key, value in slow.items():
        assert fast[key] == pytest.approx(value)


def every_channel(seed, n=6, m=4000):
    """Return a pair table in which most pairs have rows on several channels."""
    target, cp, _, day, w_long, w_short, value = rows(seed, n, m)
    chan = np.random.default_rng(seed + 100).integers(0, N_CHANNELS, m)
    return aggregate(n, target, cp, chan, day, w_long, w_short, value)


@pytest.mark.parametrize(("lo", "hi"), [(0, None), (7, 90), (33, 34), (50, 50)])
def test_support_found_by_position_is_support_found_by_search(lo, hi):
    pairs = every_channel(1)
    rows = slice(lo, hi)
    expected = support((pairs,), pairs.target[rows], pairs.cp[rows], pairs.chan[rows])
    np.testing.assert_array_equal(support_within(pairs, rows), expected)


@pytest.mark.parametrize("chunk", [5, 64, 2**16])
def test_evidence_summed_a_block_at_a_time_is_the_whole_tables(monkeypatch, chunk):
    monkeypatch.setattr("cairn.trust.engine.evidence.CHUNK_ROWS", chunk)
    pairs = every_channel(3, n=9)
    weight = np.linspace(0.2, 1.0, 10)
    integrity = np.linspace(0.1, 0.9, pairs.key.size)
    options = {"reciprocity": 1.0, "integrity_weight": integrity}
    rows = row_evidence(pairs, weight, 3.0, **options)
    sums, a_long, b_long = summed_evidence(pairs, 9, weight, 3.0, **options)
    for got, expected in zip(sums, per_target(pairs.target, rows, 9), strict=True):
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(a_long, rows[0])
    np.testing.assert_array_equal(b_long, rows[1])


def test_edge_support_is_each_acts_sum():
    pairs = every_channel(2)
    voucher, vouchee = np.meshgrid(np.arange(-1, 7), np.arange(-1, 7))
    voucher, vouchee = voucher.ravel(), vouchee.ravel()
    base = (vouchee * BASE + voucher + 1) * N_CHANNELS
    expected = sum(_sums_found((pairs,), base + act)[0] for act in (*SERVICE, COMMITTED))
    assert np.count_nonzero(expected) > 10
    np.testing.assert_array_equal(edge_support((pairs,), voucher, vouchee), expected)


@pytest.mark.parametrize("high", [50, 2**40, 2**51 - 1, 2**62])
def test_the_fast_stable_argsort_is_numpys(high):
    key = np.random.default_rng(high % 97).integers(0, high, 5000)
    key[::3] = key[0]  # many ties, which must stay in row order
    np.testing.assert_array_equal(stable_argsort(key), np.argsort(key, kind="stable"))
    ordered, order = sorted_with_order(key)
    np.testing.assert_array_equal(ordered, key[order])


def test_a_hundred_votes_in_a_day_are_one():
    t = np.full(100, 3)
    one = aggregate(
        2,
        np.zeros(1, int),
        np.ones(1, int),
        np.full(1, 2),
        t[:1],
        np.ones(1),
        np.ones(1),
        np.zeros(1),
    )
    many = aggregate(
        2,
        np.zeros(100, int),
        np.ones(100, int),
        np.full(100, 2),
        t,
        np.ones(100),
        np.ones(100),
        np.zeros(100),
    )
    assert many.s_long == pytest.approx(one.s_long)
    assert many.count[0] == 100


def test_saturation_is_bounded_and_about_linear_when_small():
    assert saturate(np.array([0.01]), 3.0)[0] == pytest.approx(0.01, rel=1e-2)
    assert saturate(np.array([1e6]), 3.0)[0] == pytest.approx(3.0)


@settings(max_examples=40, deadline=None)
@given(
    k=st.integers(min_value=1, max_value=400),
    cut=st.integers(min_value=1, max_value=10),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_a_region_behind_a_fixed_cut_holds_bounded_trust_however_many_accounts(k, cut, seed):
    """Sum of the region's trust <= cut * damping * max_share * (1 + damping) / (1 - damping)."""
    rng = np.random.default_rng(seed)
    honest = 40
    n = honest + k
    src = [rng.integers(0, honest, 200)]
    dst = [rng.integers(0, honest, 200)]
    # The region vouches densely for itself (and may vouch for honest people too).
    src.append(honest + rng.integers(0, k, 6 * k))
    dst.append(honest + rng.integers(0, k, 6 * k))
    src.append(honest + rng.integers(0, k, k))
    dst.append(rng.integers(0, honest, k))
    # The attack edges: honest people fooled into vouching for the region.
    src.append(rng.integers(0, honest, cut))
    dst.append(honest + rng.integers(0, k, cut))
    src, dst = np.concatenate(src), np.concatenate(dst)
    keep = src != dst
    w = sp.sparse.csr_array((rng.uniform(0.1, 3, keep.sum()), (src[keep], dst[keep])), (n, n))
    damping, max_share = 0.85, 0.2
    g, _, _ = propagate_levels(w, [0, 1, 2], damping, 1.0, max_share=max_share)
    bound = cut * damping * max_share * (1 + damping) / (1 - damping)
    assert g[honest:].sum() <= bound + 1e-9
