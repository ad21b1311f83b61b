"""Suspected rings: groups of accounts that mostly praise each other.

Pure numpy/scipy, no Django: praise events (thanks, credits, ratings) as two arrays of person
numbers in, groups out. A group is people linked by *mutual* praise (each of a pair praised the
other); it is suspicious when most of the praise its members received came from inside it.
"""

from dataclasses import dataclass

import numpy as np
import scipy as sp


@dataclass(frozen=True)
class Ring:
    """One suspected ring: its members and how much of their praise came from each other."""

    members: tuple[int, ...]
    internal: int  # praise events from one member to another
    received: int  # praise events received by members from anyone
    outside: int  # praise events received by members from people outside the ring

    @property
    def share(self) -> float:
        """Return the share of the praise members received that came from other members."""
        return self.internal / self.received if self.received else 0.0


def find_rings(
    actor: np.ndarray,
    subject: np.ndarray,
    n_people: int,
    *,
    min_size: int = 3,
    min_share: float = 0.8,
    min_internal: int = 6,
) -> list[Ring]:
    """Find groups of people who mostly praise each other.

    Parameters
    ----------
    actor, subject : array of int
        One entry per praise event: who praised (``actor``) whom (``subject``), as numbers in
        ``[0, n_people)``. Self-praise is ignored.
    n_people : int
        How many people there are.
    min_size : int
        The smallest group reported.
    min_share : float
        The smallest share of the members' received praise that must come from inside.
    min_internal : int
        The fewest praise events among members for a group to be reported.

    Returns
    -------
    list of Ring
        Most internal praise first; members in increasing order.

    References
    ----------
    Connected components of the reciprocal praise graph, as in collusion detection on rating
    graphs: Lim et al., "Detecting product review spammers using rating behaviors", CIKM 2010.
    """
    actor = np.asarray(actor, dtype=np.int64)
    subject = np.asarray(subject, dtype=np.int64)
    keep = actor != subject
    actor, subject = actor[keep], subject[keep]
    if n_people == 0 or actor.size == 0:
        return []
    ones = np.ones(actor.size, dtype=np.int64)
    praise = sp.sparse.coo_array((ones, (actor, subject)), shape=(n_people, n_people)).tocsr()
    given = praise > 0
    mutual = given.multiply(given.T)
    _, label = sp.sparse.csgraph.connected_components(mutual, directed=False)
    size = np.bincount(label, minlength=label.max() + 1)
    inside = label[actor] == label[subject]
    internal = np.bincount(label[subject][inside], minlength=size.size)
    received = np.bincount(label[subject], minlength=size.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(received > 0, internal / np.maximum(received, 1), 0.0)
    chosen = np.flatnonzero((size >= min_size) & (internal >= min_internal) & (share >= min_share))
    order = np.argsort(label, kind="stable")
    starts = np.searchsorted(label[order], chosen)
    rings = [
        Ring(
            members=tuple(int(p) for p in order[start : start + size[c]]),
            internal=int(internal[c]),
            received=int(received[c]),
            outside=int(received[c] - internal[c]),
        )
        for c, start in zip(chosen, starts, strict=True)
    ]
    rings.sort(key=lambda r: (-r.internal, r.members))
    return rings


def find_rings_reference(
    actor: list[int],
    subject: list[int],
    n_people: int,
    *,
    min_size: int = 3,
    min_share: float = 0.8,
    min_internal: int = 6,
) -> list[Ring]:
    """Return what :func:`find_rings` returns, in plain Python (slow; for tests)."""
    pairs = [(a, s) for a, s in zip(actor, subject, strict=True) if a != s]
    praised = {(a, s) for a, s in pairs}
    neighbours: dict[int, set[int]] = {p: set() for p in range(n_people)}
    for a, s in praised:
        if (s, a) in praised:
            neighbours[a].add(s)
            neighbours[s].add(a)
    seen: set[int] = set()
    rings = []
    for start in range(n_people):
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
        internal = sum(1 for a, s in pairs if a in group and s in group)
        received = sum(1 for _, s in pairs if s in group)
        share = internal / received if received else 0.0
        if len(group) >= min_size and internal >= min_internal and share >= min_share:
            rings.append(Ring(tuple(sorted(group)), internal, received, received - internal))
    rings.sort(key=lambda r: (-r.internal, r.members))
    return rings
