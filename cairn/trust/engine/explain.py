"""Plain-words explanations of trust scores, and pairwise trust with the paths behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from . import evidence as evi
from .confidence import ESTABLISHED_CONFIDENCE, KNOWN_CONFIDENCE, MAX_FURTHER
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
)
from .graph import propagate_levels
from .model import PRIVILEGE_THRESHOLD, TrustResult, behaviour_quality

__all__ = [
    "DimensionExplanation",
    "Explanation",
    "PairwiseTrust",
    "explain",
    "pairwise_trust",
    "to_be_known",
]

LABELS = {
    "generosity": "Generosity",
    "courage": "Humility & courage",
    "integrity": "Honesty & integrity",
    "responsiveness": "Responsiveness",
}
RAISE = {
    "generosity": "help someone who asks, share what you know, or give mentoring time",
    "courage": "ask for help when stuck, share a lesson from something that went wrong, "
    "credit the people who helped you",
    "integrity": "make commitments you can keep and ask the other person to confirm them",
    "responsiveness": "answer people who reach out, ideally within a day",
}


def _plural(k: int, word: str, many: str | None = None) -> str:
    return f"{k} {word if k == 1 else (many or word + 's')}"


def _confidence_words(c: float) -> str:
    if c < KNOWN_CONFIDENCE:
        return "not yet known: little evidence so far"
    if c < ESTABLISHED_CONFIDENCE:
        return "some evidence"
    return "well established"


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: What one further confirmation is, on each dimension (see :data:`.confidence.UNIT`).
_CONFIRMATION = {
    "generosity": ("thanks", "thanks"),
    "courage": ("request for help", "requests for help"),
    "integrity": ("commitment", "commitments"),
    "responsiveness": ("answered request", "answered requests"),
}
_CONFIRMED_BY = {
    "generosity": "from different colleagues",
    "courage": "to different colleagues",
    "integrity": "confirmed by different colleagues",
    "responsiveness": "to different colleagues",
}


def to_be_known(further: int, needs_backing: bool, dimension: str = "integrity") -> str:
    """Return what would make a score known, in words ("" if it is known).

    Parameters
    ----------
    further : int
        Further confirmations needed (:attr:`.confidence.Certainty.further`): 0 if known, -1
        for more than :data:`.confidence.MAX_FURTHER`.
    needs_backing : bool
        Whether vouching from established members is what is missing.
    dimension : str, optional
        The dimension (overall trust counts kept commitments, as integrity does).
    """
    if needs_backing:
        return "established members working with them, who can then vouch for them"
    if further == 0:
        return ""
    one, many = _CONFIRMATION[dimension]
    by = _CONFIRMED_BY[dimension]
    if further < 0:
        return f"more than {MAX_FURTHER} more {many} {by}"
    count = _NUMBERS[further] if further < len(_NUMBERS) else str(further)
    if further == 1:
        return f"one more {one} {by.replace('different colleagues', 'a colleague')}"
    return f"{count} more {many} {by}"


@dataclass
class DimensionExplanation:
    """One dimension of one person: score, confidence and the evidence in words."""

    name: str
    label: str
    score: float
    confidence: float
    evidence: list[str]
    to_raise: str
    known: bool = False
    interval: tuple[float, float] = (0.0, 1.0)
    further: int = -1
    to_be_known: str = ""


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

    def text(self) -> str:
        """Return the explanation in plain words."""
        lines = [f"How much {self.viewer} can trust {self.person}: {self.score:.2f}"]
        if self.direct is not None:
            lines.append(
                f"- {self.viewer}'s own experience with {self.person} scores {self.direct:.2f}"
            )
        else:
            lines.append(f"- {self.viewer} has not worked with {self.person} directly")
        if self.paths:
            via = {p.people[1] for p in self.paths if len(p.people) > 2}
            lines.append(
                f"- trust reaches {self.person} from {self.viewer} through "
                f"{_plural(len(via), 'person', 'people')} {self.viewer} vouches for:"
                if via
                else f"- {self.viewer} vouches for {self.person} directly:"
            )
            for path in self.paths:
                lines.append(f"    {' -> '.join(path.people)}  (strength {path.strength:.3f})")
        else:
            lines.append(f"- no chain of vouching leads from {self.viewer} to {self.person}")
        return "\n".join(lines)


@dataclass
class Explanation:
    """Why a person has the trust they have: structured for the web app, and as text."""

    person: str
    trust: float
    confidence: float
    privileged: bool
    is_seed: bool
    graph: float
    vouchers: list[tuple[str, float]]
    dimensions: list[DimensionExplanation]
    to_raise: list[str]
    pairwise: PairwiseTrust | None = None
    notes: list[str] = field(default_factory=list)
    known: bool = False
    interval: tuple[float, float] = (0.0, 1.0)
    further: int = -1
    needs_backing: bool = True
    to_be_known: str = ""

    def as_dict(self) -> dict:
        """Return the explanation as plain data (JSON-ready)."""
        return asdict(self)

    def text(self) -> str:
        """Return the explanation in plain words."""
        lines = [
            f"{self.person}: trust {self.trust:.2f} ({_confidence_words(self.confidence)}, "
            f"90 % interval {self.interval[0]:.2f} to {self.interval[1]:.2f})",
        ]
        if self.to_be_known:
            lines.append(f"  would be known with {self.to_be_known}")
        lines += [f"  {note}" for note in self.notes]
        for d in self.dimensions:
            lines.append(
                f"{d.label}: {d.score:.2f} ({_confidence_words(d.confidence)}, "
                f"confidence {d.confidence:.2f})"
            )
            lines += [f"  - {e}" for e in d.evidence] or ["  - no evidence yet"]
        if self.to_raise:
            lines.append("What would raise it:")
            lines += [f"  - {r}" for r in self.to_raise]
        if self.pairwise is not None:
            lines.append(self.pairwise.text())
        return "\n".join(lines)


def _evidence(result: TrustResult, i: int) -> dict[str, list[str]]:
    """Return the evidence sentences of person ``i``, per dimension."""
    ev = result.events
    live = ev.time <= result.at
    mine = live & (ev.actor == i)
    about = live & (ev.subject == i) & (ev.actor != i)

    def n_kind(mask, kind):
        return int((mask & (ev.kind == kind)).sum())

    def n_people(mask, kind, column):
        rows = mask & (ev.kind == kind)
        return int(np.unique(column[rows]).size)

    out: dict[str, list[str]] = {d: [] for d in evi.DIMENSIONS}
    gen, cou, integ, res = (out[d] for d in evi.DIMENSIONS)
    helped = mine & (ev.kind == HELPED)
    if helped.any():
        hours = np.nansum(ev.value[helped])
        text = f"helped {_plural(n_people(mine, HELPED, ev.subject), 'person', 'people')}"
        gen.append(text + (f" ({hours:.0f} hours given)" if hours > 0 else ""))
    if n_kind(about, THANKED):
        gen.append(
            f"thanked {_plural(n_kind(about, THANKED), 'time')} by "
            f"{_plural(n_people(about, THANKED, ev.actor), 'colleague')}"
        )
    if n_kind(about, CREDITED):
        gen.append(f"credited by {_plural(n_people(about, CREDITED, ev.actor), 'colleague')}")
    if n_kind(mine, MENTORED):
        gen.append(f"mentored {_plural(n_people(mine, MENTORED, ev.subject), 'person', 'people')}")
    if n_kind(mine, SHARED):
        gen.append(f"shared know-how {_plural(n_kind(mine, SHARED), 'time')}")
    if n_kind(mine, ASKED):
        cou.append(f"asked for help {_plural(n_kind(mine, ASKED), 'time')}")
    if n_kind(mine, LESSON):
        cou.append(f"shared {_plural(n_kind(mine, LESSON), 'lesson')} learned from setbacks")
    if n_kind(mine, CREDITED):
        cou.append(f"credited others {_plural(n_kind(mine, CREDITED), 'time')}")
    kept, missed = n_kind(about, KEPT), n_kind(about, MISSED)
    if kept + missed:
        integ.append(f"kept {kept} of {_plural(kept + missed, 'commitment')} confirmed by others")
        recent = about & (ev.time >= result.at - 30 * evi.DAY)
        if n_kind(recent, MISSED):
            integ.append(f"missed {n_kind(recent, MISSED)} in the last 30 days")
    open_ = n_kind(mine, COMMITTED)
    if open_ and not kept + missed:
        integ.append(f"made {_plural(open_, 'commitment')}, none confirmed yet")
    rated = about & (ev.kind == RATED)
    if rated.any():
        integ.append(
            f"rated by {_plural(n_people(about, RATED, ev.actor), 'person', 'people')}, "
            f"average {np.mean(ev.value[rated]):+.2f} on a scale of -1 to +1"
        )
    responded = mine & (ev.kind == RESPONDED)
    if responded.any():
        hours = ev.value[responded]
        hours = hours[~np.isnan(hours)]
        text = f"answered {_plural(int(responded.sum()), 'request')}"
        if hours.size:
            text += f", usually within {np.median(hours):.0f} hours"
        res.append(text)
    if n_kind(about, UNANSWERED):
        res.append(f"left {_plural(n_kind(about, UNANSWERED), 'request')} unanswered")
    return out


def _vouchers(result: TrustResult, i: int, k: int = 5) -> list[tuple[str, float]]:
    """Return the ``k`` people whose vouching carries the most trust to ``i``."""
    col = result.vouch[:, [i]].tocoo()
    u, w = col.row, col.data
    share = np.minimum(
        w / np.maximum(result.out_strength[u], result.params.floor), result.params.max_share
    )
    carried = result.params.damping * result.graph_dag[u] * share
    top = np.argsort(-carried)[:k]
    return [(result.people[int(u[j])], float(carried[j])) for j in top if carried[j] > 0]


def explain(result: TrustResult, person: str, viewer: str | None = None) -> Explanation:
    """Return why ``person`` has the trust they have, in structured form and plain words.

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
        Use ``.text()`` for a readable rendering, ``.as_dict()`` for data.

    Raises
    ------
    KeyError
        If ``person`` is not in the events.
    """
    result.settle()
    i = result.index(person)
    if i < 0:
        raise KeyError(person)
    words = _evidence(result, i)
    cert = result.certainty
    backing = bool(cert.needs_backing[i])
    dims = []
    for k, name in enumerate(evi.DIMENSIONS):
        further = int(cert.further[i, k])
        dims.append(
            DimensionExplanation(
                name=name,
                label=LABELS[name],
                score=float(result.dimensions[i, k]),
                confidence=float(result.dimension_confidence[i, k]),
                evidence=words[name],
                to_raise=RAISE[name],
                known=bool(cert.known[i, k]),
                interval=(float(cert.lower[i, k]), float(cert.upper[i, k])),
                further=further,
                to_be_known=to_be_known(further, backing, name),
            )
        )
    weakest = sorted(dims, key=lambda d: d.score + 0.5 * d.confidence)[:2]
    to_raise = [f"{d.label.lower()}: {d.to_raise}" for d in weakest]
    is_seed = bool(np.isin(i, result.seeds))
    vouchers = _vouchers(result, i)
    notes = []
    if is_seed:
        notes.append("a seed: an established member from whom trust is measured")
    elif result.graph[i] == 0:
        notes.append(
            "nobody trusted vouches for them yet, so their trust is not yet known; it grows "
            "as established members work with them and thank, credit or rate them"
        )
        to_raise.insert(0, "work with established members, who can then vouch for you")
    else:
        names = ", ".join(v for v, _ in vouchers[:3])
        notes.append(
            f"vouched for by {_plural(int(result.vouch[:, [i]].nnz), 'person', 'people')}"
            + (f"; most trust comes through {names}" if names else "")
        )
    pair = pairwise_trust(result, viewer, person) if viewer else None
    further = int(cert.trust_further[i])
    if not backing and further != 0:
        to_raise.insert(0, f"to be known: {to_be_known(further, backing)}")
    return Explanation(
        person=person,
        trust=float(result.trust[i]),
        confidence=float(result.confidence[i]),
        privileged=bool(result.trust[i] >= PRIVILEGE_THRESHOLD),
        is_seed=is_seed,
        graph=float(result.graph[i]),
        vouchers=vouchers,
        dimensions=dims,
        to_raise=to_raise,
        pairwise=pair,
        notes=notes,
        known=bool(cert.trust_known[i]),
        interval=(float(cert.trust_lower[i]), float(cert.trust_upper[i])),
        further=further,
        needs_backing=backing,
        to_be_known=to_be_known(further, backing),
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
