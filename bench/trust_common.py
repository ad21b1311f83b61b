"""Shared helpers of the trust benchmarks: simulated communities and baseline trust metrics."""

from __future__ import annotations

import time

import numpy as np
import scipy as sp

from cairn.demo.simulator import Simulation
from cairn.trust.engine import Events, events_from_arrays
from cairn.trust.engine.events import CREDITED, KEPT, RATED, THANKED


def engine_events(sim: Simulation) -> Events:
    """Return the simulation's events as engine :class:`Events`."""
    return events_from_arrays(sim.people, sim.actor, sim.subject, sim.kind, sim.time, sim.value)


def to_sim_order(events: Events, sim: Simulation, scores: np.ndarray) -> np.ndarray:
    """Return ``scores`` (engine numbering) in the simulation's numbering (0 for absent)."""
    idx = np.array([events.index(p) for p in sim.people])
    return np.where(idx >= 0, scores[np.maximum(idx, 0)], 0.0)


def active_members(sim: Simulation, min_events: int = 20) -> np.ndarray:
    """Return the mask of honest members with at least ``min_events`` events."""
    n = len(sim.people)
    subj = sim.subject[sim.subject >= 0]
    count = np.bincount(sim.actor, minlength=n) + np.bincount(subj, minlength=n)
    return (count >= min_events) & ~sim.attacker


def positive_graph(events: Events) -> sp.sparse.csr_array:
    """Return the raw positive-interaction graph (counts of thanks, credits, kept, good ratings)."""
    k = events.kind
    pos = np.isin(k, [THANKED, CREDITED, KEPT]) | ((k == RATED) & (events.value > 0))
    pos &= (events.subject >= 0) & (events.actor != events.subject)
    n = events.n_people
    g = sp.sparse.csr_array(
        (np.ones(int(pos.sum())), (events.actor[pos], events.subject[pos])), shape=(n, n)
    )
    g.sum_duplicates()
    return g


def _row_normalise(w):
    out = np.asarray(w.sum(axis=1)).ravel()
    return sp.sparse.diags_array(1.0 / np.maximum(out, 1e-12)) @ w


def pagerank(w, alpha=0.85, restart=None, tol=1e-10, max_iter=1000) -> np.ndarray:
    """Return (personalised) PageRank on weighted graph ``w``; dangling mass restarts."""
    n = w.shape[0]
    p = _row_normalise(w).T.tocsr()
    dangling = np.asarray(w.sum(axis=1)).ravel() == 0
    r = np.full(n, 1.0 / n) if restart is None else restart / restart.sum()
    x = r.copy()
    for _ in range(max_iter):
        x_new = alpha * (p @ x + x[dangling].sum() * r) + (1 - alpha) * r
        if np.abs(x_new - x).sum() < tol:
            return x_new
        x = x_new
    return x


def eigentrust(w, seeds, alpha=0.85) -> np.ndarray:
    """Return EigenTrust with pre-trusted peers: PageRank restarting at the seeds."""
    restart = np.zeros(w.shape[0])
    restart[seeds] = 1.0
    return pagerank(w, alpha, restart)


def sybilrank(w, seeds) -> np.ndarray:
    """Return SybilRank: early-terminated (log2 n steps) seed walk, divided by degree."""
    n = w.shape[0]
    und = ((w + w.T) > 0).astype(np.float64).tocsr()
    deg = np.asarray(und.sum(axis=1)).ravel()
    p = (sp.sparse.diags_array(1.0 / np.maximum(deg, 1)) @ und).T.tocsr()
    x = np.zeros(n)
    x[seeds] = 1.0 / len(seeds)
    for _ in range(int(np.ceil(np.log2(max(n, 2))))):
        x = p @ x
    return x / np.maximum(deg, 1)


def naive_counts(events: Events) -> dict[str, np.ndarray]:
    """Return naive scores: thanks received and mean rating received."""
    n = events.n_people
    t = events.kind == THANKED
    thanks = np.bincount(events.subject[t], minlength=n).astype(np.float64)
    r = events.kind == RATED
    total = np.bincount(events.subject[r], weights=events.value[r], minlength=n)
    count = np.bincount(events.subject[r], minlength=n)
    return {"thanks received": thanks, "mean rating": np.where(count > 0, total / count, 0.0)}


def baselines(events: Events, seeds) -> dict[str, np.ndarray]:
    """Return every baseline's scores (engine numbering)."""
    w = positive_graph(events)
    out = {
        "PageRank": pagerank(w),
        "EigenTrust (pre-trusted = seeds)": eigentrust(w, seeds),
        "SybilRank": sybilrank(w, seeds),
    }
    out.update(naive_counts(events))
    return out


def percentile_of(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Return the percentile (0-100) of each value within ``among``."""
    among = np.sort(among)
    return 100.0 * np.searchsorted(among, values, side="right") / max(among.size, 1)


def median_time(fn, repeats: int) -> tuple[float, object]:
    """Return the median wall time of ``fn()`` over ``repeats`` runs, and its last result."""
    times, out = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), out
