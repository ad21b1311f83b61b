"""From events to evidence: channels, time decay, one vote per pair per window, saturation.

Every event becomes evidence about one person (the *target*) from a *counterpart* (or from
nobody, for things a person does alone, like sharing a lesson) on a *channel* (the event kind;
``credited`` also yields a second channel, the humility of the one who credits). Evidence is
aggregated per (target, counterpart, channel) pair:

1. events after the reference time ``at`` are ignored; an event ``age`` seconds old weighs
   ``2 ** (-age / half_life)``, on a long and a short half-life;
2. within one time window (a day) a pair casts one vote, worth its latest event;
3. a pair's votes add up, but saturate: ``E = cap * (1 - exp(-S / cap))``, so a hundred thanks
   from one person count about as much as one, and no single person can make anyone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

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

DIMENSIONS = ("generosity", "courage", "integrity", "responsiveness")
GEN, COU, INT, RES = range(4)
CREDIT_GIVEN = 13
N_CHANNELS = 14
DAY = 86400.0
#: Multiplier of the target in a pair key; people are numbered below it.
BASE = 2**28
#: Pair rows that :func:`row_evidence` weighs at once.
CHUNK_ROWS = 2**16

#: Channel -> the target is the actor (True) or the subject (False).
TARGET_IS_ACTOR = np.zeros(N_CHANNELS, dtype=bool)
TARGET_IS_ACTOR[[HELPED, SHARED, LESSON, ASKED, RESPONDED, MENTORED, CREDIT_GIVEN, COMMITTED]] = (
    True
)
#: Channels whose value splits the evidence into for and against (rating, response speed).
VALUED = np.zeros(N_CHANNELS, dtype=bool)
VALUED[[RATED, RESPONDED]] = True
#: Evidence for (POS) and against (NEG) each dimension, per unit of pair evidence.
POS = np.zeros((N_CHANNELS, 4))
NEG = np.zeros((N_CHANNELS, 4))
#: A rating on [-1, 1] is graded where a confirmation is yes or no: on integrity, a rating by
#: a colleague the organisation's trust backs counts as this many confirmations (a stranger's
#: as one; ``_integrity_weights`` in :mod:`.model`). Picked from 1-4 on simulated communities
#: with seeds 11-15, not the seeds bench/trust_attacks.py reports: Spearman against latent
#: integrity 0.727, 0.746, 0.749, 0.747.
RATING_AS_CONFIRMATIONS = 3.0
POS[RATED, [GEN, INT]] = 0.5, 1.0
NEG[RATED, [GEN, INT]] = 0.5, 1.0
POS[HELPED, GEN] = 0.5
POS[THANKED, GEN] = 1.0
POS[CREDITED, GEN] = 0.6
POS[SHARED, GEN] = 0.3
POS[LESSON, COU] = 1.0
POS[ASKED, COU] = 0.5
POS[RESPONDED, [GEN, RES]] = 0.2, 1.0
NEG[RESPONDED, RES] = 0.5
NEG[UNANSWERED, RES] = 1.0
POS[KEPT, INT] = 1.0
NEG[MISSED, INT] = 1.0
POS[MENTORED, GEN] = 0.8
POS[CREDIT_GIVEN, COU] = 0.7
#: Channels on which mutual praise is dampened.
RECIPROCAL = np.zeros(N_CHANNELS, dtype=bool)
RECIPROCAL[[RATED, THANKED, CREDITED, KEPT, CREDIT_GIVEN]] = True
#: Concrete acts of a target for a counterpart (help, an answer, a mentoring session), which
#: make praise of the target by that counterpart a working relationship rather than a ring's.
SERVICE = (HELPED, RESPONDED, MENTORED)
#: Channels that confirm a commitment's outcome; channels of praise that service backs.
OUTCOME = np.zeros(N_CHANNELS, dtype=bool)
OUTCOME[[KEPT, MISSED]] = True
SERVED = np.zeros(N_CHANNELS, dtype=bool)
SERVED[[THANKED, CREDITED, RATED, CREDIT_GIVEN]] = True
#: Channels that are concrete acts (service, or a commitment made to someone).
ACT = np.zeros(N_CHANNELS, dtype=bool)
ACT[[*SERVICE, COMMITTED]] = True
#: How much a pair's evidence makes the counterpart vouch for the target (for, against).
VOUCH_POS = np.zeros(N_CHANNELS)
VOUCH_NEG = np.zeros(N_CHANNELS)
VOUCH_POS[[RATED, THANKED, CREDITED, KEPT]] = 1.0, 1.0, 0.6, 1.0
VOUCH_NEG[[RATED, UNANSWERED, MISSED]] = 1.0, 0.3, 1.5


@dataclass
class Pairs:
    """Aggregated evidence, one row per (target, counterpart, channel), sorted by ``key``.

    ``key = (target * BASE + counterpart + 1) * N_CHANNELS + channel``, so the rows of one
    target are contiguous. ``s_long``/``s_short`` are the decayed sums of window votes,
    ``sv_long``/``sv_short`` the same weighted by the value (for valued channels), ``last_*``
    describe the latest window (for incremental updates) and ``count`` the raw events.
    """

    n: int
    key: np.ndarray
    target: np.ndarray
    cp: np.ndarray
    chan: np.ndarray
    s_long: np.ndarray
    s_short: np.ndarray
    sv_long: np.ndarray
    sv_short: np.ndarray
    last_day: np.ndarray
    last_long: np.ndarray
    last_short: np.ndarray
    last_value: np.ndarray
    count: np.ndarray

    COLUMNS = (
        "key",
        "target",
        "cp",
        "chan",
        "s_long",
        "s_short",
        "sv_long",
        "sv_short",
        "last_day",
        "last_long",
        "last_short",
        "last_value",
        "count",
    )

    def rows_of(self, target: int) -> slice:
        """Return the slice of rows whose target is ``target``."""
        lo = target * BASE * N_CHANNELS
        hi = (target + 1) * BASE * N_CHANNELS
        return slice(*np.searchsorted(self.key, [lo, hi]))

    def find(self, key: int) -> int:
        """Return the row of ``key``, or -1."""
        at = int(np.searchsorted(self.key, key))
        return at if at < self.key.size and self.key[at] == key else -1

    def take(self, rows) -> Pairs:
        """Return a table of the given rows."""
        return Pairs(self.n, *(getattr(self, c)[rows] for c in self.COLUMNS))

    def merged(self, other: Pairs) -> Pairs:
        """Return the rows of both tables in key order (keys must not overlap)."""
        both = [np.concatenate([getattr(self, c), getattr(other, c)]) for c in self.COLUMNS]
        order = np.argsort(both[0], kind="stable")
        return Pairs(max(self.n, other.n), *(x[order] for x in both))

    @classmethod
    def empty(cls, n: int) -> Pairs:
        """Return a table without rows."""
        ints = ("key", "target", "cp", "chan", "last_day", "count")
        return cls(n, *(np.zeros(0, np.int64 if c in ints else np.float64) for c in cls.COLUMNS))

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Return the rows of ``keys`` (-1 where absent)."""
        if self.key.size == 0:
            return np.full(keys.size, -1)
        at = np.minimum(np.searchsorted(self.key, keys), self.key.size - 1)
        return np.where(self.key[at] == keys, at, -1)


def event_value(kind: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Return each event's value on [-1, 1] for the valued channels (ratings, response speed).

    A response within hours counts for; one taking days counts partly against:
    ``2 exp(-hours / 24) - 1``; a response of unknown speed counts 0.4.
    """
    out = np.zeros(kind.size)
    rated = kind == RATED
    out[rated] = value[rated]
    resp = kind == RESPONDED
    hours = value[resp]
    out[resp] = np.where(np.isnan(hours), 0.4, 2.0 * np.exp(-np.nan_to_num(hours) / 24.0) - 1.0)
    return out


def evidence_rows(
    ev: Events, at: float, half_life: float, short_half_life: float, future: bool = False
):
    """Return per-row evidence arrays (target, cp, chan, day, w_long, w_short, value).

    Events after ``at`` (unless ``future``) and rows about oneself are dropped; ``credited``
    rows appear twice (contribution of the subject, humility of the actor). ``committed`` rows
    carry no evidence of their own: they are what makes a confirmation of a commitment
    concrete (:func:`support`).
    """
    keep = ((ev.time <= at) | future) & (ev.actor != ev.subject)
    # The kept rows, then the credits' rows again: one gather per column.
    source = np.flatnonzero(keep)
    credit = source[ev.kind[source] == CREDITED]
    source = np.concatenate([source, credit])
    kind = ev.kind[source].astype(np.int64)
    kind[source.size - credit.size :] = CREDIT_GIVEN
    actor, subject, t = ev.actor[source], ev.subject[source], ev.time[source]
    value = event_value(kind, ev.value[source])
    by_actor = TARGET_IS_ACTOR[kind]
    target = np.where(by_actor, actor, subject).astype(np.int64)
    cp = np.where(by_actor, subject, actor).astype(np.int64)
    age = (at - t) / DAY
    return (
        target,
        cp,
        kind,
        np.floor(t / DAY).astype(np.int64),
        np.exp2(-age / half_life),
        np.exp2(-age / short_half_life),
        value,
    )


def aggregate(n: int, target, cp, chan, day, w_long, w_short, value) -> Pairs:
    """Return the :class:`Pairs` table: one vote per pair per day, decayed sums per pair.

    Rows must be in time order (as :class:`~.events.Events` are).
    """
    # A compact key in the order of ``key`` (people numbered below n + 1, not BASE), so that
    # it fits beside the row number in one 64-bit sort. Each temporary is let go as soon as
    # it has served: at 10M events each is 80 MB.
    compact, order = sorted_with_order((target * (n + 1) + cp + 1) * N_CHANNELS + chan)
    day = day[order]
    # The last row of each (pair, day) window is its latest event: the window's vote.
    last = np.ones(compact.size, dtype=bool)
    if compact.size:
        last[:-1] = (compact[1:] != compact[:-1]) | (day[1:] != day[:-1])
    ends_of_windows = np.flatnonzero(last)
    del last
    win = order[ends_of_windows]
    del order
    wkey = compact[ends_of_windows]
    del compact
    day = day[ends_of_windows]
    events_per_window = np.diff(ends_of_windows, prepend=-1)
    del ends_of_windows
    first_of_pair = np.ones(wkey.size, dtype=bool)
    first_of_pair[1:] = wkey[1:] != wkey[:-1]
    starts = np.flatnonzero(first_of_pair)
    del first_of_pair
    ends = np.append(starts[1:], wkey.size)[: starts.size] - 1

    def per_pair(x):
        return np.add.reduceat(x, starts) if starts.size else np.zeros(0, x.dtype)

    pair, pair_chan = np.divmod(wkey[starts], N_CHANNELS)
    del wkey
    pair_target, pair_cp = np.divmod(pair, n + 1)
    del pair
    pair_cp -= 1
    columns = {
        "key": (pair_target * BASE + pair_cp + 1) * N_CHANNELS + pair_chan,
        "target": pair_target,
        "cp": pair_cp,
        "chan": pair_chan,
        "last_day": day[ends],
        "count": per_pair(events_per_window),
    }
    del day, events_per_window
    v = value[win]
    for name, weights in (("long", w_long), ("short", w_short)):
        w = weights[win]
        columns[f"s_{name}"] = per_pair(w)
        columns[f"last_{name}"] = w[ends]
        w *= v
        columns[f"sv_{name}"] = per_pair(w)
        del w
    return Pairs(n=n, last_value=v[ends], **columns)


def sorted_with_order(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(key[order], order)`` with ``order = np.argsort(key, kind="stable")``, for
    integer keys, faster when it can.

    When every key and its row number fit together in 64 bits, one plain sort of the key
    shifted left with the row number in the low bits gives the same order (ties stay in row
    order), several times faster than a stable argsort, and the sorted keys without a gather.
    """
    key = np.asarray(key, dtype=np.int64)
    shift = int(key.size).bit_length()
    if key.size == 0 or key.min() < 0 or int(key.max()) >= 1 << (64 - shift):
        order = np.argsort(key, kind="stable")
        return key[order], order
    packed = key.astype(np.uint64)
    packed <<= np.uint64(shift)
    packed |= np.arange(key.size, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << shift) - 1)).astype(np.int64)
    packed >>= np.uint64(shift)
    return packed.view(np.int64), order


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """Return ``np.argsort(key, kind="stable")`` for integer keys (:func:`sorted_with_order`)."""
    return sorted_with_order(key)[1]


def _aggregate_reference(n, target, cp, chan, day, w_long, w_short, value):
    """Plain-Python aggregation into ``{(target, cp, chan): (s_long, s_short, sv_long, count)}``."""
    windows: dict = {}
    count: dict = {}
    for i in range(len(target)):
        pair = (int(target[i]), int(cp[i]), int(chan[i]))
        windows[(pair, int(day[i]))] = (w_long[i], w_short[i], value[i])  # latest wins
        count[pair] = count.get(pair, 0) + 1
    out: dict = {}
    for (pair, _), (wl, ws, v) in windows.items():
        s_l, s_s, sv, c = out.get(pair, (0.0, 0.0, 0.0, count[pair]))
        out[pair] = (s_l + wl, s_s + ws, sv + wl * v, c)
    return out


def saturate(s: np.ndarray | float, cap: float) -> np.ndarray:
    """Return ``cap * (1 - exp(-s / cap))``: about ``s`` for small ``s``, never above ``cap``."""
    return cap * -np.expm1(-np.asarray(s) / cap)


def split(pairs: Pairs, long: bool = True, rows=slice(None)) -> tuple[np.ndarray, np.ndarray]:
    """Return the share of each pair's evidence (in ``rows``) that is for, and against."""
    s = (pairs.s_long if long else pairs.s_short)[rows]
    sv = (pairs.sv_long if long else pairs.sv_short)[rows]
    mean = np.clip(np.divide(sv, s, out=np.zeros_like(s), where=s > 0), -1.0, 1.0)
    valued = VALUED[pairs.chan[rows]]
    for_ = np.where(valued, (1.0 + mean) / 2.0, 1.0)
    against = np.where(valued, (1.0 - mean) / 2.0, 1.0)
    return for_, against


def per_target(target: np.ndarray, parts, n: int) -> list[np.ndarray]:
    """Return the row evidence of :func:`row_evidence` summed per target, each (n, 4).

    Rows sorted by target (as the pair table holds them) are summed a run at a time.
    """
    if target.size and np.all(target[1:] >= target[:-1]):
        out = [np.zeros((n, 4)) for _ in parts]
        _sum_runs(target, parts, out)
        return out
    out = []
    for per_row in parts:
        total = np.zeros((n, 4))
        for d in range(4):
            total[:, d] = np.bincount(target, weights=per_row[:, d], minlength=n)[:n]
        out.append(total)
    return out


def _sum_runs(target: np.ndarray, parts, totals) -> None:
    """Set each target's row of ``totals`` to the sum of its rows of ``parts`` (``target``
    sorted; targets beyond ``totals`` are left out)."""
    starts = np.flatnonzero(np.r_[True, target[1:] != target[:-1]])
    who = target[starts]
    inside = who < totals[0].shape[0]
    for per_row, total in zip(parts, totals, strict=True):
        total[who[inside]] = np.add.reduceat(per_row, starts, axis=0)[inside]


def summed_evidence(pairs: Pairs, n: int, weight, cap: float, integrity_weight=None, **options):
    """Return :func:`row_evidence` of every row of ``pairs`` summed per target, as
    :func:`per_target` sums it, and the long half-life rows (``a_long``, ``b_long``).

    Computed a block of whole targets at a time, so that of the short half-life rows, which
    are only summed, one block at a time is in memory (at 1M events the four row arrays are
    90 MB). Each target's rows are summed in one block, in order: the same sums to the bit.

    Parameters
    ----------
    pairs : Pairs
        The aggregated evidence.
    n : int
        Number of people.
    weight, cap, integrity_weight, **options
        As :func:`row_evidence` takes them.

    Returns
    -------
    sums : list of 4 ndarray, shape (n, 4)
        ``a_long``, ``b_long``, ``a_short``, ``b_short`` per target.
    a_long, b_long : ndarray, shape (rows, 4)
    """
    size = pairs.key.size
    starts = np.unique(np.searchsorted(pairs.target, pairs.target[::CHUNK_ROWS]))
    edges = np.append(starts, size).tolist()
    sums = [np.zeros((n, 4)) for _ in range(4)]
    a_long, b_long = np.empty((size, 4)), np.empty((size, 4))
    for lo, hi in itertools.pairwise(edges):
        block = slice(lo, hi)
        parts = row_evidence(
            pairs,
            weight,
            cap,
            rows=block,
            integrity_weight=None if integrity_weight is None else integrity_weight[block],
            **options,
        )
        a_long[block], b_long[block] = parts[0], parts[1]
        _sum_runs(pairs.target[block], parts, sums)
    return sums, a_long, b_long


def row_evidence(
    pairs: Pairs,
    weight: np.ndarray,
    cap: float,
    rows=slice(None),
    reciprocity=0.0,
    reverse=None,
    voice=None,
    self_scale=None,
    ring=None,
    concrete=1.0,
    integrity_weight=None,
):
    """Return each pair row's weighted evidence for and against each dimension.

    Parameters
    ----------
    pairs : Pairs
        The aggregated evidence.
    weight : ndarray, shape (n + 1,)
        How much each counterpart's word counts; the last entry is for "nobody" (things done
        alone).
    cap : float
        Saturation of one pair's evidence.
    rows : slice, optional
        Restrict to these rows of ``pairs`` (one target's rows for an incremental update).
    reciprocity : float, optional
        In [0, 1]: how much of the evidence for a target that is matched by the target's own
        praise of the counterpart on the same channel is discounted.
    reverse : sequence of Pairs, optional
        Tables in which to look up that praise (default: ``pairs``).
    voice : tuple (volume, budget), optional
        Each person's total statements per channel (:func:`voice_volume`) and the budget: a
        person who says more than ``budget`` on a channel has each statement scaled down so
        the total is the budget (everyone gets the same voice).
    self_scale : ndarray, shape (n,), optional
        Scale of what each person reports doing alone (by their own standing).
    ring : callable, optional
        ``ring(target, cp)`` -> how ring-like each pair's group is, in [0, 1]
        (:func:`~.graph.ring_likeness`): in a ring-like group mutual praise is discounted
        whatever acts stand behind it (a ring can fake those too). Default 0.
    concrete : float, optional
        How many times a confirmation that a commitment was kept or missed counts in the part
        that the commitment itself stands behind (it was made to the one who confirms): a
        confirmed outcome says more than a word alone.
    integrity_weight : ndarray, shape (rows,), optional
        How much each row's counterpart counts on integrity, in place of ``weight`` (default:
        ``weight``). Whether a commitment was kept, or a piece of work was done honestly, is
        something the partner witnessed: every colleague whom the organisation's trust backs
        can be one witness, whatever their standing (``_integrity_weights`` in :mod:`.model`).

    Returns
    -------
    a_long, b_long, a_short, b_short : ndarray, shape (rows, 4)
    """
    span = range(*rows.indices(pairs.key.size)) if isinstance(rows, slice) else range(0)
    if len(span) > CHUNK_ROWS and span.step == 1:
        # A chunk at a time into the outputs: the temporaries stay the size of one chunk.
        outputs = tuple(np.empty((len(span), 4)) for _ in range(4))
        for lo in range(span.start, span.stop, CHUNK_ROWS):
            chunk = slice(lo, min(lo + CHUNK_ROWS, span.stop))
            own = slice(chunk.start - span.start, chunk.stop - span.start)
            parts = row_evidence(
                pairs,
                weight,
                cap,
                chunk,
                reciprocity,
                reverse,
                voice,
                self_scale,
                ring,
                concrete,
                None if integrity_weight is None else integrity_weight[own],
            )
            for whole, part in zip(outputs, parts, strict=True):
                whole[own] = part
        return outputs
    chan = pairs.chan[rows]
    target = pairs.target[rows]
    cp = pairs.cp[rows]
    w = weight[cp]  # cp == -1 picks the last entry
    if self_scale is not None:
        w = np.where(cp < 0, w * self_scale[target], w)
    # Per row and dimension: the counterpart's weight, or their weight as a witness.
    w = np.repeat(w[:, None], 4, axis=1)
    if integrity_weight is not None:
        w[:, INT] = integrity_weight
    if voice is not None:
        w *= voice_factor(voice, cp, chan)[:, None]
    # Mutual praise on the same channel is dampened: what u says about t counts less by
    # ``reciprocity`` times the part matched by what t says about u on that channel — and
    # only the part of it that no concrete act of t for u (help, an answer, a kept
    # commitment's promise) stands behind (:func:`support`): praise that answers real work
    # is a working relationship, praise that answers praise is a ring's.
    mutual = np.flatnonzero(RECIPROCAL[chan] & (cp >= 0))
    rev = (cp[mutual] * BASE + target[mutual] + 1) * N_CHANNELS + chan[mutual]
    tables = reverse or (pairs,)
    back = np.zeros((2, chan.size))
    acts = np.zeros((2, chan.size))
    back[:, mutual] = _sums_found(tables, rev)
    backed = np.flatnonzero((RECIPROCAL[chan] | (chan == MISSED)) & (cp >= 0))
    if reverse is None and isinstance(rows, slice):
        acts[:, backed] = support_within(pairs, rows)[:, backed]
    else:
        acts[:, backed] = support(tables, target[backed], cp[backed], chan[backed])
    ringness = np.zeros(chan.size)
    if ring is not None:
        ringness[mutual] = ring(target[mutual], cp[mutual])
    outcome = OUTCOME[chan]
    out = []
    for k, long in enumerate((True, False)):
        s = (pairs.s_long if long else pairs.s_short)[rows]
        e = saturate(s, cap)
        e_back = saturate(back[k], cap)
        unbacked = np.maximum(e - saturate(acts[k], cap), 0.0)
        # A confirmed outcome of a commitment that was made counts ``concrete`` times.
        extra = np.where(outcome, (concrete - 1.0) * (e - unbacked), 0.0)
        kept = e - reciprocity * discounted_share(e, e_back, unbacked) + extra
        e_pos = (1.0 - reciprocity * ringness) * kept
        for_, against = split(pairs, long, rows)
        # A rating that praises on balance is one statement: what mutual praise takes away
        # from it goes from both of its sides, so praise traded back and forth is discounted,
        # never turned into criticism by discounting its for-part alone.
        whole = VALUED[chan] & (for_ > against)
        e_neg = np.where(whole, e_pos, e + extra) * against
        a_rows, b_rows = POS.take(chan, axis=0), NEG.take(chan, axis=0)  # (rows, 4) each
        a_rows *= (e_pos * for_)[:, None]
        a_rows *= w
        b_rows *= e_neg[:, None]
        b_rows *= w
        out += [a_rows, b_rows]
    a_long, b_long, a_short, b_short = out
    return a_long, b_long, a_short, b_short


def discounted_share(e: np.ndarray, e_back: np.ndarray, unbacked: np.ndarray) -> np.ndarray:
    """Return how much of evidence ``e`` mutual praise takes away at full reciprocity.

    ``min(e, e_back) * unbacked / e``: the part of ``e`` matched by praise back (``e_back``),
    in the share of ``e`` that no concrete act stands behind (``unbacked`` <= ``e``). What is
    left, ``e - reciprocity * share``, never falls as ``e`` grows (for ``reciprocity <= 1``).
    """
    return np.minimum(e, e_back) * np.divide(
        unbacked, e, out=np.zeros_like(e, dtype=np.float64), where=e > 0
    )


def _sums_found(tables, keys: np.ndarray) -> np.ndarray:
    """Return the long and short decayed sums of the rows with ``keys`` across ``tables``.

    Shape (2, keys); 0 where a key is absent.
    """
    total = np.zeros((2, keys.size))
    for table in tables:
        found = table.lookup(keys)
        hit = found >= 0
        total[0, hit] += table.s_long[found[hit]]
        total[1, hit] += table.s_short[found[hit]]
    return total


def support(tables, target, cp, chan) -> np.ndarray:
    """Return the concrete acts behind each praise row, as decayed window votes.

    Shape (2, rows): on the long and the short half-life.

    Praise of ``target`` by ``cp`` is backed by what ``target`` did for ``cp``: help, answers
    and mentoring behind thanks, credits and ratings; the commitment made to ``cp`` behind
    ``cp``'s confirmation that it was kept. A credit's humility (``CREDIT_GIVEN``, the one who
    credits as target) is backed by what the credited person did for them.
    """
    target, cp, chan = (np.asarray(x, dtype=np.int64) for x in (target, cp, chan))
    given = chan == CREDIT_GIVEN
    doer = np.where(given, cp, target)
    receiver = np.where(given, target, cp)
    base = (doer * BASE + receiver + 1) * N_CHANNELS
    total = np.zeros((2, chan.size))
    served = SERVED[chan]
    for act in SERVICE:
        total[:, served] += _sums_found(tables, base[served] + act)
    promised = OUTCOME[chan]
    total[:, promised] += _sums_found(tables, base[promised] + COMMITTED)
    return total


def support_within(pairs: Pairs, rows: slice = slice(None)) -> np.ndarray:
    """Return :func:`support` of the rows ``rows`` of ``pairs``, when ``pairs`` is every table.

    The acts behind praise of a target by a counterpart are rows of the same pair (same
    target and counterpart, another channel), next to it in key order: they are found by
    position among the pair's rows rather than by a search per act, the same sums in the same
    order. Only a credit's humility, backed by the reversed pair, is looked up.
    """
    lo, hi, _ = rows.indices(pairs.key.size)
    total = np.zeros((2, max(hi - lo, 0)))
    if hi <= lo:
        return total
    # Widened to whole pairs: a pair cut by the edge of ``rows`` has acts beyond it.
    start = pairs.key[lo] // N_CHANNELS * N_CHANNELS
    stop = (pairs.key[hi - 1] // N_CHANNELS + 1) * N_CHANNELS
    wide = slice(*(int(x) for x in np.searchsorted(pairs.key, [start, stop])))
    _, group, sums = _act_sums(pairs, wide, (*SERVICE, COMMITTED))
    mine = group[lo - wide.start : hi - wide.start]
    chan = pairs.chan[lo:hi]
    given = chan == CREDIT_GIVEN
    served = SERVED[chan] & ~given
    promised = OUTCOME[chan]
    for h in range(2):
        services = sums[0, h][mine]
        for k in range(1, len(SERVICE)):
            services += sums[k, h][mine]
        total[h] = np.where(served, services, np.where(promised, sums[-1, h][mine], 0.0))
    if given.any():
        at = np.flatnonzero(given) + lo
        total[:, given] = support((pairs,), pairs.target[at], pairs.cp[at], pairs.chan[at])
    return total


def _act_sums(pairs: Pairs, rows: slice, acts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each (target, counterpart) pair's decayed sums on the channels ``acts``.

    ``rows`` must hold whole pairs. Returns the pairs' ids (``target * BASE + cp + 1``,
    sorted), the pair of each row, and the sums, shape (acts, 2, pairs): long and short
    half-life, 0 where the pair has no row on that channel.
    """
    pair = pairs.key[rows] // N_CHANNELS
    new = np.empty(pair.size, dtype=bool)
    new[:1] = True
    np.not_equal(pair[1:], pair[:-1], out=new[1:])
    group = np.cumsum(new) - 1
    ids = pair[new]
    chan = pairs.chan[rows]
    sums = np.zeros((len(acts), 2, ids.size))
    for k, act in enumerate(acts):
        on = np.flatnonzero(chan == act)
        sums[k, 0, group[on]] = pairs.s_long[rows][on]
        sums[k, 1, group[on]] = pairs.s_short[rows][on]
    return ids, group, sums


def edge_support(tables, voucher: np.ndarray, vouchee: np.ndarray) -> np.ndarray:
    """Return the concrete acts of ``vouchee`` for ``voucher`` (long half-life window votes).

    One search per table for each edge's pair, rather than one per act: the pair's sums on
    every act come out of one pass over the table (:func:`_act_sums`).
    """
    want = np.asarray(vouchee, np.int64) * BASE + np.asarray(voucher, np.int64) + 1
    acts = (*SERVICE, COMMITTED)
    found = np.zeros((len(acts), want.size))
    for table in tables:
        if table.key.size == 0:
            continue
        ids, _, sums = _act_sums(table, slice(None), acts)
        at = np.minimum(np.searchsorted(ids, want), ids.size - 1)
        hit = np.flatnonzero(ids[at] == want)
        found[:, hit] += sums[:, 0, at[hit]]
    return sum(found, np.zeros(want.size))


def voice_volume(pairs: Pairs, cap: float, n: int) -> np.ndarray:
    """Return the evidence each person gives or confirms per channel, shape (n + 1, N_CHANNELS).

    For statements (thanks, ratings, confirmations) the counterpart is the one who said it;
    for things done for somebody (help, answers) it is the one they were done for.
    """
    said = pairs.cp >= 0
    key = pairs.cp[said] * N_CHANNELS + pairs.chan[said]
    e = saturate(pairs.s_long[said], cap)
    size = (n + 1) * N_CHANNELS
    return np.bincount(key, weights=e, minlength=size)[:size].reshape(n + 1, N_CHANNELS)


def voice_factor(voice, cp: np.ndarray, chan: np.ndarray) -> np.ndarray:
    """Return the scale of each statement so that nobody's channel exceeds the budget."""
    volume, budget = voice
    said = cp >= 0
    total = volume[np.where(said, cp, volume.shape[0] - 1), chan]
    return np.where(said, np.minimum(1.0, budget / np.maximum(total, 1e-12)), 1.0)


def vouch_edges(pairs: Pairs, cap: float, rows=slice(None)):
    """Return (voucher, vouchee, net weight) for each pair row that vouches (may repeat)."""
    chan = pairs.chan[rows]
    cp = pairs.cp[rows]
    use = (cp >= 0) & ((VOUCH_POS[chan] > 0) | (VOUCH_NEG[chan] > 0))
    for_, against = split(pairs, True, rows)
    e = saturate(pairs.s_long[rows], cap)
    net = e * (VOUCH_POS[chan] * for_ - VOUCH_NEG[chan] * against)
    return cp[use], pairs.target[rows][use], net[use]
