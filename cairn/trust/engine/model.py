"""Trust from behaviour: four Bayesian dimensions gated by seed-anchored vouching.

Per person and dimension (generosity, humility & courage, honesty & integrity,
responsiveness) the evidence for (``a``) and against (``b``) — weighted by whose word it is —
gives a Beta posterior ``(prior + a) / (2 prior + a + b)``: a newcomer sits at 0.5, "not yet
known", with confidence 0. The posterior is taken on a long half-life (the track record) and a
short one (the last weeks), which starts from the track record: when recent behaviour is worse,
the score follows it as far as the evidence says behaviour changed (the posterior probability
of a change, :func:`_changed`), so a member who turns bad falls within one recompute while the
noise of an honest member's last weeks moves them little.

Whose word counts: a counterpart's evidence weighs ``reliability * standing`` — the REV2
fairness of their ratings [1]_ times how far trust reaches them from the seeds (see
:mod:`.graph`) relative to a mass-weighted median member; on integrity, whose evidence is what
the counterpart witnessed (a commitment kept or missed, work rated), ``reliability * gate``
instead (:func:`_integrity_weights`) — and everyone's statements on a channel share one budget
(``voice_budget``), so praising everybody dilutes each word. Mutual
praise on the same channel cancels (``reciprocity``) unless concrete acts stand behind it (help,
answers, mentoring, a commitment made), and praise inside a ring-like group — dense
(:func:`~.graph.ring_likeness`) or closed without a seed (:func:`~.graph.closed_groups`) —
passes nothing and lowers its receivers' gate, whatever acts stand behind it.

Overall trust is ``gate * quality``. Quality is the weighted geometric mean of the four
dimensions times the rating fold (:func:`_rating_factor`: lowered when raters the vouching
graph backs rate the person low, each rating weighed by its REV2 reliability); the gate
(:func:`_gate`) is 1 for anyone backed by the vouching graph at least
``graph_gate`` times as much as the typical trusted member, *per unit of vouching received*
(as SybilRank divides by degree), and falls to 0 for people no vouching path reaches
(newcomers, isolated or self-praising regions): behaviour sets the level, the vouching graph
decides whether anyone established stands behind it.

References
----------
.. [1] S. Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
.. [2] A. Jøsang, R. Ismail, "The Beta reputation system", Bled eConference 2002.
.. [3] Q. Cao et al., "Aiding the detection of fake accounts in large scale social online
   services", NSDI 2012 (SybilRank).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy as sp

from . import evidence as evi
from .confidence import NOT_ASKED, Certainty, certainty
from .events import KIND_CODE, RATED, Events, events_from_arrays
from .graph import (
    closed_groups,
    dampen_reciprocity,
    mutual_pairs,
    propagate_levels,
    ring_matrix,
)
from .ratings import backed_rating, rev2

__all__ = [
    "PRIVILEGE_THRESHOLD",
    "TrustParams",
    "TrustResult",
    "behaviour_quality",
    "compute_trust",
    "with_event",
]

#: Trust at or above which a member is trusted with privileges (e.g. vouching for newcomers):
#: better than "not yet known" (0.5) behaviour, backed by the vouching graph.
PRIVILEGE_THRESHOLD = 0.5

#: REV2 fairness of a rater with no ratings (the reliability prior of a newcomer's ratings).
RATER_PRIOR = 0.8


@dataclass(frozen=True)
class TrustParams:
    """Settings of the trust model; the defaults are the tested ones."""

    half_life_days: float = 180.0
    short_half_life_days: float = 21.0
    #: How likely a change of behaviour is before any evidence (:func:`_changed`): even odds.
    change_prior: float = 0.5
    pair_cap: float = 3.0
    reciprocity: float = 1.0
    ring_common: float = 4.0
    ring_span: float = 3.0
    closed_from: float = 0.5
    closed_span: float = 0.3
    known_vouching: float = 0.5
    concrete: float = 1.0
    damping: float = 0.85
    floor: float = 1.0
    max_share: float = 0.2
    voucher_power: float = 0.5
    prior: float = 2.0
    self_weight: float = 0.5
    stranger_weight: float = 0.1
    weights: tuple[float, float, float, float] = (0.2, 0.1, 0.5, 0.2)
    graph_exponent: float = 0.5
    graph_gate: float = 0.015
    gate_linear_below: float = 0.1
    degree_normalise: bool = True
    graph_scale: float = 0.25
    trust_prior_mean: float = 0.5
    voice_budget: float = 4.0
    rating_fold: float = 10.0
    n_seeds: int | None = None
    #: Work out what would make each unknown score known (explanations need it; a scores file
    #: does not, and it is about half the cost of the confidence intervals).
    advice: bool = True
    tol: float = 1e-9
    max_iter: int = 1000


@dataclass
class TrustResult:
    """Trust scores of everyone in the events, and the state to explain and update them.

    Attributes
    ----------
    people : list of str
        Person ids, parallel to every array.
    trust : ndarray
        Overall trust in [0, 1].
    dimensions : ndarray, shape (n, 4)
        Generosity, courage, integrity, responsiveness in [0, 1] (0.5 = not yet known).
    dimension_confidence : ndarray, shape (n, 4)
        How sure each dimension is, in [0, 1] (:meth:`~.confidence.Certainty.confidence`):
        at least :data:`~.confidence.KNOWN_CONFIDENCE` exactly when it is known.
    confidence : ndarray
        How sure overall trust is, in [0, 1], likewise.
    certainty : Certainty
        Intervals, known flags and what would make each score known (:mod:`.confidence`).
    graph : ndarray
        Trust reaching each person from the seeds, in [0, 1] (:func:`~.graph.propagate_levels`).
    graph_dag, level : ndarray
        Its level-to-level part, and each person's hop distance from the seeds.
    graph_score : ndarray
        ``graph / (graph + tau)``, in [0, 1).
    seeds : ndarray of int
        Indices of the seeds.
    at : float
        Reference time (Unix seconds).
    """

    people: list[str]
    trust: np.ndarray
    dimensions: np.ndarray
    dimension_confidence: np.ndarray
    confidence: np.ndarray
    certainty: Certainty
    graph: np.ndarray
    graph_dag: np.ndarray
    level: np.ndarray
    graph_score: np.ndarray
    seeds: np.ndarray
    at: float
    params: TrustParams
    events: Events
    pairs: evi.Pairs
    vouch: sp.sparse.csr_array
    out_strength: np.ndarray
    reliability: np.ndarray
    rating_factor: np.ndarray
    fairness: np.ndarray
    goodness: np.ndarray
    counterpart_weight: np.ndarray
    tau: float
    sums: list[np.ndarray]
    voice: np.ndarray
    standing: np.ndarray
    g_ref: float
    in_strength: np.ndarray
    gate_ref: float
    evidence_scale: float
    mutual: sp.sparse.csr_array
    group: np.ndarray
    closed: np.ndarray
    ring_share: np.ndarray
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _in_edges: sp.sparse.csc_array | None = field(default=None, repr=False)
    _overlay: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)
    _extra: evi.Pairs = field(default_factory=lambda: evi.Pairs.empty(0), repr=False)
    _mutual_overlay: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False)
    _event_rows: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    #: Room to append events in (:meth:`_append`); ``events``' columns are views of it.
    _spare: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    #: How many events :meth:`update` appended to ``events`` (they count whatever their time).
    folded: int = 0

    generosity = property(lambda self: self.dimensions[:, evi.GEN])
    courage = property(lambda self: self.dimensions[:, evi.COU])
    integrity = property(lambda self: self.dimensions[:, evi.INT])
    responsiveness = property(lambda self: self.dimensions[:, evi.RES])

    def index(self, person: str) -> int:
        """Return the number of ``person``, or -1 if unknown."""
        if not self._index:
            self._index = {p: i for i, p in enumerate(self.people)}
        return self._index.get(person, -1)

    def scores(self, person: str) -> dict[str, float]:
        """Return the scores of one person by name (KeyError if unknown)."""
        i = self.index(person)
        if i < 0:
            raise KeyError(person)
        out = {"trust": float(self.trust[i])}
        out.update({d: float(self.dimensions[i, k]) for k, d in enumerate(evi.DIMENSIONS)})
        out["confidence"] = float(self.confidence[i])
        return out

    def update(self, actor: str, subject: str | None, kind: str, time: float, value=np.nan):
        """Fold one new event into the state and rescore the people it concerns.

        Updates the pair evidence, the target's dimensions, the edge between actor and subject
        (both directions, for reciprocity) and the graph trust of both by one warm-started
        local step; everyone else keeps their scores until the next full
        :func:`compute_trust`. The reference time ``at`` stays as it was. The event is added
        to ``events`` (counted in :attr:`folded`), so explanations include it.

        Parameters
        ----------
        actor, subject : str
            Person ids (new people are added); ``subject`` may be None or "".
        kind : str
            An event kind of the contract.
        time : float
            Unix seconds.
        value : float, optional
            The value, NaN for none.

        Returns
        -------
        list of int
            Indices of the people whose scores were recomputed.
        """
        a = self._person(actor)
        s = self._person(subject) if subject else -1
        one = Events(
            people=self.people,
            actor=np.array([a], np.int32),
            subject=np.array([s], np.int32),
            kind=np.array([KIND_CODE[kind]], np.int8),
            time=np.array([float(time)]),
            value=np.array([float(value)]),
        )
        p = self.params
        # Weighed relative to ``at``: an event after it weighs more than 1.
        rows = evi.evidence_rows(
            one, self.at, p.half_life_days, p.short_half_life_days, future=True
        )
        touched = set()
        for target, cp, chan, day, wl, ws, v in zip(*rows, strict=True):
            self._fold(int(target), int(cp), int(chan), int(day), wl, ws, v)
            touched.add(int(target))
            # A concrete act changes how much mutual praise between the two counts.
            if cp >= 0 and (evi.VOUCH_POS[chan] > 0 or evi.VOUCH_NEG[chan] > 0 or evi.ACT[chan]):
                self._refresh_edge(int(cp), int(target))
                touched.add(int(cp))
        for person in sorted(touched):
            self._rescore(person)
        self._append(one)
        return sorted(touched)

    def _append(self, one: Events) -> None:
        """Add an event :meth:`update` folded in to ``events``, for the explanations."""
        ev = self.events
        if len(ev.people) < len(self.people):
            ev.people = [*ev.people, *self.people[len(ev.people) :]]
            ev._index = None
        n = len(ev)
        for name in ("actor", "subject", "kind", "time", "value"):
            column = getattr(ev, name)
            spare = self._spare.get(name)
            if spare is None or column.base is not spare or spare.size <= n:
                # Grow by an eighth at a time: appending one event copies nothing most times.
                spare = np.empty(n + max(n // 8, 1024), dtype=column.dtype)
                spare[:n] = column
                self._spare[name] = spare
            spare[n] = getattr(one, name)[0]
            setattr(ev, name, spare[: n + 1])
        self.folded += 1
        self._event_rows = None

    # -- incremental helpers ---------------------------------------------------------------

    def _person(self, name: str) -> int:
        i = self.index(name)
        if i >= 0:
            return i
        i = len(self.people)
        self.people.append(name)
        self._index[name] = i
        grow1 = (
            "trust",
            "confidence",
            "graph",
            "graph_dag",
            "graph_score",
            "out_strength",
            "in_strength",
        )
        for attr in grow1:
            setattr(self, attr, np.append(getattr(self, attr), 0.0))
        self.level = np.append(self.level, np.inf)
        self.ring_share = np.append(self.ring_share, 0.0)
        self.group = np.append(self.group, self.closed.size)
        self.closed = np.append(self.closed, 0.0)
        self.dimensions = np.vstack([self.dimensions, np.full((1, 4), 0.5)])
        self.dimension_confidence = np.vstack([self.dimension_confidence, np.zeros((1, 4))])
        self.certainty = Certainty(
            *(
                np.concatenate([getattr(self.certainty, f), getattr(_NEWCOMER, f)])
                for f in Certainty.__dataclass_fields__
            )
        )
        self.sums = [np.vstack([x, np.zeros((1, 4))]) for x in self.sums]
        self.reliability = np.append(self.reliability, 1.0)
        self.rating_factor = np.append(self.rating_factor, 1.0)
        self.fairness = np.append(self.fairness, RATER_PRIOR)
        self.goodness = np.append(self.goodness, 0.0)
        self.standing = np.append(self.standing, self.params.stranger_weight)
        self.voice = np.vstack([self.voice[:-1], np.zeros((1, evi.N_CHANNELS)), self.voice[-1:]])
        cw = self.counterpart_weight
        new_weight = self.params.stranger_weight
        self.counterpart_weight = np.concatenate([cw[:-1], [new_weight], cw[-1:]])
        self.pairs.n += 1
        self._extra.n = self.pairs.n
        return i

    def _fold(self, target, cp, chan, day, wl, ws, v):
        key = (target * evi.BASE + cp + 1) * evi.N_CHANNELS + chan
        said = cp >= 0
        for pr in (self.pairs, self._extra):
            at = pr.find(key)
            if at < 0:
                continue
            before = float(evi.saturate(pr.s_long[at], self.params.pair_cap))
            if day == pr.last_day[at]:  # same window: the latest event is the vote
                pr.s_long[at] += wl - pr.last_long[at]
                pr.s_short[at] += ws - pr.last_short[at]
                pr.sv_long[at] += wl * v - pr.last_long[at] * pr.last_value[at]
                pr.sv_short[at] += ws * v - pr.last_short[at] * pr.last_value[at]
            else:
                pr.s_long[at] += wl
                pr.s_short[at] += ws
                pr.sv_long[at] += wl * v
                pr.sv_short[at] += ws * v
            pr.last_day[at], pr.last_long[at], pr.last_short[at] = day, wl, ws
            pr.last_value[at] = v
            pr.count[at] += 1
            if said:
                after = float(evi.saturate(pr.s_long[at], self.params.pair_cap))
                self.voice[cp, chan] += after - before
            return
        if said:
            self.voice[cp, chan] += float(evi.saturate(wl, self.params.pair_cap))
        # A new pair goes to the small side table (inserting into the big one is slow).
        row = evi.Pairs(
            self.pairs.n,
            *(np.array([x]) for x in (key, target, cp, chan, wl, ws, wl * v, ws * v)),
            *(np.array([x]) for x in (day, wl, ws, v, 1)),
        )
        self._extra = self._extra.merged(row)
        if self._extra.key.size > 20_000:
            self.settle()

    def settle(self) -> None:
        """Merge what :meth:`update` added into the main tables: the new pairs into ``pairs``,
        the changed edges into ``vouch`` and ``mutual`` (grown to everyone added), so that a
        stored and reloaded result goes on from where the updates left it."""
        if self._extra.key.size:
            self.pairs = self.pairs.merged(self._extra)
            self._extra = evi.Pairs.empty(self.pairs.n)
        n = len(self.people)
        if self._overlay or self.vouch.shape[0] < n:
            self.vouch = _with_entries(self.vouch, self._overlay, n)
            self._overlay = {}
            self._in_edges = None
        if self._mutual_overlay or self.mutual.shape[0] < n:
            both = {pair: 1.0 if mutual else 0.0 for pair, mutual in self._mutual_overlay.items()}
            self.mutual = _with_entries(self.mutual, both, n)
            self._mutual_overlay = {}

    def vouchers_of(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Return who vouches for person ``i`` and how much: the stored entries of column
        ``i`` of ``vouch`` (read from its column-major copy, made once)."""
        if self._in_edges is None:
            self._in_edges = self.vouch.tocsc()
        col = self._in_edges
        if i >= col.shape[1]:
            return np.zeros(0, np.int64), np.zeros(0)
        start, end = col.indptr[i], col.indptr[i + 1]
        return col.indices[start:end], col.data[start:end]

    def event_rows(self, i: int) -> np.ndarray:
        """Return the rows of ``events`` in which person ``i`` is the actor or the subject.

        Grouped once per result, so explaining everyone costs one sort of the events rather
        than a pass over all of them per person.
        """
        if self._event_rows is None:
            ev = self.events
            rows = np.arange(len(ev), dtype=np.int64)
            who = np.concatenate([ev.actor, ev.subject]).astype(np.int64)
            rows = np.concatenate([rows, rows])
            keep = who >= 0
            who, rows = who[keep], rows[keep]
            order = np.lexsort((rows, who))
            indptr = np.searchsorted(who[order], np.arange(len(self.people) + 1))
            self._event_rows = (indptr, rows[order])
        indptr, rows = self._event_rows
        if i + 1 >= indptr.size:
            return np.zeros(0, np.int64)
        mine = rows[indptr[i] : indptr[i + 1]]
        return mine[np.concatenate([[True], mine[1:] != mine[:-1]])] if mine.size else mine

    def _rows(self, target: int, cp: int | None = None) -> evi.Pairs:
        """Return the evidence rows about ``target`` (from ``cp`` only, if given)."""
        parts = []
        for pr in (self.pairs, self._extra):
            rows = pr.rows_of(target)
            if cp is not None:
                lo, hi = np.searchsorted(pr.cp[rows], [cp, cp + 1])
                rows = slice(rows.start + lo, rows.start + hi)
            parts.append(pr.take(rows))
        return parts[0].merged(parts[1]) if parts[1].key.size else parts[0]

    def _edge_weight(self, u: int, v: int) -> tuple[float, float]:
        """Return u's vouching for v before reliability and dampening, and its acts' share."""
        rows = self._rows(v, u)
        _, _, net = evi.vouch_edges(rows, self.params.pair_cap)
        edge = evi.saturate(np.array([max(float(net.sum()), 0.0)]), self.params.pair_cap)
        acts = evi.edge_support((rows,), np.array([u]), np.array([v]))
        return float(edge[0]), float(_unbacked_share(edge, acts, self.params)[0])

    def _partners(self, x: int) -> set[int]:
        """Return the people who vouch for ``x`` and for whom ``x`` vouches."""
        found = set()
        if x < self.mutual.shape[0]:
            found = set(self.mutual.indices[self.mutual.indptr[x] : self.mutual.indptr[x + 1]])
        for (a, b), both in self._mutual_overlay.items():
            if a == x:
                (found.add if both else found.discard)(b)
        return found

    def _ring_of(self, targets, cps) -> np.ndarray:
        """Return :func:`~.graph.ring_likeness` of the given pairs, from the current state."""
        p = self.params
        out = np.zeros(len(targets))
        cache: dict[int, set[int]] = {}
        for k, (t, c) in enumerate(
            zip(np.asarray(targets).tolist(), np.asarray(cps).tolist(), strict=True)
        ):
            for x in (t, c):
                if x not in cache:
                    cache[x] = self._partners(x)
            if c in cache[t]:
                shared = len(cache[t] & cache[c])
                out[k] = min(1.0, max(0.0, (shared - p.ring_common) / p.ring_span))
            if c >= 0 and max(t, c) < self.group.size and self.group[t] == self.group[c]:
                out[k] = max(out[k], float(self.closed[self.group[t]]))
        return out

    def _ring_share_of(self, i: int) -> float:
        """Return the share of the vouching ``i`` receives that comes from ring-like pairs."""
        rows = self._rows(i)
        cp, _, net = evi.vouch_edges(rows, self.params.pair_cap)
        vouchers, which = np.unique(cp, return_inverse=True)
        # Each voucher's edge as :meth:`_edge_weight` has it, all at once.
        edge = np.maximum(np.bincount(which, weights=net, minlength=vouchers.size), 0.0)
        raw = evi.saturate(edge, self.params.pair_cap) * self.reliability[vouchers]
        total = float(raw.sum())
        if total <= 0:
            return 0.0
        return float((raw * self._ring_of(np.full(vouchers.size, i), vouchers)).sum()) / total

    def _refresh_edge(self, u: int, v: int) -> None:
        (raw_uv, share_uv), (raw_vu, share_vu) = self._edge_weight(u, v), self._edge_weight(v, u)
        seeds = set(self.seeds.tolist())
        both = raw_uv > 0 and raw_vu > 0 and u not in seeds and v not in seeds
        self._mutual_overlay[(u, v)] = self._mutual_overlay[(v, u)] = both
        ring = float(self._ring_of([u], [v])[0])
        raw_uv *= float(self.reliability[u])
        raw_vu *= float(self.reliability[v])
        rho = self.params.reciprocity
        mutual = min(raw_uv, raw_vu)
        for x, y, raw, share in ((u, v, raw_uv, share_uv), (v, u, raw_vu, share_vu)):
            new = (raw - rho * mutual * share) * (1.0 - rho * ring)
            old = self._current_edge(x, y)
            self.out_strength[x] += new - old
            self.in_strength[y] += new - old
            self._overlay[(x, y)] = new

    def _current_edge(self, u: int, v: int) -> float:
        if (u, v) in self._overlay:
            return self._overlay[(u, v)]
        if u >= self.vouch.shape[0] or v >= self.vouch.shape[0]:
            return 0.0
        return float(self.vouch[u, v])

    def _gate_of(self, people) -> np.ndarray:
        """Return the gate of ``people`` (an index or an array of indices)."""
        people = np.atleast_1d(people)
        backing = _backing(self.graph[people], self.in_strength[people], self.params)
        gate = _gate(backing, self.gate_ref, self.params)
        gate = gate * (1.0 - self.params.reciprocity * self.ring_share[people])
        return np.where(np.isin(people, self.seeds), 1.0, gate)

    def _rating_factor_of(self, i: int, rows: evi.Pairs) -> float:
        """Return :func:`_rating_factor` of person ``i`` from their rows alone.

        The raters are numbered ``0 .. m-1`` and ``i`` is ``m``, so the cost follows the
        person's raters, not the size of the organisation.
        """
        rated = (rows.chan == RATED) & (rows.cp >= 0)
        if not rated.any():
            return 1.0
        raters = rows.cp[rated]
        m = raters.size
        local = evi.Pairs(m + 1, *(getattr(rows, c)[rated] for c in evi.Pairs.COLUMNS))
        local.cp, local.target = np.arange(m), np.full(m, m)
        fairness = np.append(self.fairness[raters], RATER_PRIOR)
        goodness = np.append(np.zeros(m), self.goodness[i])
        backing = np.append(self._gate_of(raters), 0.0)
        return float(_rating_factor(local, fairness, goodness, backing, self.params)[m])

    def _rescore(self, i: int) -> None:
        p = self.params
        n0 = self.vouch.shape[0]
        if i in set(self.seeds.tolist()):
            self.graph[i] = self.graph_dag[i] = 1.0
        else:
            if self._in_edges is None:
                self._in_edges = self.vouch.tocsc()
            arriving = {}
            if i < n0:
                col = self._in_edges
                start, end = col.indptr[i], col.indptr[i + 1]
                arriving = dict(
                    zip(col.indices[start:end].tolist(), col.data[start:end].tolist(), strict=True)
                )
            for (u, v), w in self._overlay.items():
                if v == i:
                    arriving[u] = w
            arriving = {u: w for u, w in arriving.items() if w > 0}
            level = min([self.level[i], *(self.level[u] + 1 for u in arriving)])
            self.level[i] = level

            def carried(at_level):
                return sum(
                    self.graph_dag[u] * min(w / max(self.out_strength[u], p.floor), p.max_share)
                    for u, w in arriving.items()
                    if self.level[u] == at_level
                )

            self.graph_dag[i] = min(1.0, p.damping * carried(level - 1))
            self.graph[i] = min(1.0, self.graph_dag[i] + p.damping * carried(level))
        self.graph_score[i] = self.graph[i] / (self.graph[i] + self.tau * p.graph_scale)
        self.ring_share[i] = self._ring_share_of(i)
        rows = self._rows(i)
        givers = np.where(rows.cp >= 0, rows.cp, i)
        gate_of_giver = self._gate_of(givers)
        parts = evi.row_evidence(
            rows,
            self.counterpart_weight,
            p.pair_cap,
            reciprocity=p.reciprocity,
            reverse=(self.pairs, self._extra),
            voice=(self.voice, p.voice_budget),
            self_scale=self.standing,
            ring=self._ring_of,
            concrete=p.concrete,
            integrity_weight=_integrity_weights(
                self.reliability[givers], gate_of_giver, rows.chan == evi.RATED, rows.cp < 0, p
            ),
        )
        alone = np.zeros(rows.key.size, np.int64)
        for full, part in zip(self.sums, evi.per_target(alone, parts, 1), strict=True):
            full[i] = part[0]
        gate = self._gate_of(i)
        self.rating_factor[i] = self._rating_factor_of(i, rows)
        dims, quality, cert = _scored(
            [x[i : i + 1] for x in self.sums],
            gate,
            self.rating_factor[i : i + 1],
            p,
            alone,
            rows.key // evi.N_CHANNELS,
            parts,
            _certainty_scale(gate_of_giver, self.evidence_scale),
        )
        _unknown_while_weakly_vouched(
            cert, self.in_strength[i : i + 1], np.isin([i], self.seeds), p
        )
        self.dimensions[i], self.trust[i] = dims[0], gate[0] * quality[0]
        for name in Certainty.__dataclass_fields__:
            getattr(self.certainty, name)[i] = getattr(cert, name)[0]
        dconf, conf = cert.confidence()
        self.dimension_confidence[i], self.confidence[i] = dconf[0], conf[0]


def _with_entries(matrix: sp.sparse.csr_array, entries: dict[tuple[int, int], float], n: int):
    """Return ``matrix`` grown to ``n`` by ``n`` with ``entries`` set (0 removes one)."""
    coo = matrix.tocoo()
    row, col, data = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    if entries:
        at = np.array(list(entries), np.int64).reshape(-1, 2)
        values = np.fromiter(entries.values(), np.float64, len(entries))
        keep = ~np.isin(row * n + col, at[:, 0] * n + at[:, 1])
        row = np.concatenate([row[keep], at[:, 0]])
        col = np.concatenate([col[keep], at[:, 1]])
        data = np.concatenate([data[keep], values])
    grown = sp.sparse.csr_array((data, (row, col)), shape=(n, n))
    grown.eliminate_zeros()
    return grown


def _posterior(a_long, b_long, a_short, b_short, p: TrustParams, mean: float = 0.5):
    """Return the scores of the dimensions from evidence sums.

    The prior is ``p.prior`` pseudo-observations on each side around ``mean`` (0.5 is "not yet
    known"). Recent behaviour is judged against the track record: the short-half-life
    posterior starts from the long-half-life score, held as ``2 * p.prior`` pseudo-observations
    (as much as the prior holds a newcomer), and the score follows it, when it is lower, as far
    as the evidence says behaviour changed (:func:`_changed`). So a run of recent misses after
    a good record moves the score nearly all the way, while recent evidence no worse than a
    record's own ups and downs moves it little. (Followed always, it pulled honest members
    down by the noise of their last weeks and ranked latent integrity worse.)
    """
    a0, b0 = 2 * p.prior * mean, 2 * p.prior * (1 - mean)
    long = (a0 + a_long) / (a0 + b0 + a_long + b_long)
    held = 2 * p.prior
    short = (held * long + a_short) / (held + a_short + b_short)
    # Only a recent stretch worse than the record moves the score: the test of a change is
    # needed there alone (at 1M events, a fifth of the scores).
    score = long.copy()
    lower = short < long
    if lower.any():
        a_s, b_s = a_short[lower], b_short[lower]
        before = (np.maximum(a_long[lower] - a_s, 0.0), np.maximum(b_long[lower] - b_s, 0.0))
        changed = _changed(*before, a_s, b_s, a0, b0, p.change_prior)
        score[lower] += changed * (short[lower] - long[lower])
    return np.clip(score, 0.0, 1.0)


def _changed(a_before, b_before, a_recent, b_recent, a0, b0, prior: float):
    """Return the posterior probability that behaviour changed between two stretches.

    Bayesian model comparison of two Beta-Bernoulli explanations of the evidence for and
    against: one rate throughout, or one rate before and another recently, each rate with the
    prior ``Beta(a0, b0)``; ``prior`` is the probability of a change before any evidence.
    The stretch before is the long-half-life evidence less the short-half-life one (an
    approximation: the two half-lives overlap). With no recent evidence it is ``prior``.
    """
    beta = sp.special.betaln
    start = beta(a0, b0)
    one = beta(a0 + a_before + a_recent, b0 + b_before + b_recent) - start
    two = beta(a0 + a_before, b0 + b_before) + beta(a0 + a_recent, b0 + b_recent) - 2 * start
    odds = np.log(prior) - np.log1p(-prior) + two - one
    return sp.special.expit(odds)


def behaviour_quality(dims: np.ndarray, p: TrustParams) -> np.ndarray:
    """Return the weighted geometric mean of the dimensions (rows of ``dims``), in [0, 1]."""
    w = np.asarray(p.weights) / np.sum(p.weights)
    return np.exp(np.log(np.maximum(dims, 1e-12)) @ w)


def _mass_median(values: np.ndarray, mass: np.ndarray) -> float:
    """Return the median of ``values`` weighted by ``mass`` (1.0 if empty).

    Weighting by the trust that reaches each person keeps the reference where the trusted
    members are: a crowd of accounts that little trust reaches cannot drag it down.
    """
    if values.size == 0 or mass.sum() <= 0:
        return 1.0
    order = np.argsort(values)
    cum = np.cumsum(mass[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def _pair_lookup(matrix: sp.sparse.csr_array):
    """Return ``f(rows, cols)`` -> the entries of a sparse matrix at those positions (0 absent)."""
    coo = matrix.tocoo()
    keys = coo.row.astype(np.int64) * evi.BASE + coo.col
    order = np.argsort(keys)
    keys, values = keys[order], coo.data[order]

    def lookup(rows, cols) -> np.ndarray:
        want = np.asarray(rows, np.int64) * evi.BASE + np.asarray(cols, np.int64)
        if keys.size == 0:
            return np.zeros(want.size)
        at = np.minimum(np.searchsorted(keys, want), keys.size - 1)
        return np.where(keys[at] == want, values[at], 0.0)

    return lookup


def _unbacked_share(edge: np.ndarray, acts: np.ndarray, p: TrustParams) -> np.ndarray:
    """Return the share of each vouching edge (saturated) that no concrete act stands behind.

    ``acts`` are the vouchee's acts for the voucher in window votes
    (:func:`~.evidence.edge_support`), saturated like the edge, so the dampened edge never
    falls as the edge grows (:func:`~.evidence.discounted_share`).
    """
    backed = evi.saturate(acts, p.pair_cap)
    return np.divide(np.maximum(edge - backed, 0.0), edge, out=np.zeros_like(edge), where=edge > 0)


def _backing(graph, in_strength, p: TrustParams):
    """Return the trust reaching each person per unit of vouching they receive.

    Dividing by the vouching received (as SybilRank divides by degree) keeps a dense region of
    accounts praising each other from multiplying the little trust that enters it.
    """
    if not p.degree_normalise:
        return graph
    return graph / np.maximum(in_strength, 1.0)


def _gate(graph, g_ref: float, p: TrustParams):
    """Return how far the vouching graph backs a person, in [0, 1].

    1 for anyone reached by at least ``p.graph_gate`` times the trust reaching the median
    member; below that, with ``r = g / (graph_gate * g_ref)``, it falls as
    ``r ** graph_exponent`` down to ``r = p.gate_linear_below`` (``eps``), then linearly,
    ``r * eps ** (graph_exponent - 1)``, to 0 for people no vouching path from the seeds
    reaches (newcomers, isolated regions).

    The linear foot bounds what a region can hold: everyone's gate is at most
    ``r * eps ** (graph_exponent - 1)``, so the gates of a region add up to at most its total
    backing times ``eps ** (graph_exponent - 1)`` — and the backing that enters a region is
    bounded by the vouching edges into it, however many accounts it holds. With a square root
    all the way down, splitting the same backing over more accounts would raise the sum.
    """
    r = graph / max(p.graph_gate * g_ref, 1e-300)
    eps = p.gate_linear_below
    return np.minimum(
        1.0, np.where(r < eps, r * eps ** (p.graph_exponent - 1), r**p.graph_exponent)
    )


def _integrity_weights(reliability, gate, rating, own, p: TrustParams):
    """Return how much each evidence row counts as a witness of integrity.

    ``reliability`` and ``gate`` are the giver's, ``rating`` marks ratings and ``own`` a
    person's statements about themselves (``p.self_weight``). A confirmation that a commitment
    was kept or missed, and a rating of work done, report what the witness saw; unlike praise,
    they do not say more because more of the organisation's trust reaches the witness. So on
    integrity every colleague whom the vouching graph backs (gate 1, nearly every established
    member) is one witness, times the reliability of their ratings; people it does not back
    (newcomers, sybil regions, rings) count as strangers (``p.stranger_weight``). Weighting by
    standing instead, as the other dimensions do, let the median member's confirmation count a
    third of a well-connected member's and ranked latent integrity worse (bench/RESULTS.md,
    trust_attacks). A backed colleague's rating counts as ``RATING_AS_CONFIRMATIONS``
    confirmations, a stranger's as one: twenty accounts nobody vouches for, rating a member
    low, dent her integrity as twenty strangers' confirmations would, no more.
    """
    word = reliability * np.maximum(p.stranger_weight, gate)
    word = np.where(rating, word * (1.0 + (evi.RATING_AS_CONFIRMATIONS - 1.0) * gate), word)
    return np.where(own, p.self_weight, word)


def _certainty_scale(gate_of_giver, evidence_scale: float):
    """Return how much each evidence row counts towards certainty, shape (rows, 4).

    The word of a typical backed member counts as one observation: ``evidence_scale`` times
    the giver's gate on the standing-weighted dimensions; on integrity, whose evidence is
    already counted in witnesses (:func:`_integrity_weights`), the giver's gate alone.
    """
    scale = np.repeat((evidence_scale * gate_of_giver)[:, None], 4, axis=1)
    scale[:, evi.INT] = gate_of_giver
    return scale


def _scored(sums, gate, rating_factor, p: TrustParams, target, voice, parts, scale):
    """Return (dimension scores, behaviour quality, certainty) from the evidence.

    Quality is the weighted geometric mean of the dimensions times ``rating_factor`` (REV2's
    fraud signal: 1 unless reliable, well-regarded raters rate the person low).

    ``scale`` (per evidence row and dimension, :func:`_certainty_scale`) is how much each row
    counts towards certainty: the gate of whoever gave it, so that only evidence from people
    the vouching graph backs makes anyone known.

    For quality (overall trust before the gate) the dimensions may be re-estimated with a prior
    of their own (``p.trust_prior_mean``; below 0.5 a sceptical one, so trust needs evidence),
    while the displayed dimensions keep the neutral prior. The default, 0.5, is the neutral
    prior itself, so one estimate serves both.
    """
    a_long, b_long, a_short, b_short = sums
    dims = _posterior(a_long, b_long, a_short, b_short, p)
    sceptical = (
        dims
        if p.trust_prior_mean == 0.5
        else _posterior(a_long, b_long, a_short, b_short, p, mean=p.trust_prior_mean)
    )
    quality = behaviour_quality(sceptical, p) * rating_factor
    cert = certainty(
        target, voice, parts[0], parts[1], dims, quality, gate, p.weights, p.prior, scale, p.advice
    )
    return dims, quality, cert


def _rating_factor(pairs: evi.Pairs, fairness, goodness, backing, p: TrustParams) -> np.ndarray:
    """Return how much of each person's behaviour quality their ratings let stand, in [0, 1].

    ``clip(1 + p.rating_fold * S, 0, 1)`` with ``S`` the mean rating from the raters the
    vouching graph backs, each rating weighed by REV2's reliability
    (:func:`~.ratings.backed_rating`; one row per rater, with the pair's mean rating). It
    only ever lowers quality: 1 unless backed, reliable raters rate the person low on
    balance, 0 once ``S <= -1 / rating_fold``. Only the person's own rows are read, so the
    incremental update recomputes it for the people it rescores.
    """
    rated = (pairs.chan == RATED) & (pairs.cp >= 0)
    s = pairs.s_long[rated]
    mean = np.divide(pairs.sv_long[rated], s, out=pairs.last_value[rated].copy(), where=s > 0)
    standing = backed_rating(
        pairs.cp[rated],
        pairs.target[rated],
        np.clip(mean, -1.0, 1.0),
        fairness,
        goodness,
        backing,
        pairs.n,
    )
    return np.clip(1.0 + p.rating_fold * standing, 0.0, 1.0)


def _unknown_while_weakly_vouched(cert: Certainty, in_strength, is_seed, p: TrustParams):
    """Mark overall trust unknown (needing backing) where colleagues hardly vouch yet.

    Less vouching received than ``p.known_vouching`` (half of one commitment confirmed kept by
    one colleague, net of what was confirmed missed) leaves overall trust not yet known
    however narrow its interval: a fresh or whitewashed account with a month of mixed
    confirmations is not known, whoever reaches it.
    """
    weak = (np.asarray(in_strength) < p.known_vouching) & ~np.asarray(is_seed, dtype=bool)
    cert.trust_known &= ~weak
    cert.needs_backing |= weak
    # What would make it known is backing (-1), unless the caller did not ask.
    cert.trust_further[weak & (cert.trust_further >= 0)] = -1 if p.advice else NOT_ASKED


def default_seeds(vouch: sp.sparse.csr_array, first_seen: np.ndarray, at: float, k: int):
    """Return the ``k`` most established people: long tenure and several vouchers.

    Members seen in the first quarter of the history rank first; within each group,
    establishment is ``min(vouchers, 10) * tenure_days``: counting at most ten vouchers keeps a
    late-coming region of mutually vouching accounts from outranking the members who have been
    around longest.
    """
    vouchers = np.diff(vouch.tocsc().indptr).astype(np.float64)
    tenure = np.maximum(at - first_seen, 0.0) / evi.DAY
    score = np.minimum(vouchers, 10.0) * (tenure + 1.0) + 1e-6 * vouchers
    # Members from the first quarter of the history come first: an attacker cannot make
    # accounts older than they are.
    seen = np.isfinite(first_seen)
    if seen.any():
        start = first_seen[seen].min()
        early = seen & (first_seen <= start + 0.25 * (at - start))
        score[early] += score.max(initial=0.0) + 1.0
    score[vouchers == 0] = -1.0
    order = np.lexsort((np.arange(score.size), -score))
    chosen = order[:k]
    return np.sort(chosen[score[chosen] > 0]).astype(np.int64)


def compute_trust(events: Events, seeds=None, at=None, params: TrustParams | None = None):
    """Return the trust of everyone in ``events``.

    This signature is stable: the web adapter and the benchmarks (e.g. the fraud benchmark on
    Bitcoin ratings converted to ``rated`` events, rating / 10) call it as
    ``compute_trust(events, seeds=None, at=None)``.

    Parameters
    ----------
    events : Events
        From :func:`~.events.load_events` or :func:`~.events.events_from_arrays`.
    seeds : sequence of str or int, optional
        Seed people (ids or indices); by default the most established members
        (:func:`default_seeds`). Unknown ids are ignored.
    at : float, optional
        Reference time in Unix seconds (default: the last event); later events are ignored.
    params : TrustParams, optional
        Model settings.

    Returns
    -------
    TrustResult
        Scores, confidences and the state to explain and update them.

    Raises
    ------
    ConvergenceError
        If the propagation or the rater reliability does not converge.

    References
    ----------
    .. [1] Jøsang and Ismail, "The Beta reputation system", 2002.
    .. [2] Kumar et al., "REV2", WSDM 2018.
    .. [3] Cao et al., "SybilRank", NSDI 2012; Kamvar et al., "EigenTrust", WWW 2003.
    """
    p = params or TrustParams()
    n = events.n_people
    if at is None:
        at = float(events.time.max()) if len(events) else 0.0
    at = float(at)
    # The rows are let go as soon as they are aggregated (10M events: 0.6 GiB).
    pairs = evi.aggregate(
        n, *evi.evidence_rows(events, at, p.half_life_days, p.short_half_life_days)
    )
    # Rater reliability from the ratings (REV2 fairness); non-raters count as reliable.
    rated = (events.kind == RATED) & (events.time <= at) & (events.actor != events.subject)
    fairness, goodness = np.full(n, RATER_PRIOR), np.zeros(n)
    if rated.any():
        fairness, goodness, _ = rev2(
            events.actor[rated],
            events.subject[rated],
            events.value[rated],
            n,
            prior=RATER_PRIOR,
            tol=1e-6,
        )
    reliability = np.where(rated.any(), np.clip((fairness - 0.3) / 0.4, 0.0, 1.0), 1.0)
    # The vouching graph.
    src, dst, net = evi.vouch_edges(pairs, p.pair_cap)
    vouch = sp.sparse.csr_array((net, (src, dst)), shape=(n, n))
    vouch.sum_duplicates()
    vouch.data = evi.saturate(np.maximum(vouch.data, 0.0), p.pair_cap)
    vouch.eliminate_zeros()
    row_of = np.repeat(np.arange(n), np.diff(vouch.indptr))
    unbacked = vouch.copy()
    acts = evi.edge_support((pairs,), row_of, vouch.indices)
    unbacked.data = _unbacked_share(vouch.data, acts, p)
    vouch.data *= reliability[row_of]
    # Seeds.
    if seeds is None:
        first_seen = np.full(n, np.inf)
        seen = events.time <= at
        np.minimum.at(first_seen, events.actor[seen], events.time[seen])
        subj = seen & (events.subject >= 0)
        np.minimum.at(first_seen, events.subject[subj], events.time[subj])
        k = p.n_seeds or int(np.clip(round(np.sqrt(n) / 2), 3, 50))
        # Vouchers are counted with every mutual edge dampened, acts or not: whom the
        # organisation is anchored in does not depend on how the rings are told apart.
        seed_idx = default_seeds(
            dampen_reciprocity(vouch, p.reciprocity, unbacked), first_seen, at, k
        )
    else:
        seed_idx = np.array(
            sorted({s if isinstance(s, int | np.integer) else events.index(s) for s in seeds}),
            dtype=np.int64,
        )
        seed_idx = seed_idx[(seed_idx >= 0) & (seed_idx < n)]
    # Rings: dense groups of mutual praise, and closed groups the seeds are not part of.
    mutual = mutual_pairs(vouch, exclude=seed_idx)
    group, closed = closed_groups(
        mutual_pairs(vouch), vouch, seed_idx, p.closed_from, p.closed_span
    )
    ring = ring_matrix(vouch, mutual, group, closed, p.ring_common, p.ring_span)
    ring_of = _pair_lookup(ring)
    raw_in = np.asarray(vouch.sum(axis=0)).ravel()
    ring_in = np.asarray(vouch.multiply(ring).sum(axis=0)).ravel()
    ring_share = np.divide(ring_in, raw_in, out=np.zeros(n), where=raw_in > 0)
    vouch = dampen_reciprocity(vouch, p.reciprocity, unbacked, ring)
    out_strength = np.asarray(vouch.sum(axis=1)).ravel()
    graph, graph_dag, level = propagate_levels(
        vouch, seed_idx, p.damping, p.floor, out_strength=out_strength, max_share=p.max_share
    )
    is_seed = np.zeros(n, dtype=bool)
    is_seed[seed_idx] = True
    reached = graph[(graph > 0) & ~is_seed]
    tau = float(reached.mean()) if reached.size else 1.0
    graph_score = graph / (graph + tau * p.graph_scale)
    # Standing: how far a person's word counts, from the trust that reaches them, relative
    # to the typical member (median); people far from the seeds, or in a region entered by
    # few edges, count little.
    live = (graph > 0) & ~is_seed
    g_ref = _mass_median(graph[live], graph[live])
    standing = (
        p.stranger_weight
        + (1.0 - p.stranger_weight) * np.minimum(1.0, graph / g_ref) ** p.voucher_power
    )
    counterpart_weight = np.append(reliability * standing, p.self_weight)
    in_strength = np.asarray(vouch.sum(axis=0)).ravel()
    backing = _backing(graph, in_strength, p)
    gate_ref = _mass_median(backing[live], graph[live])
    gate = _gate(backing, gate_ref, p) * (1.0 - p.reciprocity * ring_share)
    gate[is_seed] = 1.0
    voice = evi.voice_volume(pairs, p.pair_cap, n)
    giver = np.where(pairs.cp >= 0, pairs.cp, pairs.target)
    # Certainty needs the rows on the long half-life only; the short ones are only summed.
    sums, *parts = evi.summed_evidence(
        pairs,
        n,
        counterpart_weight,
        p.pair_cap,
        reciprocity=p.reciprocity,
        voice=(voice, p.voice_budget),
        self_scale=standing,
        ring=ring_of,
        concrete=p.concrete,
        integrity_weight=_integrity_weights(
            reliability[giver], gate[giver], pairs.chan == evi.RATED, pairs.cp < 0, p
        ),
    )
    # Rated low by reliable raters whom the vouching graph backs: quality falls.
    rating_factor = _rating_factor(pairs, fairness, goodness, gate, p)
    # How sure a score is counts the word of a typical backed member as one observation
    # (backed: a crowd of accounts little trust reaches cannot move the typical member).
    backed = live & (gate >= 1.0)
    evidence_scale = 1.0 / np.median(counterpart_weight[:n][backed]) if backed.any() else 1.0
    backed_word = _certainty_scale(
        gate[np.where(pairs.cp >= 0, pairs.cp, pairs.target)], evidence_scale
    )
    dims, quality, cert = _scored(
        sums, gate, rating_factor, p, pairs.target, pairs.key // evi.N_CHANNELS, parts, backed_word
    )
    _unknown_while_weakly_vouched(cert, in_strength, is_seed, p)
    trust = np.clip(gate * quality, 0.0, 1.0)
    dconf, confidence = cert.confidence()
    return TrustResult(
        people=list(events.people),
        trust=trust,
        dimensions=dims,
        dimension_confidence=dconf,
        confidence=confidence,
        certainty=cert,
        graph=graph,
        graph_dag=graph_dag,
        level=level,
        graph_score=graph_score,
        seeds=seed_idx,
        at=at,
        params=p,
        events=events,
        pairs=pairs,
        vouch=vouch,
        out_strength=out_strength,
        reliability=reliability,
        rating_factor=rating_factor,
        fairness=fairness,
        goodness=goodness,
        counterpart_weight=counterpart_weight,
        tau=tau,
        sums=sums,
        voice=voice,
        standing=standing,
        g_ref=g_ref,
        in_strength=in_strength,
        gate_ref=gate_ref,
        evidence_scale=evidence_scale,
        mutual=mutual,
        group=group,
        closed=closed,
        ring_share=ring_share,
    )


#: The certainty of someone without evidence.
_NEWCOMER = certainty(
    np.zeros(0, np.int64),
    np.zeros(0, np.int64),
    np.zeros((0, 4)),
    np.zeros((0, 4)),
    np.full((1, 4), 0.5),
    np.full(1, 0.5),
    np.zeros(1),
    TrustParams().weights,
)


def with_event(events: Events, actor: str, subject: str | None, kind: str, time, value=np.nan):
    """Return ``events`` plus one event (a helper for tests and what-if questions)."""
    people = list(events.people)
    index = {q: i for i, q in enumerate(people)}
    for name in (actor, subject):
        if name and name not in index:
            index[name] = len(people)
            people.append(name)
    return events_from_arrays(
        people,
        np.append(events.actor, index[actor]),
        np.append(events.subject, index[subject] if subject else -1),
        np.append(events.kind, KIND_CODE[kind]),
        np.append(events.time, float(time)),
        np.append(events.value, float(value)),
    )
