"""Optimal assignment of mentees to mentors under capacities and hard constraints.

Two objectives, both matching as many mentees as the constraints allow:

``total``
    Maximise the summed compatibility of the matched pairs. Each mentor with capacity ``c``
    becomes ``c`` identical slots and `scipy.optimize.linear_sum_assignment` solves the
    rectangular assignment; forbidden pairs carry a penalty larger than any possible gain, so
    the number of allowed pairs used is maximised first.
``fair``
    Maximise the compatibility of the worst-matched mentee, then the total. A bottleneck
    search: binary search over the distinct compatibility values for the largest threshold
    at which a maximum-flow (source -> mentee -> mentor -> sink, mentor arcs carrying the
    capacities) still matches as many mentees as the ``total`` solution; then the ``total``
    problem restricted to pairs at or above that threshold.

Greedy and random baselines and a brute-force reference (for tiny instances) are here too.

References
----------
.. [1] Crouse, D. F. "On implementing 2D rectangular assignment algorithms", IEEE Transactions
   on Aerospace and Electronic Systems 52(4), 2016.
.. [2] Garfinkel, R. S. "An improved algorithm for the bottleneck assignment problem",
   Operations Research 19(7), 1971.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import scipy as sp

__all__ = [
    "OBJECTIVES",
    "InfeasibleAssignment",
    "Assignment",
    "assign",
    "assign_both",
    "greedy_assign",
    "random_assign",
    "reference_assign",
    "evaluate",
]

OBJECTIVES = ("total", "fair")
UNMATCHED = -1


class InfeasibleAssignment(ValueError):
    """Raised when no mentee at all can be matched (no allowed pair with free capacity)."""


@dataclass(frozen=True)
class Assignment:
    """A mentor for each mentee (``-1`` for unmatched) and its quality figures."""

    mentor: np.ndarray
    total: float
    worst: float
    matched: int

    def pairs(self) -> list[tuple[int, int]]:
        """Return the matched (mentee, mentor) index pairs."""
        return [(i, int(j)) for i, j in enumerate(self.mentor) if j != UNMATCHED]


def _check(compat: np.ndarray, capacity: np.ndarray, allowed: np.ndarray | None):
    compat = np.asarray(compat, dtype=np.float64)
    if compat.ndim != 2:
        raise ValueError("compat must be a 2-D array (mentees x mentors)")
    capacity = np.asarray(capacity, dtype=np.int64)
    if capacity.shape != (compat.shape[1],):
        raise ValueError("capacity must have one entry per mentor")
    if (capacity < 0).any():
        raise ValueError("capacities must be non-negative")
    if not np.isfinite(compat).all():
        raise ValueError("compat must be finite")
    if allowed is None:
        allowed = np.ones(compat.shape, dtype=bool)
    allowed = np.asarray(allowed, dtype=bool)
    if allowed.shape != compat.shape:
        raise ValueError("allowed must have the shape of compat")
    return compat, capacity, allowed & (capacity > 0)[None, :]


def evaluate(compat: np.ndarray, mentor: np.ndarray) -> Assignment:
    """Return an `Assignment` for a mentor vector, with its total, worst and matched count."""
    mentor = np.asarray(mentor, dtype=np.int64)
    rows = np.flatnonzero(mentor != UNMATCHED)
    vals = np.asarray(compat)[rows, mentor[rows]]
    return Assignment(
        mentor=mentor,
        total=float(vals.sum()),
        worst=float(vals.min()) if len(vals) else float("nan"),
        matched=len(rows),
    )


def _solve_total(compat, capacity, allowed) -> np.ndarray:
    n, m = compat.shape
    slots = np.repeat(np.arange(m), np.minimum(capacity, n))
    if len(slots) == 0:
        return np.full(n, UNMATCHED)
    span = float(compat.max() - compat.min()) if compat.size else 0.0
    penalty = (span + 1.0) * (n + 1)
    cost = np.where(allowed[:, slots], -compat[:, slots], penalty)
    rows, cols = sp.optimize.linear_sum_assignment(cost)
    mentor = np.full(n, UNMATCHED)
    ok = allowed[rows, slots[cols]]
    mentor[rows[ok]] = slots[cols[ok]]
    return mentor


def _max_matched(allowed: np.ndarray, capacity: np.ndarray) -> int:
    """Return how many mentees can be matched using only ``allowed`` pairs (a maximum flow)."""
    n, m = allowed.shape
    src, sink = n + m, n + m + 1
    ei, ej = np.nonzero(allowed)
    tails = np.concatenate([np.full(n, src), ei, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + ej, np.full(m, sink)])
    caps = np.concatenate([np.ones(n), np.ones(len(ei)), np.minimum(capacity, n)]).astype(np.int32)
    graph = sp.sparse.csr_array((caps, (tails, heads)), shape=(n + m + 2, n + m + 2))
    return int(sp.sparse.csgraph.maximum_flow(graph, src, sink).flow_value)


def assign(
    compat: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray | None = None,
    objective: str = "total",
) -> Assignment:
    """Assign mentees to mentors optimally.

    Parameters
    ----------
    compat : ndarray, shape (n_mentees, n_mentors)
        Compatibility of each pair; higher is better (any finite values).
    capacity : ndarray of int, shape (n_mentors,)
        How many mentees each mentor can take.
    allowed : ndarray of bool, shape (n_mentees, n_mentors), optional
        False for pairs that must not be matched (exclusions, department rules).
    objective : {"total", "fair"}
        Maximise the summed compatibility, or the worst matched mentee's compatibility first
        (then the total). Both first maximise the number of matched mentees.

    Returns
    -------
    Assignment

    Raises
    ------
    InfeasibleAssignment
        If there are mentees but no allowed pair at all.
    ValueError
        If the inputs are malformed or the objective unknown.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    compat, capacity, allowed = _check(compat, capacity, allowed)
    n = compat.shape[0]
    if n == 0:
        return evaluate(compat, np.zeros(0, dtype=np.int64))
    if not allowed.any():
        raise InfeasibleAssignment(
            "no mentee can be matched: every pair is excluded or every mentor is full"
        )
    best_total = _solve_total(compat, capacity, allowed)
    if objective == "total":
        return evaluate(compat, best_total)
    return _fair_from(compat, capacity, allowed, best_total)


def _fair_from(compat, capacity, allowed, best_total: np.ndarray) -> Assignment:
    """Return the fair assignment, given the total objective's solution."""
    target = int((best_total != UNMATCHED).sum())
    # The worst pair can be no worse than the total solution's worst pair; search the distinct
    # values above it for the largest threshold that still matches as many mentees.
    low = evaluate(compat, best_total).worst
    values = np.unique(compat[allowed])
    values = values[values >= low]
    lo, hi = 0, len(values) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _max_matched(allowed & (compat >= values[mid]), capacity) >= target:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return evaluate(compat, best_total)
    return evaluate(compat, _solve_total(compat, capacity, allowed & (compat >= values[lo])))


def assign_both(
    compat: np.ndarray, capacity: np.ndarray, allowed: np.ndarray | None = None
) -> dict[str, Assignment]:
    """Return the ``"total"`` and ``"fair"`` assignments, sharing the work they have in common.

    Same parameters and exceptions as `assign`; cheaper than calling it twice.
    """
    compat, capacity, allowed = _check(compat, capacity, allowed)
    if compat.shape[0] == 0:
        empty = evaluate(compat, np.zeros(0, dtype=np.int64))
        return {"total": empty, "fair": empty}
    if not allowed.any():
        raise InfeasibleAssignment(
            "no mentee can be matched: every pair is excluded or every mentor is full"
        )
    best_total = _solve_total(compat, capacity, allowed)
    return {
        "total": evaluate(compat, best_total),
        "fair": _fair_from(compat, capacity, allowed, best_total),
    }


def greedy_assign(
    compat: np.ndarray, capacity: np.ndarray, allowed: np.ndarray | None = None
) -> Assignment:
    """Baseline: take the best remaining allowed pair until no more pair fits."""
    compat, capacity, allowed = _check(compat, capacity, allowed)
    n = compat.shape[0]
    left = capacity.copy()
    mentor = np.full(n, UNMATCHED)
    ii, jj = np.nonzero(allowed)
    for k in np.argsort(-compat[ii, jj], kind="stable"):
        i, j = ii[k], jj[k]
        if mentor[i] == UNMATCHED and left[j] > 0:
            mentor[i] = j
            left[j] -= 1
    return evaluate(compat, mentor)


def random_assign(
    compat: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> Assignment:
    """Baseline: mentees in random order each take a random allowed mentor with a free slot."""
    compat, capacity, allowed = _check(compat, capacity, allowed)
    rng = rng or np.random.default_rng(0)
    left = capacity.copy()
    mentor = np.full(compat.shape[0], UNMATCHED)
    for i in rng.permutation(compat.shape[0]):
        options = np.flatnonzero(allowed[i] & (left > 0))
        if len(options):
            j = rng.choice(options)
            mentor[i] = j
            left[j] -= 1
    return evaluate(compat, mentor)


def reference_assign(
    compat: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray | None = None,
    objective: str = "total",
) -> Assignment:
    """Brute force over every assignment: the slow reference for `assign` (tiny inputs only).

    Ranks assignments by (matched, total) for ``"total"`` and by (matched, worst, total) for
    ``"fair"``.
    """
    compat, capacity, allowed = _check(compat, capacity, allowed)
    n, m = compat.shape
    best_key, best = None, None
    for choice in itertools.product(range(-1, m), repeat=n):
        counts = [0] * m
        ok = True
        for i, j in enumerate(choice):
            if j >= 0:
                counts[j] += 1
                ok = ok and bool(allowed[i, j]) and counts[j] <= capacity[j]
        if not ok:
            continue
        vals = [float(compat[i, j]) for i, j in enumerate(choice) if j >= 0]
        total, worst = sum(vals), (min(vals) if vals else 0.0)
        key = (len(vals), total) if objective == "total" else (len(vals), worst, total)
        if best_key is None or key > best_key:
            best_key, best = key, choice
    return evaluate(compat, np.array(best, dtype=np.int64))
