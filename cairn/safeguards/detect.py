"""Pure detection of gamed praise over event arrays (numpy/scipy only, no Django).

Three patterns, each with a plain-Python reference beside it for the tests:

- :func:`serial` — more than ``limit`` events from one actor to one subject (of one kind) within
  any window of ``window`` seconds: the excess is flagged.
- :func:`bursts` — more than ``limit`` events from one actor (to anyone) within ``window``.
- :func:`find_rings` — groups of at least ``min_size`` accounts joined by reciprocated praise,
  whose praise comes mostly from each other and from few distinct other people. This is the one
  ring detector: the safeguards store what it finds and the admins' insights show those flags.

:func:`same_ring` says when a ring found again is the one an admin already reviewed.
"""

from collections import defaultdict
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Ring:
    """One suspected ring: its members and where the praise they received came from."""

    members: tuple[int, ...]
    internal: int  # praise events from one member to another
    received: int  # praise events members received from anyone
    outsiders: int  # distinct people outside the ring who praised a member

    @property
    def outside(self) -> int:
        """Return how many praise events members received from outside the ring."""
        return self.received - self.internal


def find_rings(
    actor: np.ndarray,
    subject: np.ndarray,
    n_people: int,
    *,
    min_size: int = 3,
    min_insularity: float = 0.8,
    max_outsiders: int = 3,
) -> list[Ring]:
    """Find mutual-praise rings among accounts with little outside evidence.

    Parameters
    ----------
    actor, subject : ndarray of int, shape (n,)
        Positive events (thanks, credits, good ratings) from ``actor`` to ``subject``, people
        numbered 0 .. n_people - 1. Self-praise is ignored.
    n_people : int
    min_size : int
        The fewest accounts that make a ring.
    min_insularity : float
        The least share of the praise the members receive that must come from inside.
    max_outsiders : int
        The most distinct people outside the ring who praised any member (people, not events:
        one outsider praising often is still one).

    Returns
    -------
    list of Ring
        Members sorted; rings sorted by their members.

    References
    ----------
    Connected components (``scipy.sparse.csgraph``) of the reciprocated praise graph, as in
    collusion detection on rating graphs: Lim et al., "Detecting product review spammers using
    rating behaviors", CIKM 2010.
    """
    actor = np.asarray(actor, dtype=np.int64)
    subject = np.asarray(subject, dtype=np.int64)
    keep = actor != subject
    actor, subject = actor[keep], subject[keep]
    if n_people == 0 or actor.size == 0:
        return []
    ones = np.ones(actor.size, dtype=np.int8)
    given = sp.sparse.coo_array((ones, (actor, subject)), shape=(n_people, n_people)).tocsr() > 0
    mutual = given.multiply(given.T)
    n_groups, label = sp.sparse.csgraph.connected_components(mutual, directed=False)
    size = np.bincount(label, minlength=n_groups)
    group = label[subject]
    inside = label[actor] == group
    internal = np.bincount(group[inside], minlength=n_groups)
    received = np.bincount(group, minlength=n_groups)
    outside_pairs = np.unique(np.stack([group[~inside], actor[~inside]]), axis=1)
    outsiders = np.bincount(outside_pairs[0], minlength=n_groups)
    chosen = np.flatnonzero(
        (size >= min_size)
        & (received > 0)
        & (internal >= min_insularity * received)
        & (outsiders <= max_outsiders)
    )
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], chosen)
    rings = [
        Ring(
            tuple(int(p) for p in order[start : start + size[c]]),
            int(internal[c]),
            int(received[c]),
            int(outsiders[c]),
        )
        for c, start in zip(chosen, starts, strict=True)
    ]
    return sorted(rings, key=lambda r: r.members)


def find_rings_reference(
    actor, subject, n_people, *, min_size=3, min_insularity=0.8, max_outsiders=3
) -> list[Ring]:
    """Return :func:`find_rings`'s answer the slow, obvious way."""
    pairs = [(a, s) for a, s in zip(actor, subject, strict=True) if a != s]
    praised = set(pairs)
    neighbours = defaultdict(set)
    for a, s in praised:
        if (s, a) in praised:
            neighbours[a].add(s)
    seen: set[int] = set()
    found = []
    for start in range(n_people):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            p = todo.pop()
            if p not in group:
                group.add(p)
                todo.extend(neighbours[p] - group)
        seen |= group
        internal = sum(1 for a, s in pairs if a in group and s in group)
        received = sum(1 for _, s in pairs if s in group)
        outsiders = len({a for a, s in pairs if s in group and a not in group})
        if (
            len(group) >= min_size
            and received
            and internal >= min_insularity * received
            and outsiders <= max_outsiders
        ):
            found.append(Ring(tuple(sorted(group)), internal, received, outsiders))
    return sorted(found, key=lambda r: r.members)


#: A ring found again is the reviewed one while more than this share of the people in either
#: are in both (Jaccard similarity): one member more, or one of four replaced, is the same
#: ring; half of it new, or doubled in size, is a material change and is flagged afresh.
SAME_RING = 0.5


def same_ring(members: set[int], reviewed: set[int]) -> bool:
    """Return whether a ring with ``members`` is, materially, the ``reviewed`` ring."""
    union = members | reviewed
    return bool(union) and len(members & reviewed) / len(union) > SAME_RING
