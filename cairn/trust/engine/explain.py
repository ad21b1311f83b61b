"""Why a person has the trust they have, and pairwise trust with the paths behind it.

Everything here is data: which evidence (as :class:`Fact` counts), which people (as ids),
which dimensions (as names). The CLI (``cairn trust explain``) and the pages put it into
words (:mod:`cairn.trust.words`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from . import evidence as evi
from .events import (
    ASKED,
    COMMITTED,
    CREDITED,
    HELPED,
    KEPT,
    LESSON,
    MENTORED,
    MISSED,
    RATED,
    RESPONDED,
    SHARED,
    THANKED,
    UNANSWERED,
    Events,
)
from .graph import propagate_levels
from .model import PRIVILEGE_THRESHOLD, TrustResult, behaviour_quality

__all__ = [
    "DimensionExplanation",
    "Explanation",
    "Fact",
    "PairwiseTrust",
    "Path",
    "explain",
    "pairwise_trust",
]


@dataclass
class Fact:
    """One piece of evidence about a person, as numbers (the product puts it into words).

    ``kind`` names what happened (see :func:`_evidence` for the kinds); ``count`` is how many
    times, ``people`` how many different people were involved, ``value`` a measure that goes
    with it (hours given, the mean rating, the median hours to answer), and ``total`` the
    number ``count`` is out of (commitments confirmed, of which ``count`` were kept).
    """

    kind: str
    count: int = 0
    people: int = 0
    value: float | None = None
    total: int = 0


@dataclass
class DimensionExplanation:
    """One dimension of one person: score, confidence and the evidence behind it."""

    name: str
    score: float
    confidence: float
    evidence: list[Fact]
    known: bool = False
    interval: tuple[float, float] = (0.0, 1.0)
    further: int = -1


@dataclass
class Path:
    """A chain of vouching from the viewer to a person, with its strength in [0, 1]."""

    people: list[str]
    strength: float


@dataclass
class PairwiseTrust:
    """How much ``viewer`` should trust ``person``, in [0, 1], and why."""

    viewer: str
    person: str
    score: float
    direct: float | None
    direct_weight: float
    indirect: float
    paths: list[Path]


@dataclass
class Explanation:
    """Why a person has the trust they have, as data (ids, counts, scores; no sentences).

    ``weakest`` names the two dimensions that would gain most, weakest first; ``vouched_by``
    counts the people whose vouching reaches the person, ``vouchers`` the strongest of them
    with the trust each carries. ``further`` is the number of further confirmations that
    would make the score known (0 if known, -1 for more than
    :data:`.confidence.MAX_FURTHER`); ``needs_backing`` says vouching from established
    members is what is missing instead.
    """

    person: str
    trust: float
    confidence: float
    privileged: bool
    is_seed: bool
    graph: float
    vouched_by: int
    vouchers: list[tuple[str, float]]
    dimensions: list[DimensionExplanation]
    weakest: list[str]
    pairwise: PairwiseTrust | None = None
    known: bool = False
    interval: tuple[float, float] = (0.0, 1.0)
    further: int = -1
    needs_backing: bool = True

    def as_dict(self) -> dict:
        """Return the explanation as plain data (JSON-ready)."""
        return asdict(self)


def _evidence(result: TrustResult, i: int) -> dict[str, list[Fact]]:
    """Return the evidence about person ``i``, per dimension, as facts."""
    rows = result.event_rows(i)
    every = result.events
    ev = Events(
        every.people,
        *(getattr(every, c)[rows] for c in ("actor", "subject", "kind", "time", "value")),
    )
    # Events after ``at`` are ignored, except those an incremental update folded in.
    live = (ev.time <= result.at) | (rows >= len(every) - result.folded)
    mine = live & (ev.actor == i)
    about = live & (ev.subject == i) & (ev.actor != i)

    def n_kind(mask, kind):
        return int((mask & (ev.kind == kind)).sum())

    def n_people(mask, kind, column):
        rows = mask & (ev.kind == kind)
        return int(np.unique(column[rows]).size)

    out: dict[str, list[Fact]] = {d: [] for d in evi.DIMENSIONS}
    gen, cou, integ, res = (out[d] for d in evi.DIMENSIONS)
    helped = mine & (ev.kind == HELPED)
    if helped.any():
        hours = float(np.nansum(ev.value[helped]))
        people = n_people(mine, HELPED, ev.subject)
        gen.append(Fact("helped", int(helped.sum()), people, hours if hours > 0 else None))
    if n_kind(about, THANKED):
        gen.append(Fact("thanked", n_kind(about, THANKED), n_people(about, THANKED, ev.actor)))
    if n_kind(about, CREDITED):
        gen.append(Fact("credited", n_kind(about, CREDITED), n_people(about, CREDITED, ev.actor)))
    if n_kind(mine, MENTORED):
        gen.append(Fact("mentored", n_kind(mine, MENTORED), n_people(mine, MENTORED, ev.subject)))
    if n_kind(mine, SHARED):
        gen.append(Fact("shared", n_kind(mine, SHARED)))
    if n_kind(mine, ASKED):
        cou.append(Fact("asked", n_kind(mine, ASKED)))
    if n_kind(mine, LESSON):
        cou.append(Fact("lesson", n_kind(mine, LESSON)))
    if n_kind(mine, CREDITED):
        cou.append(Fact("credited_others", n_kind(mine, CREDITED)))
    kept, missed = n_kind(about, KEPT), n_kind(about, MISSED)
    if kept + missed:
        integ.append(Fact("kept", kept, total=kept + missed))
        recent = about & (ev.time >= result.at - 30 * evi.DAY)
        if n_kind(recent, MISSED):
            integ.append(Fact("missed_recently", n_kind(recent, MISSED)))
    open_ = n_kind(mine, COMMITTED)
    if open_ and not kept + missed:
        integ.append(Fact("committed", open_))
    rated = about & (ev.kind == RATED)
    if rated.any():
        mean = float(np.mean(ev.value[rated]))
        integ.append(Fact("rated", int(rated.sum()), n_people(about, RATED, ev.actor), mean))
    responded = mine & (ev.kind == RESPONDED)
    if responded.any():
        hours = ev.value[responded]
        hours = hours[~np.isnan(hours)]
        median = float(np.median(hours)) if hours.size else None
        res.append(Fact("responded", int(responded.sum()), value=median))
    if n_kind(about, UNANSWERED):
        res.append(Fact("unanswered", n_kind(about, UNANSWERED)))
    return out


def _vouchers(result: TrustResult, i: int, k: int = 5) -> list[tuple[str, float]]:
    """Return the ``k`` people whose vouching carries the most trust to ``i``."""
    u, w = result.vouchers_of(i)
    share = np.minimum(
        w / np.maximum(result.out_strength[u], result.params.floor), result.params.max_share
    )
    carried = result.params.damping * result.graph_dag[u] * share
    top = np.argsort(-carried)[:k]
    return [(result.people[int(u[j])], float(carried[j])) for j in top if carried[j] > 0]


def explain(result: TrustResult, person: str, viewer: str | None = None) -> Explanation:
    """Return why ``person`` has the trust they have: the evidence, scores and vouchers.

    Parameters
    ----------
    result : TrustResult
        From :func:`~.model.compute_trust`.
    person : str
        Person id.
    viewer : str, optional
        If given, also explain how much ``viewer`` can trust ``person``
        (:func:`pairwise_trust`).

    Returns
    -------
    Explanation
        The evidence, scores and vouchers; ``.as_dict()`` for plain data.

    Raises
    ------
    KeyError
        If ``person`` is not in the events.
    """
    result.settle()
    i = result.index(person)
    if i < 0:
        raise KeyError(person)
    facts = _evidence(result, i)
    cert = result.certainty
    dims = [
        DimensionExplanation(
            name=name,
            score=float(result.dimensions[i, k]),
            confidence=float(result.dimension_confidence[i, k]),
            evidence=facts[name],
            known=bool(cert.known[i, k]),
            interval=(float(cert.lower[i, k]), float(cert.upper[i, k])),
            further=int(cert.further[i, k]),
        )
        for k, name in enumerate(evi.DIMENSIONS)
    ]
    weakest = sorted(dims, key=lambda d: d.score + 0.5 * d.confidence)[:2]
    return Explanation(
        person=person,
        trust=float(result.trust[i]),
        confidence=float(result.confidence[i]),
        privileged=bool(result.trust[i] >= PRIVILEGE_THRESHOLD),
        is_seed=bool(np.isin(i, result.seeds)),
        graph=float(result.graph[i]),
        vouched_by=int(result.vouchers_of(i)[0].size),
        vouchers=_vouchers(result, i),
        dimensions=dims,
        weakest=[d.name for d in weakest],
        pairwise=pairwise_trust(result, viewer, person) if viewer else None,
        known=bool(cert.trust_known[i]),
        interval=(float(cert.trust_lower[i]), float(cert.trust_upper[i])),
        further=int(cert.trust_further[i]),
        needs_backing=bool(cert.needs_backing[i]),
    )


def _top_paths(result: TrustResult, a: int, b: int, k: int, depth: int = 4, beam: int = 200):
    """Return up to ``k`` strongest vouching paths from ``a`` to ``b`` (beam search)."""
    p = result.params
    share = (
        result.vouch.tocsr()
        .multiply((1.0 / np.maximum(result.out_strength, p.floor))[:, None])
        .tocsr()
    )
    done: list[tuple[float, list[int]]] = []
    frontier = [(1.0, [a])]
    for _ in range(depth):
        grown: list[tuple[float, list[int]]] = []
        for strength, path in frontier:
            u = path[-1]
            lo, hi = share.indptr[u], share.indptr[u + 1]
            nbrs, w = share.indices[lo:hi], share.data[lo:hi]
            for j in np.argsort(-w)[:20]:
                v = int(nbrs[j])
                if v in path:
                    continue
                item = (strength * p.damping * float(w[j]), [*path, v])
                (done if v == b else grown).append(item)
        frontier = sorted(grown, key=lambda x: -x[0])[:beam]
    done.sort(key=lambda x: -x[0])
    return [Path([result.people[q] for q in path], s) for s, path in done[:k]]


def pairwise_trust(result: TrustResult, viewer: str, person: str, k: int = 3) -> PairwiseTrust:
    """Return how much ``viewer`` should trust ``person``, from experience and vouching paths.

    Direct experience is the Beta posterior of what the viewer said about the person
    (thanks, credits, kept or missed commitments, ratings). Indirect trust is trust
    propagated from the viewer alone as the only seed (personalised, with the same bounded,
    degree-normalised flow as the global score) times the person's behaviour quality. They are
    blended by how much direct evidence there is.

    Parameters
    ----------
    result : TrustResult
        From :func:`~.model.compute_trust`.
    viewer, person : str
        Person ids (unknown ids get the neutral "not yet known" answer).
    k : int, optional
        How many paths to return.

    Returns
    -------
    PairwiseTrust
        Score in [0, 1], its parts, and the strongest paths.

    References
    ----------
    .. [1] Kamvar et al., "The EigenTrust algorithm", WWW 2003.
    """
    result.settle()
    a, b = result.index(viewer), result.index(person)
    if a < 0 or b < 0 or a == b:
        score = 1.0 if a == b and a >= 0 else (float(result.trust[b]) if b >= 0 else 0.0)
        return PairwiseTrust(viewer, person, score, None, 0.0, score, [])
    p = result.params
    rows = result.pairs.rows_of(b)
    cps = result.pairs.cp[rows]
    lo, hi = np.searchsorted(cps, [a, a + 1])
    sub = slice(rows.start + lo, rows.start + hi)
    chan = result.pairs.chan[sub]
    e = evi.saturate(result.pairs.s_long[sub], p.pair_cap)
    for_, against = evi.split(result.pairs, True, sub)
    pos = float((e * for_ * evi.VOUCH_POS[chan]).sum())
    neg = float((e * against * evi.VOUCH_NEG[chan]).sum())
    direct = None
    direct_weight = 0.0
    if pos + neg > 0:
        direct = (p.prior + pos) / (2 * p.prior + pos + neg)
        direct_weight = (pos + neg) / (pos + neg + p.prior)
    g, _, _ = propagate_levels(
        result.vouch,
        [a],
        p.damping,
        p.floor,
        out_strength=result.out_strength,
        max_share=p.max_share,
    )
    reached = np.delete(g, a)
    reached = reached[reached > 0]
    tau = float(reached.mean()) if reached.size else 1.0
    quality = float(behaviour_quality(result.dimensions[b : b + 1], p)[0])
    indirect = float((g[b] / (g[b] + tau)) ** p.graph_exponent * quality)
    score = direct_weight * (direct or 0.0) + (1.0 - direct_weight) * indirect
    return PairwiseTrust(
        viewer=viewer,
        person=person,
        score=float(np.clip(score, 0.0, 1.0)),
        direct=direct,
        direct_weight=direct_weight,
        indirect=indirect,
        paths=_top_paths(result, a, b, k),
    )
