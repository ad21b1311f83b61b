"""The vouching graph and seed-anchored trust propagation.

Trust flows from seeds along vouching edges (thanks, credits, kept commitments, good ratings,
net of missed commitments and bad ratings). Three things keep it from being manufactured:

- every pair's edge saturates (one person can vouch for another only so much), and reciprocal
  edges are dampened, so rings of mutual praise earn little;
- a person passes on at most ``damping`` times their own trust, split over whom they vouch for
  in proportion to the edge weights, and divided by at least ``floor`` even when they vouch
  for few (weak vouching passes little), so the trust that can enter a region is bounded by the
  edges into it, however many accounts the region holds (SybilRank [2]_, EigenTrust with
  pre-trusted peers [1]_);
- nobody holds more than 1, the trust of a seed (a capacity, as in Advogato [3]_), so a region
  cannot pile trust onto one account by passing it round.

References
----------
.. [1] S. D. Kamvar, M. T. Schlosser, H. Garcia-Molina, "The EigenTrust algorithm for
   reputation management in P2P networks", WWW 2003.
.. [2] Q. Cao, M. Sirivianos, X. Yang, T. Pregueiro, "Aiding the detection of fake accounts in
   large scale social online services", NSDI 2012 (SybilRank).
.. [3] R. Levien, "Attack-resistant trust metrics", in Computing with Social Trust, 2009
   (Advogato).
"""

from __future__ import annotations

import numpy as np
import scipy as sp

from .ratings import ConvergenceError

__all__ = ["ConvergenceError", "dampen_reciprocity", "propagate", "transition"]


def dampen_reciprocity(w: sp.sparse.csr_array, reciprocity: float) -> sp.sparse.csr_array:
    """Return ``w - reciprocity * min(w, w.T)``: mutual vouching counts less.

    Parameters
    ----------
    w : scipy.sparse.csr_array, shape (n, n)
        Non-negative edge weights, ``w[u, v]`` = how much u vouches for v.
    reciprocity : float
        In [0, 0.5]; at most 0.5 keeps an edge's weight non-decreasing in its own evidence.

    Returns
    -------
    scipy.sparse.csr_array
        The dampened weights, explicit zeros removed.
    """
    if reciprocity <= 0 or w.nnz == 0:
        return w
    mutual = w.minimum(w.T.tocsr())
    out = (w - reciprocity * mutual).tocsr()
    out.eliminate_zeros()
    return out


def transition(w: sp.sparse.csr_array, floor: float) -> sp.sparse.csr_array:
    """Return the transposed share matrix ``P.T`` with ``P[u, v] = w[u, v] / max(out_u, floor)``.

    Parameters
    ----------
    w : scipy.sparse.csr_array, shape (n, n)
        Non-negative edge weights.
    floor : float
        Least divisor: a person who vouches weakly passes on only part of their trust.

    Returns
    -------
    scipy.sparse.csr_array
        ``P.T`` in CSR form, so that ``P.T @ g`` is the trust arriving at each person.
    """
    out = np.asarray(w.sum(axis=1)).ravel()
    scale = 1.0 / np.maximum(out, floor)
    p = sp.sparse.diags_array(scale) @ w
    return p.T.tocsr()


def propagate(pt, seeds, damping=0.85, tol=1e-9, max_iter=1000, start=None) -> np.ndarray:
    """Return seed-anchored trust: the least fixed point of ``g = min(1, s + damping P.T g)``.

    Parameters
    ----------
    pt : scipy.sparse.csr_array, shape (n, n)
        Transposed share matrix from :func:`transition` (rows sum to at most 1 in ``P``).
    seeds : array_like of int
        The seeds; ``s`` is 1 on them and 0 elsewhere.
    damping : float, optional
        Share of a person's trust they can pass on, in [0, 1).
    tol : float, optional
        Stop when no value changes by more than this.
    max_iter : int, optional
        Iteration limit.
    start : ndarray, optional
        Warm start (must not exceed the fixed point, e.g. an earlier result on a graph with
        fewer or weaker edges); defaults to ``s``.

    Returns
    -------
    ndarray, shape (n,)
        Trust in [0, 1]; 1 on the seeds.

    Raises
    ------
    ConvergenceError
        If the iteration has not settled after ``max_iter`` iterations.

    References
    ----------
    .. [1] Kamvar et al., "The EigenTrust algorithm", WWW 2003 (pre-trusted peers).
    .. [2] Cao et al., "Aiding the detection of fake accounts...", NSDI 2012.
    """
    n = pt.shape[0]
    s = np.zeros(n)
    s[np.asarray(seeds, dtype=np.int64)] = 1.0
    g = s.copy() if start is None else np.maximum(np.asarray(start, dtype=np.float64), s)
    delta = np.inf
    for _ in range(max_iter):
        g_new = np.minimum(1.0, s + damping * (pt @ g))
        delta = float(np.abs(g_new - g).max(initial=0.0))
        g = g_new
        if delta < tol:
            return g
    raise ConvergenceError("propagate", max_iter, delta)


def _propagate_reference(edges, n, seeds, damping=0.85, floor=3.0, tol=1e-9, max_iter=1000):
    """Plain-Python propagation over ``{(u, v): weight}``; slow and obviously correct."""
    out = [0.0] * n
    for (u, _), w in edges.items():
        out[u] += w
    s = [1.0 if i in set(seeds) else 0.0 for i in range(n)]
    g = list(s)
    for _ in range(max_iter):
        arriving = [0.0] * n
        for (u, v), w in edges.items():
            arriving[v] += g[u] * w / max(out[u], floor)
        g_new = [min(1.0, s[v] + damping * arriving[v]) for v in range(n)]
        delta = max((abs(a - b) for a, b in zip(g, g_new, strict=True)), default=0.0)
        g = g_new
        if delta < tol:
            return g
    raise ConvergenceError("propagate (reference)", max_iter, delta)


def _dampen_reference(edges, reciprocity):
    """Plain-Python reciprocity dampening of ``{(u, v): weight}``."""
    out = {}
    for (u, v), w in edges.items():
        back = edges.get((v, u), 0.0)
        kept = w - reciprocity * min(w, back)
        if kept > 0:
            out[(u, v)] = kept
    return out
