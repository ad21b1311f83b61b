"""Pure detection of gamed praise over event arrays (numpy/scipy only, no Django).

Three patterns, each with a plain-Python reference beside it for the tests:

- :func:`serial` — more than ``limit`` events from one actor to one subject (of one kind) within
  any window of ``window`` seconds: the excess is flagged.
- :func:`bursts` — more than ``limit`` events from one actor (to anyone) within ``window``.
- :func:`rings` — groups of at least ``min_size`` accounts joined by reciprocated praise, whose
  praise comes mostly from each other (little outside evidence).
"""

from collections import defaultdict

import numpy as np
import scipy as sp


def _excess_in_window(group: np.ndarray, time: np.ndarray, window: float, limit: int) -> np.ndarray:
    """Return a mask of the events beyond the first ``limit`` of their group in any window."""
    n = len(time)
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((time, group))
    g = group[order].astype(np.float64)
    t = time[order] - time.min()
    span = float(t.max()) + window + 1.0
    key = g * span + t
    start = np.searchsorted(key, key - window, side="right")
    rank = np.arange(n) - start + 1
    mask = np.zeros(n, dtype=bool)
    mask[order] = rank > limit
    return mask


def serial(
    actor: np.ndarray,
    subject: np.ndarray,
    kind: np.ndarray,
    time: np.ndarray,
    *,
    window: float = 86400.0,
    limit: int = 3,
) -> np.ndarray:
    """Flag serial praise: events beyond ``limit`` from one person to one person in a window.

    Parameters
    ----------
    actor, subject, kind : ndarray of int, shape (n,)
        Who gave, who received, and an integer code of the kind (thanked, credited, rated).
    time : ndarray of float, shape (n,)
        Unix seconds.
    window : float
        The window length in seconds (a rolling day by default).
    limit : int
        How many events of one kind from one person to one person a window may hold.

    Returns
    -------
    ndarray of bool, shape (n,)
        True for each event beyond the limit (the earliest ``limit`` in any window stay).
    """
    actor, subject, kind = (np.asarray(a, dtype=np.int64) for a in (actor, subject, kind))
    if len(actor) == 0:
        return np.zeros(0, dtype=bool)
    triples = np.stack([actor, subject, kind], axis=1)
    _, group = np.unique(triples, axis=0, return_inverse=True)
    return _excess_in_window(group.ravel(), np.asarray(time, dtype=np.float64), window, limit)


def serial_reference(actor, subject, kind, time, *, window=86400.0, limit=3) -> list[bool]:
    """Return :func:`serial`'s answer the slow, obvious way."""
    out = [False] * len(actor)
    for i in range(len(actor)):
        # Rank of i among its group's events in the window ending at i (ties by position).
        earlier = sum(
            1
            for j in range(len(actor))
            if (actor[j], subject[j], kind[j]) == (actor[i], subject[i], kind[i])
            and time[i] - window < time[j] <= time[i]
            and (time[j] < time[i] or (time[j] == time[i] and j < i))
        )
        out[i] = earlier + 1 > limit
    return out


def bursts(actor: np.ndarray, time: np.ndarray, *, window: float = 3600.0, limit: int = 20):
    """Flag bursts: events beyond ``limit`` from one person (to anyone) within ``window``.

    Parameters
    ----------
    actor : ndarray of int, shape (n,)
    time : ndarray of float, shape (n,)
    window : float
        Seconds (an hour by default).
    limit : int

    Returns
    -------
    ndarray of bool, shape (n,)
    """
    return _excess_in_window(
        np.asarray(actor, dtype=np.int64), np.asarray(time, dtype=np.float64), window, limit
    )


def bursts_reference(actor, time, *, window=3600.0, limit=20) -> list[bool]:
    """Return :func:`bursts`'s answer the slow, obvious way."""
    return serial_reference(
        actor, [0] * len(actor), [0] * len(actor), time, window=window, limit=limit
    )


def rings(
    actor: np.ndarray,
    subject: np.ndarray,
    n_people: int,
    *,
    min_size: int = 3,
    min_insularity: float = 0.8,
    max_outside: int = 3,
) -> list[list[int]]:
    """Find mutual-praise rings among accounts with little outside evidence.

    Parameters
    ----------
    actor, subject : ndarray of int, shape (n,)
        Positive events (thanks, credits, good ratings) from ``actor`` to ``subject``, people
        numbered 0 .. n_people - 1.
    n_people : int
    min_size : int
        The fewest accounts that make a ring.
    min_insularity : float
        The least share of the praise the members receive that must come from inside.
    max_outside : int
        The most distinct outside people who praised any member.

    Returns
    -------
    list of list of int
        Each ring's members, sorted; rings sorted by their first member.

    References
    ----------
    Reciprocated edges, then connected components (``scipy.sparse.csgraph``).
    """
    actor = np.asarray(actor, dtype=np.int64)
    subject = np.asarray(subject, dtype=np.int64)
    if len(actor) == 0:
        return []
    ones = np.ones(len(actor))
    praise = sp.sparse.coo_array((ones, (actor, subject)), shape=(n_people, n_people)).tocsr()
    praise.setdiag(0)
    praise.eliminate_zeros()
    given = (praise > 0).astype(np.int8)
    mutual = given.multiply(given.T).tocsr()
    _, label = sp.sparse.csgraph.connected_components(mutual, directed=False)
    mutual_degree = np.asarray(mutual.sum(axis=1)).ravel()
    found = []
    for component in np.unique(label[mutual_degree > 0]):
        members = np.flatnonzero(label == component)
        if len(members) < min_size:
            continue
        received = praise[:, members]
        inside = float(received[members, :].sum())
        total = float(received.sum())
        outside_people = np.setdiff1d(received.tocoo().row, members)
        if total and inside / total >= min_insularity and len(outside_people) <= max_outside:
            found.append(sorted(int(m) for m in members))
    return sorted(found)


def rings_reference(actor, subject, n_people, *, min_size=3, min_insularity=0.8, max_outside=3):
    """Return :func:`rings`'s answer the slow, obvious way."""
    edges = defaultdict(int)
    for a, s in zip(actor, subject, strict=True):
        if a != s:
            edges[(a, s)] += 1
    neighbours = defaultdict(set)
    for a, s in edges:
        if (s, a) in edges:
            neighbours[a].add(s)
    seen: set[int] = set()
    found = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            p = todo.pop()
            if p in group:
                continue
            group.add(p)
            todo.extend(neighbours[p] - group)
        seen |= group
        if len(group) < min_size:
            continue
        inside = sum(c for (a, s), c in edges.items() if s in group and a in group)
        total = sum(c for (a, s), c in edges.items() if s in group)
        outside = {a for (a, s) in edges if s in group and a not in group}
        if total and inside / total >= min_insularity and len(outside) <= max_outside:
            found.append(sorted(group))
    return sorted(found)
