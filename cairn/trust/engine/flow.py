"""Advogato-style network-flow trust: who is accepted, and at which level.

Levien's metric gives each person a capacity by their distance from the seeds (800 for the
seeds, then 200, 50, 12, 4, 2, 1 further out), splits each person ``x`` into ``x-`` and ``x+``
joined by an edge of capacity ``capacity(x) - 1``, gives every ``x-`` an edge of capacity 1 to a
common sink, and every certificate ``x -> y`` an edge ``x+ -> y-`` of unbounded capacity. A
maximum flow from the seeds to the sink accepts the people whose unit edge to the sink carries
flow. However many accounts an attacker creates, the flow into them is bounded by the capacity
of the few real people who certified them.

Levels (Apprentice, Journeyer, Master) run the metric once per level on the certificates of at
least that level; a person's level is the highest one that accepts them.

References
----------
.. [1] R. Levien, "Attack-resistant trust metrics", PhD thesis, UC Berkeley, 2004 (draft
   2002), chapter on the network-flow metric.
.. [2] R. Levien, A. Aiken, "Attack-resistant trust metrics for public key certification",
   USENIX Security 1998.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import scipy as sp
import scipy.sparse.csgraph  # noqa: F401  (makes sp.sparse.csgraph available)

__all__ = [
    "ADVOGATO_CAPACITIES",
    "ADVOGATO_LEVELS",
    "accepted",
    "capacities",
    "levels",
]

ADVOGATO_CAPACITIES = (800, 200, 50, 12, 4, 2, 1)
ADVOGATO_LEVELS = ("Observer", "Apprentice", "Journeyer", "Master")


def _check(src, dst, n, seeds):
    src = np.asarray(src, dtype=np.int64).ravel()
    dst = np.asarray(dst, dtype=np.int64).ravel()
    seeds = np.unique(np.asarray(seeds, dtype=np.int64).ravel())
    if src.shape != dst.shape:
        raise ValueError("src and dst must have the same length")
    for name, a in (("src", src), ("dst", dst), ("seeds", seeds)):
        if a.size and (a.min() < 0 or a.max() >= n):
            raise ValueError(f"{name} must be people numbered 0 .. n-1")
    keep = src != dst
    return src[keep], dst[keep], seeds


def capacities(src, dst, n, seeds, caps=ADVOGATO_CAPACITIES):
    """Return each person's capacity from their certificate distance to the nearest seed.

    Parameters
    ----------
    src, dst : array_like of int
        Certifier and certified person of each certificate, in ``0 .. n-1``.
    n : int
        Number of people.
    seeds : array_like of int
        The seed people (distance 0).
    caps : sequence of int, optional
        Capacity at distance 0, 1, 2, ...; the last value applies to every greater distance.

    Returns
    -------
    ndarray of int64, shape (n,)
        Capacity; 0 for people no chain of certificates reaches from a seed.

    References
    ----------
    .. [1] Levien, "Attack-resistant trust metrics", 2004.
    """
    src, dst, seeds = _check(src, dst, n, seeds)
    out = np.zeros(n, dtype=np.int64)
    if seeds.size == 0:
        return out
    graph = sp.sparse.csr_array((np.ones(src.size), (src, dst)), shape=(n, n))
    dist = sp.sparse.csgraph.shortest_path(graph, unweighted=True, indices=seeds).min(axis=0)
    reached = np.isfinite(dist)
    steps = np.minimum(dist[reached], len(caps) - 1).astype(np.int64)
    out[reached] = np.asarray(caps, dtype=np.int64)[steps]
    return out


def _capacities_reference(src, dst, n, seeds, caps=ADVOGATO_CAPACITIES):
    """Plain-Python breadth-first search version of :func:`capacities`."""
    out_edges = {}
    for u, v in zip(src, dst, strict=True):
        if u != v:
            out_edges.setdefault(int(u), []).append(int(v))
    dist = {int(s): 0 for s in seeds}
    queue = deque(dist)
    while queue:
        u = queue.popleft()
        for v in out_edges.get(u, []):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return [caps[min(dist[x], len(caps) - 1)] if x in dist else 0 for x in range(n)]


def accepted(src, dst, n, seeds, caps=ADVOGATO_CAPACITIES):
    """Return who the network-flow trust metric accepts.

    Parameters
    ----------
    src, dst, n, seeds, caps
        As for :func:`capacities`.

    Returns
    -------
    ndarray of bool, shape (n,)
        True for people whose unit edge to the sink carries flow in a maximum flow. The number
        accepted is the (unique) maximum flow value; which people at the margin are accepted
        can depend on the maximum flow found, as in every implementation of the metric.

    References
    ----------
    .. [1] Levien, "Attack-resistant trust metrics", 2004.
    """
    src, dst, seeds = _check(src, dst, n, seeds)
    cap = capacities(src, dst, n, seeds, caps)
    if seeds.size == 0:
        return np.zeros(n, dtype=bool)
    source, sink = 2 * n, 2 * n + 1
    reached = np.flatnonzero(cap > 0)
    big = int(cap.sum()) + 1
    live = (cap[src] > 0) & (cap[dst] > 0)
    pass_on = reached[cap[reached] > 1]
    rows = np.concatenate([np.full(seeds.size, source), pass_on, reached, n + src[live]])
    cols = np.concatenate([seeds, n + pass_on, np.full(reached.size, sink), dst[live]])
    data = np.concatenate(
        [cap[seeds], cap[pass_on] - 1, np.ones(reached.size), np.full(int(live.sum()), big)]
    ).astype(np.int32)
    graph = sp.sparse.csr_array((data, (rows, cols)), shape=(2 * n + 2, 2 * n + 2))
    graph.sum_duplicates()
    # Duplicate certificates add up; keep them unbounded but inside int32.
    graph.data = np.minimum(graph.data, big).astype(np.int32)
    flow = sp.sparse.csgraph.maximum_flow(graph, source, sink).flow.tocsr()
    to_sink = np.asarray(flow[np.arange(n), np.full(n, sink)]).ravel()
    return to_sink > 0


def _accepted_reference(src, dst, n, seeds, caps=ADVOGATO_CAPACITIES):
    """Plain-Python Edmonds-Karp on the node-split graph; returns (accepted set, flow value)."""
    cap = _capacities_reference(src, dst, n, seeds, caps)
    big = sum(cap) + 1
    residual: dict = {}

    def add(a, b, c):
        residual.setdefault(a, {}).setdefault(b, 0)
        residual[a][b] += c
        residual.setdefault(b, {}).setdefault(a, 0)

    source, sink = "source", "sink"
    for s in {int(s) for s in seeds}:
        add(source, ("-", s), cap[s])
    for x in range(n):
        if cap[x] > 0:
            add(("-", x), ("+", x), cap[x] - 1)
            add(("-", x), sink, 1)
    for u, v in zip(src, dst, strict=True):
        if u != v and cap[int(u)] > 0 and cap[int(v)] > 0:
            add(("+", int(u)), ("-", int(v)), big)
    original = {a: dict(b) for a, b in residual.items()}
    total = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            a = queue.popleft()
            for b, c in residual.get(a, {}).items():
                if c > 0 and b not in parent:
                    parent[b] = a
                    queue.append(b)
        if sink not in parent:
            break
        path, b = [], sink
        while parent[b] is not None:
            path.append((parent[b], b))
            b = parent[b]
        push = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= push
            residual[b][a] += push
        total += push
    chosen = {
        x for x in range(n) if cap[x] > 0 and residual[("-", x)][sink] < original[("-", x)][sink]
    }
    return chosen, total


def levels(src, dst, level, n, seeds, caps=ADVOGATO_CAPACITIES, n_levels=3):
    """Return each person's certification level, Advogato style.

    Parameters
    ----------
    src, dst : array_like of int
        Certifier and certified person of each certificate, in ``0 .. n-1``.
    level : array_like of int
        Level of each certificate, 1 .. ``n_levels`` (Advogato: 1 Apprentice, 2 Journeyer,
        3 Master).
    n : int
        Number of people.
    seeds : array_like of int
        The seed people; they are accepted at every level.
    caps : sequence of int, optional
        Capacity by distance from the seeds.
    n_levels : int, optional
        Number of levels.

    Returns
    -------
    ndarray of int64, shape (n,)
        0 for people accepted at no level (Observer), else the highest level ``L`` at which the
        metric, run on the certificates of level ``L`` or above, accepts them.

    References
    ----------
    .. [1] Levien, "Advogato's trust metric", advogato.org/trust-metric.html.
    """
    src = np.asarray(src, dtype=np.int64).ravel()
    dst = np.asarray(dst, dtype=np.int64).ravel()
    level = np.asarray(level, dtype=np.int64).ravel()
    out = np.zeros(n, dtype=np.int64)
    for at in range(1, n_levels + 1):
        keep = level >= at
        out[accepted(src[keep], dst[keep], n, seeds, caps)] = at
    return out
