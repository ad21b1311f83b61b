"""Tests for the rating-graph algorithms: vectorised versions against plain-Python references."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.trust.engine.ratings import (
    ConvergenceError,
    _backed_rating_reference,
    _bias_model_reference,
    _fairness_goodness_reference,
    _fraud_scores_reference,
    _rev2_reference,
    backed_rating,
    bias_model,
    fairness_goodness,
    fraud_scores,
    rater_reliability,
    rev2,
)


def random_graph(seed, n=8, m=20):
    """Return a small random rating graph without self-ratings."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    rating = np.round(rng.uniform(-1, 1, m), 2)
    return src, dst, rating, n


GRAPHS = [
    random_graph(0),
    random_graph(1, n=5, m=12),
    random_graph(2, n=12, m=40),
    (np.array([0, 1]), np.array([1, 0]), np.array([1.0, -1.0]), 3),
    (np.array([], dtype=int), np.array([], dtype=int), np.array([]), 4),
]


@pytest.mark.parametrize("graph", GRAPHS)
def test_fairness_goodness_matches_reference(graph):
    f, g = fairness_goodness(*graph)
    f_ref, g_ref = _fairness_goodness_reference(*graph)
    assert f == pytest.approx(f_ref, abs=1e-7)
    assert g == pytest.approx(g_ref, abs=1e-7)


def test_fairness_goodness_hand_computed():
    # 0 and 1 both rate 2 at +1; 3 rates 2 at -1. Fixed point: g2 = (f0 + f1 - f3) / 3 with
    # f0 = f1 = 1 - (1 - g2)/2 and f3 = 1 - (1 + g2)/2. Solving: g2 = (1 + 1.5 g2) / 3 ... i.e.
    # 3 g2 = 2 (0.5 + g2 / 2) - (0.5 - g2 / 2) = 0.5 + 1.5 g2  => g2 = 1/3.
    f, g = fairness_goodness([0, 1, 3], [2, 2, 2], [1.0, 1.0, -1.0], 4)
    assert g[2] == pytest.approx(1 / 3)
    assert f[0] == pytest.approx(1 - (1 - 1 / 3) / 2)
    assert f[3] == pytest.approx(1 - (1 + 1 / 3) / 2)
    assert f[2] == 1.0 and g[0] == 0.0


@pytest.mark.parametrize("graph", GRAPHS)
def test_rev2_matches_reference(graph):
    f, g, r = rev2(*graph)
    f_ref, g_ref, r_ref = _rev2_reference(*graph)
    assert f == pytest.approx(f_ref, abs=1e-7)
    assert g == pytest.approx(g_ref, abs=1e-7)
    assert r == pytest.approx(r_ref, abs=1e-7)


def test_rev2_single_rating_hand_computed():
    # One rating 0 -> 1 of +1 (alpha = beta = 1, prior = 0.5): G = R / 2,
    # R = (F + 1 - (1 - G)/2) / 2, F = (0.5 + R) / 2. Substituting: R = 0.375 + 0.375 R,
    # so R = 0.6, G = 0.3, F = 0.55.
    f, g, r = rev2([0], [1], [1.0], 2)
    assert r[0] == pytest.approx(0.6)
    assert g[1] == pytest.approx(0.3)
    assert f[0] == pytest.approx(0.55)
    assert f[1] == 0.5  # rated nobody: the prior


def test_rater_who_disagrees_with_consensus_is_less_reliable():
    # Five people rate 5 highly, and 6 rates 5 at -1; everyone also rates 7 the same way.
    src = [0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4, 6]
    dst = [5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7, 7]
    rating = [1, 1, 1, 1, 1, -1, 0.8, 0.8, 0.8, 0.8, 0.8, -1]
    rel = rater_reliability(src, dst, rating, 9)
    assert rel[6] < rel[0] - 0.2
    assert rel[8] == 0.5  # rated nothing: the neutral prior
    assert ((rel >= 0) & (rel <= 1)).all()
    fraud = fraud_scores(src, dst, rating, 9)
    assert fraud[8] == pytest.approx(0.5)
    assert fraud[5] < 0.5


@pytest.mark.parametrize("graph", GRAPHS)
def test_backed_rating_matches_reference(graph):
    src, dst, rating, n = graph
    f, g, _ = rev2(*graph)
    backing = np.linspace(0.0, 1.0, n)
    got = backed_rating(src, dst, rating, f, g, backing, n)
    assert got == pytest.approx(_backed_rating_reference(src, dst, rating, f, g, backing, n))


def test_backed_rating_hand_computed_and_deaf_to_unbacked_raters():
    # 0 (backed, fairness 1) rates 2 at -1, where the consensus is -1: R = (1 + 1) / 2 = 1,
    # so S = -1 / (1 + 1). 1 rates 2 at +1 but nothing backs 1: it changes nothing.
    fairness, goodness = np.ones(3), np.array([0.0, 0.0, -1.0])
    alone = backed_rating([0], [2], [-1.0], fairness, goodness, [1.0, 0.0, 0.0], 3)
    assert alone[2] == pytest.approx(-0.5)
    both = backed_rating([0, 1], [2, 2], [-1.0, 1.0], fairness, goodness, [1.0, 0.0, 0.0], 3)
    assert both == pytest.approx(alone)
    assert alone[0] == alone[1] == 0.0  # nobody rated them


@pytest.mark.parametrize("graph", GRAPHS[:4])
def test_bias_model_matches_normal_equations(graph):
    mu, b_out, b_in = bias_model(*graph, lam=5.0)
    mu_ref, out_ref, in_ref = _bias_model_reference(*graph, lam=5.0)
    assert mu == pytest.approx(mu_ref)
    assert b_out == pytest.approx(out_ref, abs=1e-7)
    assert b_in == pytest.approx(in_ref, abs=1e-7)


def test_non_convergence_raises_named_error():
    with pytest.raises(ConvergenceError, match="fairness_goodness"):
        fairness_goodness(*GRAPHS[2], max_iter=1)
    with pytest.raises(ConvergenceError):
        rev2(*GRAPHS[2], max_iter=1)


@pytest.mark.parametrize(
    "bad",
    [
        ([0], [5], [0.5], 3),  # out of range
        ([0], [1], [1.5], 3),  # rating out of [-1, 1]
        ([0, 1], [1], [0.5], 3),  # lengths differ
    ],
)
def test_malformed_graphs_are_rejected(bad):
    with pytest.raises(ValueError):
        fairness_goodness(*bad)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),
            st.integers(0, 6),
            st.floats(-1, 1, allow_nan=False),
        ),
        max_size=30,
    )
)
def test_scores_stay_in_range_and_ignore_row_order(edges):
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    rating = np.array([e[2] for e in edges], dtype=float)
    f, g = fairness_goodness(src, dst, rating, 7)
    rel = rater_reliability(src, dst, rating, 7)
    assert ((f >= 0) & (f <= 1)).all() and ((g >= -1) & (g <= 1)).all()
    assert ((rel >= 0) & (rel <= 1)).all()
    order = np.arange(src.size)[::-1]
    f2, g2 = fairness_goodness(src[order], dst[order], rating[order], 7)
    assert f2 == pytest.approx(f, abs=1e-6) and g2 == pytest.approx(g, abs=1e-6)
    assert rater_reliability(src[order], dst[order], rating[order], 7) == pytest.approx(
        rel, abs=1e-6
    )


@pytest.mark.parametrize("graph", GRAPHS)
def test_fraud_scores_match_reference(graph):
    assert fraud_scores(*graph) == pytest.approx(_fraud_scores_reference(*graph), abs=1e-6)


def test_praise_only_from_unvouched_accounts_stays_near_unknown():
    # 0..3 are well regarded (they rate each other +1); 4 is rated +1 by 0..3.
    # 5 is rated +1 only by 6 and 7, whom nobody rates (sockpuppets).
    src = [0, 1, 2, 3, 1, 2, 3, 0, 0, 1, 2, 3, 6, 7]
    dst = [1, 2, 3, 0, 0, 1, 2, 3, 4, 4, 4, 4, 5, 5]
    score = fraud_scores(src, dst, [1.0] * 14, 8)
    assert score[4] < 0.3
    assert 0.4 < score[5] < 0.5
