"""Signed weighted rating graphs: fairness, goodness, rater reliability, rating prediction.

A rating graph is given as parallel arrays ``src`` (the rater), ``dst`` (the person rated) and
``rating`` (in [-1, 1]) over people numbered ``0 .. n-1``. Everything here is pure numpy/scipy;
each vectorised algorithm has a slow plain-Python reference implementation beside it
(``_<name>_reference``) that the tests hold it to.

References
----------
.. [1] S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, "Edge weight prediction in
   weighted signed networks", ICDM 2016.
.. [2] S. Kumar, B. Hooi, D. Makhija, M. Kumar, C. Faloutsos, V. S. Subrahmanian, "REV2:
   Fraudulent user prediction in rating platforms", WSDM 2018.
.. [3] Y. Koren, "Factorization meets the neighborhood", KDD 2008 (the bias model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy as sp
import scipy.sparse  # noqa: F401  (makes sp.sparse available)

__all__ = [
    "ConvergenceError",
    "RatingModel",
    "bias_model",
    "fairness_goodness",
    "fraud_scores",
    "rater_reliability",
    "rev2",
]


class ConvergenceError(RuntimeError):
    """An iterative algorithm did not reach its tolerance within ``max_iter`` iterations."""

    def __init__(self, algorithm: str, max_iter: int, delta: float) -> None:
        super().__init__(
            f"{algorithm} did not converge in {max_iter} iterations (last change {delta:.3g})"
        )
        self.algorithm = algorithm
        self.max_iter = max_iter
        self.delta = delta


def _check(src, dst, rating, n):
    """Return the graph as int64/float64 arrays, raising ValueError on a malformed graph."""
    src = np.asarray(src, dtype=np.int64).ravel()
    dst = np.asarray(dst, dtype=np.int64).ravel()
    rating = np.asarray(rating, dtype=np.float64).ravel()
    if not (src.shape == dst.shape == rating.shape):
        raise ValueError("src, dst and rating must have the same length")
    if n < 0:
        raise ValueError("n must be non-negative")
    if src.size:
        if min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n:
            raise ValueError("src and dst must be people numbered 0 .. n-1")
        if not np.all(np.isfinite(rating)) or np.abs(rating).max() > 1:
            raise ValueError("ratings must be finite and in [-1, 1]")
    return src, dst, rating


def _edge_list(src, dst, rating):
    """Return the ratings as a list of (rater, rated, rating) tuples of plain Python numbers."""
    return [(int(u), int(v), float(w)) for u, v, w in zip(src, dst, rating, strict=True)]


# --------------------------------------------------------------------------------------------
# Fairness and goodness (Kumar et al. 2016)


def fairness_goodness(src, dst, rating, n, *, tol=1e-9, max_iter=1000):
    """Return the fairness of every rater and the goodness of every person rated.

    Goodness is the fairness-weighted mean rating a person receives; fairness is one minus half
    the mean absolute gap between a rater's ratings and the goodness of the people rated::

        g(v) = 1/|in(v)| * sum_{u -> v} f(u) w(u, v)
        f(u) = 1 - 1/|out(u)| * sum_{u -> v} |w(u, v) - g(v)| / 2

    iterated from f = 1, g = 0 until the summed absolute change is below ``tol``.

    Parameters
    ----------
    src, dst : array_like of int
        Rater and rated person of each rating, in ``0 .. n-1``.
    rating : array_like of float
        The ratings, in [-1, 1].
    n : int
        Number of people.
    tol : float, optional
        Convergence tolerance on the L1 change of fairness plus goodness.
    max_iter : int, optional
        Iteration limit.

    Returns
    -------
    fairness : ndarray, shape (n,)
        In [0, 1]; 1 for people who rated nobody.
    goodness : ndarray, shape (n,)
        In [-1, 1]; 0 for people nobody rated.

    Raises
    ------
    ConvergenceError
        If the iteration has not converged after ``max_iter`` iterations.

    References
    ----------
    .. [1] Kumar et al., "Edge weight prediction in weighted signed networks", ICDM 2016,
       Algorithm 1.
    """
    src, dst, rating = _check(src, dst, rating, n)
    n_in = np.bincount(dst, minlength=n).astype(np.float64)
    n_out = np.bincount(src, minlength=n).astype(np.float64)
    in_div = np.maximum(n_in, 1.0)
    out_div = np.maximum(n_out, 1.0)
    f = np.ones(n)
    g = np.zeros(n)
    delta = np.inf
    for _ in range(max_iter):
        g_new = np.bincount(dst, weights=f[src] * rating, minlength=n) / in_div
        gap = np.abs(rating - g_new[dst]) / 2.0
        f_new = 1.0 - np.bincount(src, weights=gap, minlength=n) / out_div
        delta = float(np.abs(f_new - f).sum() + np.abs(g_new - g).sum())
        f, g = f_new, g_new
        if delta < tol:
            return np.clip(f, 0.0, 1.0), np.clip(g, -1.0, 1.0)
    raise ConvergenceError("fairness_goodness", max_iter, delta)


def _fairness_goodness_reference(src, dst, rating, n, tol=1e-9, max_iter=1000):
    """Plain-Python fairness/goodness, one rating at a time; slow and obviously correct."""
    edges = _edge_list(src, dst, rating)
    f = [1.0] * n
    g = [0.0] * n
    for _ in range(max_iter):
        g_new = []
        for v in range(n):
            incoming = [(u, w) for u, x, w in edges if x == v]
            g_new.append(sum(f[u] * w for u, w in incoming) / len(incoming) if incoming else 0.0)
        f_new = []
        for u in range(n):
            outgoing = [(x, w) for s, x, w in edges if s == u]
            gaps = [abs(w - g_new[x]) / 2 for x, w in outgoing]
            f_new.append(1 - sum(gaps) / len(gaps) if gaps else 1.0)
        delta = sum(abs(a - b) for a, b in zip(f, f_new, strict=True)) + sum(
            abs(a - b) for a, b in zip(g, g_new, strict=True)
        )
        f, g = f_new, g_new
        if delta < tol:
            return f, g
    raise ConvergenceError("fairness_goodness (reference)", max_iter, delta)


# --------------------------------------------------------------------------------------------
# REV2-style fairness, goodness and reliability (Kumar et al. 2018)


def rev2(
    src,
    dst,
    rating,
    n,
    *,
    alpha=1.0,
    beta=1.0,
    gamma=(1.0, 1.0),
    prior=0.5,
    tol=1e-9,
    max_iter=1000,
):
    """Return REV2 fairness of raters, goodness of rated people and reliability of ratings.

    The three quantities are defined in terms of each other::

        R(u, v) = (g1 F(u) + g2 (1 - |w(u, v) - G(v)| / 2)) / (g1 + g2)
        G(v)    = sum_{u -> v} R(u, v) w(u, v) / (|in(v)| + beta)
        F(u)    = (alpha * prior + sum_{u -> v} R(u, v)) / (|out(u)| + alpha)

    so a rater whose ratings disagree with the consensus about the people rated has low
    fairness, and her ratings count less towards goodness. ``alpha`` and ``beta`` are the
    Bayesian smoothing of REV2 (a rater with few ratings stays near ``prior``; a person with
    few ratings stays near 0). The behavioural priors of the paper are left out.

    Parameters
    ----------
    src, dst : array_like of int
        Rater and rated person of each rating, in ``0 .. n-1``.
    rating : array_like of float
        The ratings, in [-1, 1].
    n : int
        Number of people.
    alpha, beta : float, optional
        Smoothing of fairness toward ``prior`` and of goodness toward 0.
    gamma : tuple of float, optional
        Weights of the rater's fairness and of the agreement with consensus in reliability.
    prior : float, optional
        Fairness of a rater with no ratings, in [0, 1].
    tol : float, optional
        Convergence tolerance on the largest change of any of the three quantities.
    max_iter : int, optional
        Iteration limit.

    Returns
    -------
    fairness : ndarray, shape (n,)
        In [0, 1]; ``prior`` for people who rated nobody.
    goodness : ndarray, shape (n,)
        In [-1, 1]; 0 for people nobody rated.
    reliability : ndarray, shape (len(rating),)
        In [0, 1], one per rating.

    Raises
    ------
    ConvergenceError
        If the iteration has not converged after ``max_iter`` iterations.

    References
    ----------
    .. [1] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018,
       equations (1)-(3).
    """
    src, dst, rating = _check(src, dst, rating, n)
    g1, g2 = gamma
    n_in = np.bincount(dst, minlength=n).astype(np.float64)
    n_out = np.bincount(src, minlength=n).astype(np.float64)
    f = np.ones(n)
    g = np.ones(n)
    r = np.ones(rating.size)
    delta = np.inf
    for _ in range(max_iter):
        g_new = np.bincount(dst, weights=r * rating, minlength=n) / np.maximum(n_in + beta, 1e-12)
        g_new = np.clip(g_new, -1.0, 1.0)
        r_new = (g1 * f[src] + g2 * (1.0 - np.abs(rating - g_new[dst]) / 2.0)) / (g1 + g2)
        f_new = (alpha * prior + np.bincount(src, weights=r_new, minlength=n)) / (n_out + alpha)
        f_new[n_out == 0] = prior
        delta = max(
            float(np.abs(f_new - f).max(initial=0.0)),
            float(np.abs(g_new - g).max(initial=0.0)),
            float(np.abs(r_new - r).max(initial=0.0)),
        )
        f, g, r = f_new, g_new, r_new
        if delta < tol:
            return f, g, r
    raise ConvergenceError("rev2", max_iter, delta)


def _rev2_reference(
    src, dst, rating, n, alpha=1.0, beta=1.0, gamma=(1.0, 1.0), prior=0.5, tol=1e-9, max_iter=1000
):
    """Plain-Python REV2, one rating at a time; slow and obviously correct."""
    edges = _edge_list(src, dst, rating)
    g1, g2 = gamma
    f = [1.0] * n
    g = [1.0] * n
    r = [1.0] * len(edges)
    for _ in range(max_iter):
        g_new = []
        for v in range(n):
            total = sum(r[i] * w for i, (_, x, w) in enumerate(edges) if x == v)
            count = sum(1 for _, x, _ in edges if x == v)
            g_new.append(min(1.0, max(-1.0, total / (count + beta) if count + beta else 0.0)))
        r_new = [(g1 * f[u] + g2 * (1 - abs(w - g_new[v]) / 2)) / (g1 + g2) for u, v, w in edges]
        f_new = []
        for u in range(n):
            mine = [r_new[i] for i, (s, _, _) in enumerate(edges) if s == u]
            f_new.append((alpha * prior + sum(mine)) / (len(mine) + alpha) if mine else prior)
        delta = max(
            max((abs(a - b) for a, b in zip(f, f_new, strict=True)), default=0.0),
            max((abs(a - b) for a, b in zip(g, g_new, strict=True)), default=0.0),
            max((abs(a - b) for a, b in zip(r, r_new, strict=True)), default=0.0),
        )
        f, g, r = f_new, g_new, r_new
        if delta < tol:
            return f, g, r
    raise ConvergenceError("rev2 (reference)", max_iter, delta)


def rater_reliability(src, dst, rating, n, *, prior=0.5, **options):
    """Return how far each person's ratings can be relied on, in [0, 1].

    This is the REV2 fairness of each rater: the smoothed mean reliability of her ratings, where
    a rating is reliable when the rater is fair and the rating agrees with the consensus about
    the person rated. Use it to weight rated evidence.

    Parameters
    ----------
    src, dst : array_like of int
        Rater and rated person of each rating, in ``0 .. n-1``.
    rating : array_like of float
        The ratings, in [-1, 1].
    n : int
        Number of people.
    prior : float, optional
        Reliability of a person who rated nobody (the neutral prior), in [0, 1].
    **options
        Passed on to :func:`rev2` (``alpha``, ``beta``, ``gamma``, ``tol``, ``max_iter``).

    Returns
    -------
    ndarray, shape (n,)
        Reliability in [0, 1]; ``prior`` for people who rated nobody.

    Raises
    ------
    ConvergenceError
        If REV2 does not converge.

    References
    ----------
    .. [1] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
    """
    fairness, _, _ = rev2(src, dst, rating, n, prior=prior, **options)
    return fairness


def fraud_scores(src, dst, rating, n, *, floor=0.05, smoothing=1.0, **options):
    """Return how likely each person is to be a fraudster, in [0, 1] (0.5 when unknown).

    Two stages. REV2 gives every rater a goodness ``G`` and every rating a reliability ``R``.
    Then each person's *standing-weighted goodness* is the mean rating received, each rating
    weighted by ``R(u, v) * (max(G(u), 0) + floor)`` — a rating counts more when it is
    reliable and when its author is well regarded — shrunk toward 0 by ``smoothing``::

        S(v) = sum_u W(u, v) w(u, v) / (sum_u W(u, v) + smoothing)

    The score is ``(1 - S(v)) / 2``: people rated low by reliable, well-regarded raters score
    high, and people rated highly only by accounts nobody vouches for (a ring of sockpuppets)
    stay near 0.5 ("not yet known").

    Parameters
    ----------
    src, dst : array_like of int
        Rater and rated person of each rating, in ``0 .. n-1``.
    rating : array_like of float
        The ratings, in [-1, 1].
    n : int
        Number of people.
    floor : float, optional
        Weight of a rater with goodness 0 or less, relative to one with goodness 1.
    smoothing : float, optional
        Pseudo-weight of a neutral (0) rating every person starts with.
    **options
        Passed on to :func:`rev2` (default ``beta=3``).

    Returns
    -------
    ndarray, shape (n,)
        Fraud score in [0, 1].

    Raises
    ------
    ConvergenceError
        If REV2 does not converge.

    References
    ----------
    .. [1] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
    """
    src, dst, rating = _check(src, dst, rating, n)
    options.setdefault("beta", 3.0)
    _, goodness, reliability = rev2(src, dst, rating, n, **options)
    weight = reliability * (np.maximum(goodness[src], 0.0) + floor)
    total = np.bincount(dst, weights=weight * rating, minlength=n)
    standing = total / (np.bincount(dst, weights=weight, minlength=n) + smoothing)
    return (1.0 - np.clip(standing, -1.0, 1.0)) / 2.0


def _fraud_scores_reference(src, dst, rating, n, floor=0.05, smoothing=1.0, beta=3.0):
    """Plain-Python second stage of :func:`fraud_scores` on top of the reference REV2."""
    _, goodness, reliability = _rev2_reference(src, dst, rating, n, beta=beta)
    edges = _edge_list(src, dst, rating)
    out = []
    for v in range(n):
        num = den = 0.0
        for i, (u, x, w) in enumerate(edges):
            if x == v:
                weight = reliability[i] * (max(goodness[u], 0.0) + floor)
                num += weight * w
                den += weight
        out.append((1 - num / (den + smoothing)) / 2)
    return out


# --------------------------------------------------------------------------------------------
# The bias model (ridge-regularised rater and target offsets)


def bias_model(src, dst, rating, n, *, lam=5.0, tol=1e-10, max_iter=2000):
    """Return the ridge bias model ``mu + b_out[u] + b_in[v]`` of a rating graph.

    Minimises ``sum (w - mu - b_out[u] - b_in[v])^2 + lam (|b_out|^2 + |b_in|^2)`` with ``mu``
    the mean rating, by exact block coordinate descent (each block has a closed form).

    Parameters
    ----------
    src, dst : array_like of int
        Rater and rated person of each rating, in ``0 .. n-1``.
    rating : array_like of float
        The ratings, in [-1, 1].
    n : int
        Number of people.
    lam : float, optional
        Ridge penalty on the offsets.
    tol : float, optional
        Convergence tolerance on the largest change of an offset.
    max_iter : int, optional
        Iteration limit.

    Returns
    -------
    mu : float
        The mean rating (0 for an empty graph).
    b_out : ndarray, shape (n,)
        How much higher than the mean each person rates others.
    b_in : ndarray, shape (n,)
        How much higher than the mean each person is rated.

    Raises
    ------
    ConvergenceError
        If the offsets have not converged after ``max_iter`` iterations.

    References
    ----------
    .. [1] Koren, "Factorization meets the neighborhood", KDD 2008, section 2.1.
    """
    src, dst, rating = _check(src, dst, rating, n)
    mu = float(rating.mean()) if rating.size else 0.0
    n_in = np.bincount(dst, minlength=n) + lam
    n_out = np.bincount(src, minlength=n) + lam
    b_out = np.zeros(n)
    b_in = np.zeros(n)
    resid = rating - mu
    delta = np.inf
    for _ in range(max_iter):
        new_in = np.bincount(dst, weights=resid - b_out[src], minlength=n) / n_in
        new_out = np.bincount(src, weights=resid - new_in[dst], minlength=n) / n_out
        delta = max(
            float(np.abs(new_in - b_in).max(initial=0.0)),
            float(np.abs(new_out - b_out).max(initial=0.0)),
        )
        b_in, b_out = new_in, new_out
        if delta < tol:
            return mu, b_out, b_in
    raise ConvergenceError("bias_model", max_iter, delta)


def _bias_model_reference(src, dst, rating, n, lam=5.0):
    """Return the bias model by solving its normal equations directly (dense; small graphs)."""
    edges = _edge_list(src, dst, rating)
    mu = sum(w for _, _, w in edges) / len(edges) if edges else 0.0
    # Unknowns: b_out[0..n-1], b_in[0..n-1].
    a = np.zeros((len(edges) + 2 * n, 2 * n))
    b = np.zeros(len(edges) + 2 * n)
    for i, (u, v, w) in enumerate(edges):
        a[i, u] = 1.0
        a[i, n + v] = 1.0
        b[i] = w - mu
    a[len(edges) :, :] = np.sqrt(lam) * np.eye(2 * n)
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    return mu, x[:n], x[n:]


# --------------------------------------------------------------------------------------------
# A small gradient-boosted regression-tree learner (histogram splits, squared loss)


@dataclass
class _Tree:
    feature: np.ndarray  # per internal node, level order; -1 where the node does not split
    split: np.ndarray  # bin index: go left when bin <= split
    value: np.ndarray  # per leaf (2**depth leaves)


class _Boost:
    """Gradient boosting of depth-limited regression trees on binned features."""

    def __init__(
        self,
        n_trees=400,
        depth=4,
        rate=0.05,
        min_leaf=30,
        l2=5.0,
        n_bins=32,
        subsample=0.5,
        seed=0,
    ):
        self.n_trees, self.depth, self.rate = n_trees, depth, rate
        self.min_leaf, self.l2, self.n_bins = min_leaf, l2, n_bins
        self.subsample, self.seed = subsample, seed

    def _bin(self, x):
        out = np.empty(x.shape, dtype=np.int64)
        for j in range(x.shape[1]):
            out[:, j] = np.searchsorted(self.edges_[j], x[:, j], side="right")
        return out

    def fit(self, x, y, x_val=None, y_val=None):
        """Fit to ``y``; with a validation set, keep the number of trees that scored best."""
        rng = np.random.default_rng(self.seed)
        qs = np.linspace(0, 1, self.n_bins + 1)[1:-1]
        self.edges_ = [np.unique(np.quantile(x[:, j], qs)) for j in range(x.shape[1])]
        xb = self._bin(x)
        self.base_ = float(y.mean())
        pred = np.full(y.size, self.base_)
        val_pred = None if x_val is None else np.full(y_val.size, self.base_)
        val_b = None if x_val is None else self._bin(x_val)
        self.trees_ = []
        best, best_k = np.inf, 0
        self.val_curve_ = []
        for k in range(self.n_trees):
            rows = rng.random(y.size) < self.subsample
            tree = self._grow(xb[rows], y[rows] - pred[rows])
            self.trees_.append(tree)
            pred += self._apply(tree, xb)
            if val_b is not None:
                val_pred += self._apply(tree, val_b)
                err = float(np.mean((val_pred - y_val) ** 2))
                self.val_curve_.append(err)
                if err < best:
                    best, best_k = err, k + 1
        if val_b is not None:
            self.trees_ = self.trees_[:best_k]
        return self

    def _grow(self, xb, resid):
        n_rows, n_feat = xb.shape
        b = self.n_bins
        node = np.zeros(n_rows, dtype=np.int64)
        n_internal = 2**self.depth - 1
        feature = np.full(n_internal, -1, dtype=np.int64)
        split = np.full(n_internal, b, dtype=np.int64)
        for level in range(self.depth):
            width = 2**level
            first = width - 1
            local = node - first
            cnt_tot = np.bincount(local, minlength=width).astype(np.float64)
            sum_tot = np.bincount(local, weights=resid, minlength=width)
            parent = sum_tot**2 / (cnt_tot + self.l2)
            # One histogram for every (node, feature, bin) at once.
            key = (local[:, None] * n_feat + np.arange(n_feat)) * b + xb
            size = width * n_feat * b
            cnt = np.bincount(key.ravel(), minlength=size).reshape(width, n_feat, b)
            sm = np.bincount(key.ravel(), weights=np.repeat(resid, n_feat), minlength=size)
            cnt = cnt.cumsum(2)
            sm = sm.reshape(width, n_feat, b).cumsum(2)
            cnt_r = cnt_tot[:, None, None] - cnt
            sm_r = sum_tot[:, None, None] - sm
            gain = sm**2 / (cnt + self.l2) + sm_r**2 / (cnt_r + self.l2) - parent[:, None, None]
            gain[(cnt < self.min_leaf) | (cnt_r < self.min_leaf)] = 0.0
            flat = gain.reshape(width, -1)
            at = flat.argmax(1)
            ok = flat[np.arange(width), at] > 0
            best_feat = np.where(ok, at // b, -1)
            best_bin = np.where(ok, at % b, b)
            feature[first : first + width] = best_feat
            split[first : first + width] = best_bin
            f = best_feat[local]
            go_right = (f >= 0) & (xb[np.arange(n_rows), np.maximum(f, 0)] > best_bin[local])
            node = 2 * node + 1 + go_right
        leaf = node - n_internal
        n_leaves = 2**self.depth
        cnt = np.bincount(leaf, minlength=n_leaves)
        sm = np.bincount(leaf, weights=resid, minlength=n_leaves)
        value = self.rate * sm / (cnt + self.l2)
        return _Tree(feature, split, value)

    def _apply(self, tree, xb):
        node = np.zeros(xb.shape[0], dtype=np.int64)
        rows = np.arange(xb.shape[0])
        for _ in range(self.depth):
            f = tree.feature[node]
            right = (f >= 0) & (xb[rows, np.maximum(f, 0)] > tree.split[node])
            node = 2 * node + 1 + right
        return tree.value[node - (2**self.depth - 1)]

    def predict(self, x):
        """Return the predictions for the rows of ``x``."""
        xb = self._bin(x)
        out = np.full(x.shape[0], self.base_)
        for tree in self.trees_:
            out += self._apply(tree, xb)
        return out


# --------------------------------------------------------------------------------------------
# Rating prediction

_DAY = 86400.0
_MISSING = -3.0  # feature value for "no evidence" (ratings live in [-1, 1])


def _pair_lookup(src, dst, rating, n):
    """Return sorted pair keys and the mean rating of each pair."""
    keys, inverse = np.unique(src * (n + 1) + dst, return_inverse=True)
    count = np.bincount(inverse)
    return keys, np.bincount(inverse, weights=rating) / count


def _lookup(keys, values, query):
    """Return ``values`` at ``query`` keys, and whether each was found."""
    if keys.size == 0:
        return np.zeros(query.size), np.zeros(query.size, dtype=bool)
    at = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    found = keys[at] == query
    return np.where(found, values[at], 0.0), found


class _Windows:
    """Sums and counts of one person's ratings (given or received) in a time interval."""

    def __init__(self, group, days, rating, n):
        self.span = float(days.max() - days.min() + 1e5) if days.size else 1e5
        self.t0 = float(days.min()) if days.size else 0.0
        key = group * self.span + (days - self.t0)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.csum = np.concatenate([[0.0], np.cumsum(rating[order])])
        self.csq = np.concatenate([[0.0], np.cumsum(rating[order] ** 2)])
        self.n = n

    def between(self, group, days, lo, hi, closed=True):
        """Return sum, sum of squares and count of ``group``'s ratings in [days+lo, days+hi].

        With ``closed=False`` the interval is open. Infinite bounds stop at the person's own
        first or last rating.
        """
        band = group * self.span
        low = band + np.clip(days - self.t0 + lo, -0.5, self.span - 1.0)
        high = band + np.clip(days - self.t0 + hi, -0.5, self.span - 1.0)
        left = np.searchsorted(self.key, low, side="left" if closed else "right")
        right = np.searchsorted(self.key, high, side="right" if closed else "left")
        right = np.maximum(right, left)
        return (
            self.csum[right] - self.csum[left],
            self.csq[right] - self.csq[left],
            (right - left).astype(np.float64),
        )


def _windows_reference(group, days, rating, q_group, q_days, lo, hi, closed=True):
    """Plain-Python :meth:`_Windows.between`: (sum, count) per query."""
    out = []
    for g, t in zip(q_group, q_days, strict=True):
        total = count = 0.0
        for h, d, w in zip(group, days, rating, strict=True):
            inside = t + lo <= d <= t + hi if closed else t + lo < d < t + hi
            if h == g and inside:
                total += w
                count += 1
        out.append((total, count))
    return out


def _mean(total, count, default=_MISSING):
    return np.where(count > 0, total / np.maximum(count, 1), default)


class _GraphFeatures:
    """Features of a pair (u, v) computed from a training graph; see :class:`RatingModel`."""

    def __init__(self, src, dst, rating, days, n):
        self.n = n
        self.mu = float(rating.mean()) if rating.size else 0.0
        m = n + 1  # slot n stands for anyone unseen
        neg = (rating < 0).astype(np.float64)
        self.in_cnt = np.bincount(dst, minlength=m).astype(np.float64)
        self.in_sum = np.bincount(dst, weights=rating, minlength=m)
        self.in_sq = np.bincount(dst, weights=rating**2, minlength=m)
        self.in_neg = np.bincount(dst, weights=neg, minlength=m)
        self.out_cnt = np.bincount(src, minlength=m).astype(np.float64)
        self.out_sum = np.bincount(src, weights=rating, minlength=m)
        self.out_sq = np.bincount(src, weights=rating**2, minlength=m)
        self.out_neg = np.bincount(src, weights=neg, minlength=m)
        self.keys, self.pair_mean = _pair_lookup(src, dst, rating, m)
        # Two-hop: what the people u rated positively say about v.
        sps = sp.sparse
        pos = rating > 0
        self.trusted = sps.csr_matrix((np.ones(int(pos.sum())), (src[pos], dst[pos])), shape=(m, m))
        self.w = sps.csr_matrix((rating, (src, dst)), shape=(m, m))
        self.c = sps.csr_matrix((np.ones(rating.size), (src, dst)), shape=(m, m))
        # Columns of w and c as rows, so a pair's two-hop sum is a sparse row dot product.
        self.w_by_target = self.w.T.tocsr()
        self.c_by_target = self.c.T.tocsr()
        self.has_time = days is not None
        if self.has_time:
            self.now = float(days.max()) + 1.0 if days.size else 0.0
            self.in_win = _Windows(dst, days, rating, m)
            self.out_win = _Windows(src, days, rating, m)

    def _two_hop(self, u, v, chunk=20000):
        """Return the sum and count of ratings of v by the people u rated positively."""
        total = np.empty(u.size)
        count = np.empty(u.size)
        for at in range(0, u.size, chunk):
            rows = self.trusted[u[at : at + chunk]]
            total[at : at + chunk] = rows.multiply(self.w_by_target[v[at : at + chunk]]).sum(1).A1
            count[at : at + chunk] = rows.multiply(self.c_by_target[v[at : at + chunk]]).sum(1).A1
        return total, count

    def __call__(self, u, v, days=None, own=None):
        """Return the feature matrix for pairs (u, v); ``own`` is the rating to leave out."""
        k = u.size
        own_w = np.zeros(k) if own is None else own
        own_c = np.zeros(k) if own is None else np.ones(k)
        cols = []
        in_cnt = self.in_cnt[v] - own_c
        in_sum = self.in_sum[v] - own_w
        in_sq = self.in_sq[v] - own_w**2
        in_neg = self.in_neg[v] - own_c * (own_w < 0)
        out_cnt = self.out_cnt[u] - own_c
        out_sum = self.out_sum[u] - own_w
        out_sq = self.out_sq[u] - own_w**2
        out_neg = self.out_neg[u] - own_c * (own_w < 0)
        in_mean = _mean(in_sum, in_cnt)
        out_mean = _mean(out_sum, out_cnt)
        cols += [in_mean, np.log1p(in_cnt), _mean(in_neg, in_cnt, -1.0)]
        cols += [
            np.where(in_cnt > 1, np.sqrt(np.maximum(_mean(in_sq, in_cnt) - in_mean**2, 0)), -1)
        ]
        cols += [out_mean, np.log1p(out_cnt), _mean(out_neg, out_cnt, -1.0)]
        cols += [
            np.where(out_cnt > 1, np.sqrt(np.maximum(_mean(out_sq, out_cnt) - out_mean**2, 0)), -1)
        ]
        # How v rates others, how u is rated (no own edge involved).
        cols += [_mean(self.out_sum[v], self.out_cnt[v]), _mean(self.in_sum[u], self.in_cnt[u])]
        cols += [np.log1p(self.out_cnt[v]), np.log1p(self.in_cnt[u])]
        recip, found = _lookup(self.keys, self.pair_mean, v * (self.n + 2) + u)
        cols += [np.where(found, recip, _MISSING)]
        hop_sum, hop_cnt = self._two_hop(u, v)
        cols += [_mean(hop_sum, hop_cnt), np.log1p(hop_cnt)]
        if self.has_time:
            t = np.full(k, self.now) if days is None else days
            for lo, hi in ((-7.0, 7.0), (-60.0, 60.0)):
                s, q, c = self.in_win.between(v, t, lo, hi)
                cols += [_mean(s - own_w, c - own_c), np.log1p(c - own_c)]
            s, q, c = self.in_win.between(v, t, -np.inf, 0.0, closed=False)
            cols += [_mean(s, c), np.log1p(c)]
            s, q, c = self.in_win.between(v, t, 0.0, np.inf, closed=False)
            cols += [_mean(s, c), np.log1p(c)]
            s, q, c = self.out_win.between(u, t, -30.0, 30.0)
            cols += [_mean(s - own_w, c - own_c)]
            s, q, c = self.in_win.between(u, t, -30.0, 30.0)
            cols += [_mean(s, c)]
        return np.column_stack(cols)


def _model_features(src, dst, rating, n, u, v, lam):
    """Return bias-model, fairness-goodness and REV2 features of pairs (u, v)."""
    mu, b_out, b_in = bias_model(src, dst, rating, n, lam=lam)
    f, g = fairness_goodness(src, dst, rating, n)
    rf, rg, _ = rev2(src, dst, rating, n)
    pad = np.concatenate
    b_out, b_in = pad([b_out, [0.0]]), pad([b_in, [0.0]])
    f, g, rf, rg = pad([f, [1.0]]), pad([g, [0.0]]), pad([rf, [0.5]]), pad([rg, [0.0]])
    return np.column_stack(
        [mu + b_out[u] + b_in[v], f[u] * g[v], f[u], g[v], rf[u], rg[v], b_out[u], b_in[v]]
    )


class RatingModel:
    """Predict the rating a person would give another, in [-1, 1].

    A stacked model. First-level predictors are the ridge bias model ``mu + b_u + b_v``,
    fairness x goodness and REV2 fairness/goodness; beside them go graph features of the pair:
    the target's and the rater's rating distributions (mean, count, share negative, spread),
    the reciprocal rating, what the people the rater trusts said about the target, and — when
    times are given — the target's ratings in time windows around the rating (a scam shows as
    a burst of negative ratings). A small gradient-boosted tree ensemble combines them.

    To keep training honest, features of a training rating never see that rating: the
    aggregate features leave it out exactly, and the first-level models are fitted out of
    fold (``inner_folds``). The number of trees is chosen on a validation part of the
    training ratings only.

    Parameters
    ----------
    lam : float, optional
        Ridge penalty of the bias model.
    inner_folds : int, optional
        Folds for the out-of-fold first-level predictions.
    n_trees, depth, rate, min_leaf : optional
        Boosting settings (upper bound on trees, tree depth, learning rate, leaf size).
    max_rows : int, optional
        The combiner is trained on at most this many ratings, sampled at random (the
        first-level models and the graph features always use every rating).
    seed : int, optional
        Seed of the fold split and subsampling.

    References
    ----------
    .. [1] Kumar et al., "Edge weight prediction in weighted signed networks", ICDM 2016.
    .. [2] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
    .. [3] Friedman, "Greedy function approximation: a gradient boosting machine", 2001.
    """

    def __init__(
        self,
        *,
        lam=5.0,
        inner_folds=5,
        n_trees=300,
        depth=4,
        rate=0.1,
        min_leaf=30,
        max_rows=200_000,
        seed=0,
    ):
        self.lam, self.inner_folds, self.seed = lam, inner_folds, seed
        self.max_rows = max_rows
        self.boost_options = {
            "n_trees": n_trees,
            "depth": depth,
            "rate": rate,
            "min_leaf": min_leaf,
            "seed": seed,
        }

    def fit(self, src, dst, rating, n, time=None):
        """Fit to the rating graph and return self.

        Parameters
        ----------
        src, dst : array_like of int
            Rater and rated person of each rating, in ``0 .. n-1``.
        rating : array_like of float
            The ratings, in [-1, 1].
        n : int
            Number of people.
        time : array_like of float, optional
            Unix seconds of each rating; enables the time-window features.

        Returns
        -------
        RatingModel
            self.

        Raises
        ------
        ConvergenceError
            If a first-level model does not converge.
        """
        src, dst, rating = _check(src, dst, rating, n)
        days = None if time is None else np.asarray(time, dtype=np.float64) / _DAY
        self.n_ = n
        self.mu_ = float(rating.mean()) if rating.size else 0.0
        self.fallback_ = rating.size < 50
        if self.fallback_:
            self.bias_ = bias_model(src, dst, rating, n, lam=self.lam)
            return self
        rng = np.random.default_rng(self.seed)
        fold = rng.permutation(rating.size) % self.inner_folds
        # The combiner learns from at most max_rows ratings (first-level models use them all).
        if rating.size > self.max_rows:
            rows = np.sort(rng.choice(rating.size, self.max_rows, replace=False))
        else:
            rows = np.arange(rating.size)
        model_x = np.empty((rows.size, 8))
        for k in range(self.inner_folds):
            keep = fold != k
            out = fold[rows] == k
            model_x[out] = _model_features(
                src[keep], dst[keep], rating[keep], n, src[rows[out]], dst[rows[out]], self.lam
            )
        self.graph_ = _GraphFeatures(src, dst, rating, days, n)
        sub_days = None if days is None else days[rows]
        x = np.hstack([model_x, self.graph_(src[rows], dst[rows], sub_days, own=rating[rows])])
        target = rating[rows]
        # Choose the number of trees on a validation part, then refit on everything.
        val = rng.random(rows.size) < 0.15
        probe = _Boost(**self.boost_options).fit(x[~val], target[~val], x[val], target[val])
        options = dict(self.boost_options, n_trees=max(1, int(len(probe.trees_) * 1.1)))
        self.boost_ = _Boost(**options).fit(x, target)
        self.train_ = (src, dst, rating)
        return self

    def predict(self, src, dst, time=None):
        """Return the predicted rating of each pair, in [-1, 1].

        Parameters
        ----------
        src, dst : array_like of int
            Rater and rated person; indices outside ``0 .. n-1`` mean someone unseen.
        time : array_like of float, optional
            Unix seconds at which each rating would be made (default: just after the last
            training rating).

        Returns
        -------
        ndarray
            Predicted ratings in [-1, 1]; a pair of strangers gets the mean rating.
        """
        u = np.asarray(src, dtype=np.int64).ravel()
        v = np.asarray(dst, dtype=np.int64).ravel()
        u = np.where((u < 0) | (u >= self.n_), self.n_, u)
        v = np.where((v < 0) | (v >= self.n_), self.n_, v)
        if self.fallback_:
            mu, b_out, b_in = self.bias_
            b_out, b_in = np.append(b_out, 0.0), np.append(b_in, 0.0)
            return np.clip(mu + b_out[u] + b_in[v], -1.0, 1.0)
        s, d, r = self.train_
        days = None if time is None else np.asarray(time, dtype=np.float64).ravel() / _DAY
        x = np.hstack([_model_features(s, d, r, self.n_, u, v, self.lam), self.graph_(u, v, days)])
        return np.clip(self.boost_.predict(x), -1.0, 1.0)
