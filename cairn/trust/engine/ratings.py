"""Signed weighted rating graphs: fairness, goodness, rater reliability, the bias model.

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

import numpy as np

__all__ = [
    "ConvergenceError",
    "backed_rating",
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
    src, dst, rating : array_like
        The rating graph over ``n`` people (see the module docstring).
    n : int
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
    src, dst, rating : array_like
        The rating graph over ``n`` people (see the module docstring).
    n : int
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
    src, dst, rating : array_like
        The rating graph over ``n`` people (see the module docstring).
    n : int
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
    src, dst, rating : array_like
        The rating graph over ``n`` people (see the module docstring).
    n : int
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


def backed_rating(rater, rated, rating, fairness, goodness, backing, n, *, smoothing=1.0):
    """Return the mean rating each person receives from the raters the organisation backs.

    One row per rater and person rated (a rater's repeated ratings of one person are one
    voice, with their mean). Each row counts ``R * backing[rater]``: REV2's reliability of the
    rating from the stored fairness and goodness,
    ``R = (F(u) + 1 - |w - G(v)| / 2) / 2``, times how far the rater's own word is backed
    (in the trust model, the rater's gate: 0 for accounts no vouching path reaches, so a
    region of sockpuppets can neither praise nor badmouth anyone). Shrunk toward 0 by
    ``smoothing``::

        S(v) = sum_u W(u, v) w(u, v) / (sum_u W(u, v) + smoothing)

    Every row reads only the rater's and the rated person's values, so the rating of one
    person can be recomputed from that person's rows alone.

    Parameters
    ----------
    rater, rated : array_like of int
        One row per (rater, rated) pair, in ``0 .. n-1``.
    rating : array_like of float
        The pair's mean rating, in [-1, 1].
    fairness, goodness : array_like of float, shape (n,)
        REV2 fairness of raters and goodness of rated people (:func:`rev2`).
    backing : array_like of float, shape (n,)
        How far each rater's word is backed, in [0, 1].
    n : int
        Number of people.
    smoothing : float, optional
        Pseudo-weight of a neutral (0) rating every person starts with.

    Returns
    -------
    ndarray, shape (n,)
        In [-1, 1]; 0 for people no backed rater rated.

    References
    ----------
    .. [1] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
    """
    rater, rated, rating = _check(rater, rated, rating, n)
    fairness, goodness, backing = (
        np.asarray(x, dtype=np.float64) for x in (fairness, goodness, backing)
    )
    reliable = (fairness[rater] + 1.0 - np.abs(rating - goodness[rated]) / 2.0) / 2.0
    weight = reliable * backing[rater]
    total = np.bincount(rated, weights=weight * rating, minlength=n)
    return np.clip(total / (np.bincount(rated, weights=weight, minlength=n) + smoothing), -1, 1)


def _backed_rating_reference(rater, rated, rating, fairness, goodness, backing, n, smoothing=1.0):
    """Plain-Python :func:`backed_rating`, one person at a time."""
    out = []
    for v in range(n):
        num = den = 0.0
        for u, x, w in _edge_list(rater, rated, rating):
            if x == v:
                weight = (fairness[u] + 1 - abs(w - goodness[v]) / 2) / 2 * backing[u]
                num += weight * w
                den += weight
        out.append(min(1.0, max(-1.0, num / (den + smoothing))))
    return out


# --------------------------------------------------------------------------------------------
# The bias model (ridge-regularised rater and target offsets)


def bias_model(src, dst, rating, n, *, lam=5.0, tol=1e-10, max_iter=2000):
    """Return the ridge bias model ``mu + b_out[u] + b_in[v]`` of a rating graph.

    Minimises ``sum (w - mu - b_out[u] - b_in[v])^2 + lam (|b_out|^2 + |b_in|^2)`` with ``mu``
    the mean rating, by exact block coordinate descent (each block has a closed form).

    Parameters
    ----------
    src, dst, rating : array_like
        The rating graph over ``n`` people (see the module docstring).
    n : int
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
