"""Mutual praise: working relationships keep it, rings lose it (graph and evidence)."""

import numpy as np
import pytest
import scipy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.trust.engine import compute_trust
from cairn.trust.engine.evidence import discounted_share
from cairn.trust.engine.graph import (
    _dampen_reference,
    _ring_likeness_reference,
    closed_groups,
    dampen_reciprocity,
    mutual_pairs,
    ring_likeness,
)
from cairn.trust.engine.tests.test_graph import as_matrix, random_graph
from cairn.trust.engine.tests.test_model import T0, build

quick = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize("seed", range(4))
def test_dampening_with_acts_and_rings_matches_the_reference(seed):
    edges, n = random_graph(seed, n=6, m=25), 6
    rng = np.random.default_rng(seed)
    unbacked = {e: float(rng.uniform()) for e in edges}
    ring = {e: float(rng.choice([0.0, 0.5, 1.0])) for e in edges}
    fast = dampen_reciprocity(
        as_matrix(edges, n), 0.8, as_matrix(unbacked, n), as_matrix(ring, n)
    ).todok()
    slow = _dampen_reference(edges, 0.8, unbacked, ring)
    assert dict(fast.items()) == pytest.approx(slow)


@pytest.mark.parametrize("seed", range(4))
def test_ring_likeness_matches_the_reference(seed):
    edges, n = random_graph(seed, n=9, m=60), 9
    mutual = mutual_pairs(as_matrix(edges, n))
    fast = ring_likeness(mutual, 1.0, 2.0).todok()
    pairs = {(int(u), int(v)) for u, v in zip(*mutual.nonzero(), strict=True)}
    assert dict(fast.items()) == pytest.approx(_ring_likeness_reference(pairs, 1.0, 2.0))


def test_a_seed_never_makes_a_pair_look_dense():
    everyone = {(u, v): 1.0 for u in range(4) for v in range(4) if u != v}
    w = as_matrix(everyone, 4)
    assert ring_likeness(mutual_pairs(w), 1.0, 1.0).nnz == 12  # two shared partners each
    assert ring_likeness(mutual_pairs(w, exclude=[0]), 1.0, 1.0).nnz == 0


def test_a_group_that_keeps_to_itself_is_closed_and_the_seeds_group_is_not():
    inside = {(u, v): 1.0 for u in (3, 4, 5) for v in (3, 4, 5) if u != v}
    colleagues = {(0, 1): 1.0, (1, 0): 1.0, (1, 2): 1.0, (2, 1): 1.0, (0, 2): 1.0, (2, 0): 1.0}
    entry = {(1, 3): 0.5}
    w = as_matrix(inside | colleagues | entry, 6)
    group, closed = closed_groups(mutual_pairs(w), w, [0], 0.5, 0.3)
    assert closed[group[3]] == 1.0  # 6 of 6.5 units received from inside
    assert closed[group[0]] == 0.0


@quick
@given(
    st.floats(0, 3),
    st.floats(0, 3),
    st.floats(0, 3),
    st.floats(0, 3),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_more_praise_never_counts_less(e, more, back, acts, ring, reciprocity):
    # What is left of a pair's praise after the discounts never falls as the praise grows.
    def left(x):
        x = np.array([x])
        unbacked = np.maximum(x - acts, 0.0)
        kept = x - reciprocity * discounted_share(x, np.array([back]), unbacked)
        return float((1.0 - reciprocity * ring) * kept[0])

    assert left(e + more) >= left(e) - 1e-12
    assert 0.0 <= left(e) <= e + 1e-12


def mutual_thanks(acts: bool):
    """Ann (the seed) thanks bob and cat; bob and cat thank each other for 30 days."""
    rows = [(0, "ann", "bob", "thanked", np.nan), (0, "ann", "cat", "thanked", np.nan)]
    for d in range(1, 30):
        rows += [(d, "bob", "cat", "thanked", np.nan), (d, "cat", "bob", "thanked", np.nan)]
        if acts:
            rows += [(d, "cat", "bob", "helped", 1.0), (d, "bob", "cat", "helped", 1.0)]
    return compute_trust(build(rows), seeds=["ann"], at=T0 + 30 * 86400.0)


def test_thanks_for_help_between_two_colleagues_count_and_bare_mutual_thanks_cancel():
    working, bare = mutual_thanks(acts=True), mutual_thanks(acts=False)
    b = working.index("bob")
    assert working.generosity[b] > bare.generosity[b] + 0.1
    assert working.vouch[working.index("cat"), b] > bare.vouch[bare.index("cat"), b]


def ring_community(k: int, inside_days: int):
    """Three honest colleagues (ann the seed) and a ring of ``k`` praising each other daily."""
    honest = ["ann", "bob", "cat"]
    ring = [f"r{j}" for j in range(k)]
    rows = []
    for d in range(0, 60, 2):
        rows += [
            (d, "ann", "bob", "thanked", np.nan),
            (d, "bob", "cat", "thanked", np.nan),
            (d, "cat", "ann", "kept", np.nan),
        ]
    rows.append((1, "bob", "r0", "thanked", np.nan))  # one attack edge
    for d in range(inside_days):
        for j, r in enumerate(ring):
            other = ring[(j + 1 + d % (k - 1)) % k]
            rows += [(d, r, other, "thanked", np.nan), (d, r, other, "kept", np.nan)]
    return compute_trust(build(rows, honest + ring), seeds=["ann"], at=T0 + 61 * 86400.0)


@pytest.mark.parametrize("k", [4, 8])
def test_a_closed_ring_gains_nothing_from_praising_itself(k):
    quiet, loud = ring_community(k, 0), ring_community(k, 60)
    members = [loud.index(f"r{j}") for j in range(k)]
    assert loud.trust[members].sum() <= quiet.trust[members].sum() + 1e-9
    assert not loud.certainty.trust_known[members].any()


@pytest.mark.parametrize("seed", range(5))
def test_components_are_scipys(seed):
    import scipy.sparse.csgraph  # noqa: F401  (the reference only)

    from cairn.trust.engine.graph import components

    edges, n = random_graph(seed, n=40, m=45), 40
    sym = mutual_pairs(as_matrix(edges, n) + as_matrix(edges, n).T)
    count, group = components(sym)
    ref_count, ref = sp.sparse.csgraph.connected_components(sym, directed=False)
    assert count == ref_count
    assert np.array_equal(group, ref)
