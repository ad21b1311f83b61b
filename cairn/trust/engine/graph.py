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

__all__ = [
    "dampen_reciprocity",
    "closed_groups",
    "mutual_pairs",
    "ring_likeness",
    "ring_matrix",
    "levels_from",
    "propagate_levels",
]


def dampen_reciprocity(
    w: sp.sparse.csr_array,
    reciprocity: float,
    unbacked: sp.sparse.csr_array | None = None,
    ring: sp.sparse.csr_array | None = None,
) -> sp.sparse.csr_array:
    """Return ``(1 - reciprocity * ring) * (w - reciprocity * min(w, w.T) * unbacked)``.

    Mutual vouching counts less, and vouching inside a ring-like group hardly at all.

    Parameters
    ----------
    w : scipy.sparse.csr_array, shape (n, n)
        Non-negative edge weights, ``w[u, v]`` = how much u vouches for v.
    reciprocity : float
        In [0, 1]: how much of the mutual part is taken away.
    unbacked : scipy.sparse.csr_array, shape (n, n), optional
        The share of each edge, in [0, 1], that no concrete act of v for u stands behind
        (help, answers, a commitment made to u); default 1 everywhere. Mutual vouching
        between people who work for each other is a working relationship, not a ring.
    ring : scipy.sparse.csr_array, shape (n, n), optional
        How ring-like each pair's group is (:func:`ring_likeness`); default 0.

    Returns
    -------
    scipy.sparse.csr_array
        The dampened weights, explicit zeros removed.
    """
    if reciprocity <= 0 or w.nnz == 0:
        return w
    mutual = w.minimum(w.T.tocsr())
    if unbacked is not None:
        mutual = mutual.multiply(unbacked)
    out = (w - reciprocity * mutual).tocsr()
    if ring is not None:
        out = (out - reciprocity * out.multiply(ring)).tocsr()
    out.eliminate_zeros()
    return out


def mutual_pairs(w: sp.sparse.csr_array, exclude=()) -> sp.sparse.csr_array:
    """Return the 0/1 matrix of pairs who vouch for each other (``w[u, v]`` and ``w[v, u]``).

    People in ``exclude`` (the seeds: the organisation's anchors are nobody's ring) are left
    out, so that a seed's praise never makes a group look closed or dense.
    """
    given = (w > 0).astype(np.float64).tocsr()
    both = given.multiply(given.T).tocsr()
    keep = np.ones(w.shape[0])
    keep[np.asarray(exclude, dtype=np.int64)] = 0.0
    keep_diag = sp.sparse.diags_array(keep)
    both = (keep_diag @ both @ keep_diag).tocsr()
    both.setdiag(0)
    both.eliminate_zeros()
    return both


def components(sym: sp.sparse.csr_array) -> tuple[int, np.ndarray]:
    """Return (number of groups, group of each node) of a symmetric graph's components.

    Label propagation with pointer jumping in numpy: each node takes the least label among
    itself and its neighbours, then the label of its label, until nothing changes. The same
    answer as ``scipy.sparse.csgraph.connected_components`` (groups numbered by their least
    node), without importing ``csgraph``, which costs about as much as the rest of scipy.sparse.
    """
    n = sym.shape[0]
    label = np.arange(n)
    has = np.diff(sym.indptr) > 0
    starts = sym.indptr[:-1][has]
    while True:
        least = label.copy()
        if starts.size:
            least[has] = np.minimum(label[has], np.minimum.reduceat(label[sym.indices], starts))
        np.minimum.at(least, label, least.copy())  # each root learns what its nodes saw
        least = least[least]
        if np.array_equal(least, label):
            break
        label = least
    _, group = np.unique(label, return_inverse=True)
    return int(group.max(initial=-1)) + 1, group


def closed_groups(mutual, w, seeds, start: float, span: float):
    """Return (group of each person, how closed each group is in [0, 1]).

    Groups are the connected components of the mutual-vouching graph. A group of at least
    three that holds no seed is *closed* in proportion to the share of the vouching its
    members receive that comes from inside: ``clip((share - start) / span, 0, 1)`` — the
    safeguards' ring rule (:func:`cairn.safeguards.detect.find_rings`: at least 80 % from
    inside) made gradual. A sybil region or a ring that keeps to itself is closed however
    sparse it is; the organisation's own web of colleagues holds the seeds.

    Parameters
    ----------
    mutual : scipy.sparse.csr_array, shape (n, n)
        From :func:`mutual_pairs` (seeds included: they hold the organisation together).
    w : scipy.sparse.csr_array, shape (n, n)
        The vouching weights.
    seeds : array_like of int
    start, span : float

    Returns
    -------
    group : ndarray of int, shape (n,)
    closed : ndarray, shape (number of groups,)
    """
    n_groups, group = components(mutual)
    size = np.bincount(group, minlength=n_groups)
    coo = w.tocoo()
    inside = group[coo.row] == group[coo.col]
    received = np.bincount(group[coo.col], weights=coo.data, minlength=n_groups)
    internal = np.bincount(group[coo.col[inside]], weights=coo.data[inside], minlength=n_groups)
    share = np.divide(internal, received, out=np.zeros(n_groups), where=received > 0)
    closed = np.clip((share - start) / span, 0.0, 1.0)
    closed[size < 3] = 0.0
    closed[group[np.asarray(seeds, dtype=np.int64)]] = 0.0
    return group, closed


def ring_matrix(w, mutual, group, closed, common: float, span: float) -> sp.sparse.csr_array:
    """Return how ring-like each vouching edge of ``w`` is, in [0, 1].

    The larger of the pair's :func:`ring_likeness` (dense groups) and, for an edge inside a
    group, how closed the group is (:func:`closed_groups`).
    """
    coo = w.tocoo()
    same = group[coo.row] == group[coo.col]
    value = np.where(same, closed[group[coo.row]], 0.0)
    out = sp.sparse.csr_array((value, (coo.row, coo.col)), shape=w.shape)
    out = out.maximum(ring_likeness(mutual, common, span)).tocsr()
    out.eliminate_zeros()
    return out


def ring_likeness(mutual: sp.sparse.csr_array, common: float, span: float):
    """Return how ring-like each mutually vouching pair's group is, in [0, 1].

    A pair is ring-like when the two share many partners who also vouch for both of them and
    whom they vouch for: the dense, closed group of a collusion ring or a sybil region, where
    everyone praises everyone. ``clip((c - common) / span, 0, 1)`` with ``c`` the number of
    shared mutual partners. Long-standing working relationships — a mentor and a mentee, two
    colleagues who help each other — share few (in simulated communities 99 % of honest
    mutual pairs share at most 4; a ring of k shares k - 2).

    Parameters
    ----------
    mutual : scipy.sparse.csr_array, shape (n, n)
        0/1, symmetric (:func:`mutual_pairs`).
    common, span : float
        Shared partners at which the discount starts, and how many more make it complete.

    Returns
    -------
    scipy.sparse.csr_array
        Same pattern as ``mutual`` where positive; symmetric.

    References
    ----------
    Triangle counting as the signature of dense collusion groups: Lim et al., "Detecting
    product review spammers using rating behaviors", CIKM 2010; Cao et al., NSDI 2012.
    """
    shared = (mutual @ mutual).multiply(mutual).tocsr()
    shared.data = np.clip((shared.data - common) / span, 0.0, 1.0)
    shared.eliminate_zeros()
    return shared


def _ring_likeness_reference(pairs: set, common: float, span: float) -> dict:
    """Plain-Python :func:`ring_likeness` over a set of mutual pairs ``{(u, v), (v, u), ...}``."""
    partners: dict = {}
    for u, v in pairs:
        partners.setdefault(u, set()).add(v)
    out = {}
    for u, v in pairs:
        c = len(partners[u] & partners[v])
        value = min(1.0, max(0.0, (c - common) / span))
        if value > 0:
            out[(u, v)] = value
    return out


def _dampen_reference(edges, reciprocity, unbacked=None, ring=None):
    """Plain-Python dampening of ``{(u, v): weight}``; ``unbacked``, ``ring``: ``{(u, v): x}``."""
    out = {}
    for (u, v), w in edges.items():
        back = edges.get((v, u), 0.0)
        share = 1.0 if unbacked is None else unbacked.get((u, v), 0.0)
        kept = w - reciprocity * min(w, back) * share
        kept *= 1.0 - reciprocity * (ring or {}).get((u, v), 0.0)
        if kept > 0:
            out[(u, v)] = kept
    return out


def levels_from(w: sp.sparse.csr_array, seeds) -> np.ndarray:
    """Return each person's hop distance from the nearest seed along vouching edges (inf if none).

    Parameters
    ----------
    w : scipy.sparse.csr_array, shape (n, n)
        Edge weights; any stored positive entry is an edge.
    seeds : array_like of int
        The seeds (level 0).

    Returns
    -------
    ndarray of float, shape (n,)
    """
    n = w.shape[0]
    level = np.full(n, np.inf)
    frontier = np.unique(np.asarray(seeds, dtype=np.int64))
    if frontier.size == 0:
        return level
    level[frontier] = 0
    adj = w.tocsr()
    depth = 0
    while frontier.size:
        depth += 1
        starts, ends = adj.indptr[frontier], adj.indptr[frontier + 1]
        reach = np.concatenate([adj.indices[a:b] for a, b in zip(starts, ends, strict=True)])
        reach = np.unique(reach)
        frontier = reach[np.isinf(level[reach])]
        level[frontier] = depth
    return level


def propagate_levels(w, seeds, damping=0.85, floor=1.0, out_strength=None, max_share=1.0):
    """Return trust flowing outward from the seeds, level by level, without recirculation.

    People are levelled by hop distance from the seeds (:func:`levels_from`). Trust moves
    only from one level to the next (``g_dag``), as in Advogato's flow by distance, so a
    region cannot feed trust back to the accounts that let it in; then one extra step along
    edges inside a level adds what peers at the same distance say (``g``). Each person passes
    ``damping * g_dag(u) * w(u, v) / max(out(u), floor)``, with ``out(u)`` *all* of u's
    vouching, so the trust entering a region is bounded by the edges into it.

    Parameters
    ----------
    w : scipy.sparse.csr_array, shape (n, n)
        Non-negative vouching weights.
    seeds : array_like of int
        The seeds (trust 1).
    damping : float, optional
        Share of trust passed on, in [0, 1).
    floor : float, optional
        Least divisor of a person's vouching.
    out_strength : ndarray, optional
        Row sums of ``w`` (computed if not given).
    max_share : float, optional
        The most of their trust anyone passes to one person (one vote per pair).

    Returns
    -------
    g : ndarray, shape (n,)
        Trust in [0, 1]; 1 on seeds, 0 where no vouching path leads.
    g_dag : ndarray, shape (n,)
        The level-to-level part of ``g``.
    level : ndarray, shape (n,)
        Hop distance from the seeds (inf if unreachable).

    References
    ----------
    .. [1] R. Levien, "Attack-resistant trust metrics", 2009 (Advogato).
    .. [2] Cao et al., "Aiding the detection of fake accounts...", NSDI 2012 (SybilRank).
    """
    n = w.shape[0]
    out = np.asarray(w.sum(axis=1)).ravel() if out_strength is None else out_strength
    level = levels_from(w, seeds)
    coo = w.tocoo()
    u, v, x = coo.row, coo.col, coo.data * (1.0 / np.maximum(out, floor))[coo.row]
    x = np.minimum(x, max_share)
    fwd = level[v] == level[u] + 1
    same = (level[v] == level[u]) & np.isfinite(level[u])
    seed_mask = np.zeros(n, dtype=bool)
    seed_mask[np.asarray(seeds, dtype=np.int64)] = True
    g_dag = seed_mask.astype(np.float64)
    finite = level[np.isfinite(level)]
    order = np.argsort(level[u[fwd]], kind="stable")
    fu, fv, fx = u[fwd][order], v[fwd][order], x[fwd][order]
    bounds = np.searchsorted(level[fu], np.arange(int(finite.max(initial=0)) + 2))
    for depth in range(bounds.size - 1):
        a, b = bounds[depth], bounds[depth + 1]
        if a == b:
            continue
        arriving = np.bincount(fv[a:b], weights=g_dag[fu[a:b]] * fx[a:b], minlength=n)
        targets = np.unique(fv[a:b])
        g_dag[targets] = np.minimum(1.0, damping * arriving[targets])
        g_dag[seed_mask] = 1.0
    peers = np.bincount(v[same], weights=g_dag[u[same]] * x[same], minlength=n)
    g = np.minimum(1.0, g_dag + damping * peers)
    g[seed_mask] = 1.0
    return g, g_dag, level


def _propagate_levels_reference(edges, n, seeds, damping=0.85, floor=1.0, max_share=1.0):
    """Plain-Python level-by-level propagation over ``{(u, v): weight}``."""
    out = [0.0] * n
    for (a, _), x in edges.items():
        out[a] += x
    level = [None] * n
    for s in seeds:
        level[s] = 0
    frontier, depth = list(seeds), 0
    while frontier:
        depth += 1
        nxt = []
        for a, b in edges:
            if a in frontier and level[b] is None:
                level[b] = depth
                nxt.append(b)
        frontier = nxt
    g_dag = [1.0 if i in seeds else 0.0 for i in range(n)]
    for d in range(1, depth + 1):
        for b in range(n):
            if level[b] == d and b not in seeds:
                total = sum(
                    g_dag[a] * min(x / max(out[a], floor), max_share)
                    for (a, c), x in edges.items()
                    if c == b and level[a] == d - 1
                )
                g_dag[b] = min(1.0, damping * total)
    g = []
    for b in range(n):
        if b in seeds:
            g.append(1.0)
            continue
        peers = sum(
            g_dag[a] * min(x / max(out[a], floor), max_share)
            for (a, c), x in edges.items()
            if c == b and level[a] is not None and level[a] == level[b]
        )
        g.append(min(1.0, g_dag[b] + damping * peers))
    return g, g_dag, level
