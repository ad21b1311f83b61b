"""How sure a score is: intervals from resampling a person's counterparts.

A score is *known* when it would hardly move if the evidence behind it were resampled. Every
counterpart is one *voice* (all their events about the person, on every channel; things a
person does alone form one voice too). A Bayesian bootstrap [1]_ gives each voice an
independent Exp(1) weight per replicate, so that many events from one person count as one
voice: one colleague's hundred confirmations move the replicates together. Each replicate's
Beta posterior mean varies with the weights; the interval's spread adds that variance to the
variance of the Beta posterior itself (which is wide while there is little weighted evidence,
so evidence from people whose word counts little — strangers, rings and sybil regions the
organisation's trust hardly reaches — leaves a score unknown however much there is):

``sd² = Var_replicates(mean) + Var_Beta(prior + a, prior + b)``, interval ``score ± z sd``.

Overall trust is ``gate * quality``; its interval runs from ``gate * quality_lower`` to
``quality_upper``: the part of trust that the vouching graph does not back is unknown, so a
person whom established members do not vouch for stays "not yet known" however much their
own region praises them.

The replicate weights are a hash of (target, counterpart, replicate), not a random stream:
the same evidence gives the same interval in a full recompute and an incremental update.

The thresholds (:data:`KNOWN_WIDTH`, :data:`KNOWN_TRUST_WIDTH`) are set from measured
figures, written down in ``docs/trust-confidence.md``.

References
----------
.. [1] D. B. Rubin, "The Bayesian bootstrap", Annals of Statistics 9 (1981).
.. [2] A. Jøsang, R. Ismail, "The Beta reputation system", Bled eConference 2002.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy as sp

from . import evidence as evi

__all__ = [
    "ESTABLISHED_CONFIDENCE",
    "KNOWN_CONFIDENCE",
    "KNOWN_TRUST_WIDTH",
    "KNOWN_WIDTH",
    "MAX_FURTHER",
    "Certainty",
    "certainty",
]

#: z of the two-sided 90 % interval.
Z = 1.6449
#: Bootstrap replicates, and the rows of the fixed table their weights come from.
REPLICATES = 32
TABLE_ROWS = 2**15
#: A dimension is known when its 90 % interval is at most this wide.
KNOWN_WIDTH = 0.40
#: Overall trust is known when its interval (gate included) is at most this wide.
KNOWN_TRUST_WIDTH = 0.40
#: Confidence (in [0, 1]) at which a score is known, and well established.
KNOWN_CONFIDENCE = 0.3
ESTABLISHED_CONFIDENCE = 0.7
#: The numbers of further confirmations that :func:`certainty` tries: it reports the first
#: that would make a score known (so above 5, a number a little above the least needed).
STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
MAX_FURTHER = STEPS[-1]
#: ``further`` of an unknown score when the caller did not ask what would make it known.
NOT_ASKED = -2
#: People scored per block (bounds the memory of the replicates).
BLOCK = 1024
#: One further confirmation by a colleague of full standing, on each dimension: one day's vote
#: saturated once, on the dimension's main channel (thanks, asking, kept, a quick answer).
UNIT = evi.saturate(1.0, 3.0) * np.array([1.0, 0.5, 1.0, 1.0])


@dataclass
class Certainty:
    """Intervals, known flags, and what would make each score known.

    Attributes
    ----------
    lower, upper : ndarray, shape (n, 4)
        90 % interval of each dimension.
    trust_lower, trust_upper : ndarray, shape (n,)
        Interval of overall trust (``gate * quality_lower`` to ``quality_upper``).
    known : ndarray of bool, shape (n, 4)
        Interval at most :data:`KNOWN_WIDTH` wide.
    trust_known : ndarray of bool, shape (n,)
        Interval at most :data:`KNOWN_TRUST_WIDTH` wide.
    further : ndarray of int, shape (n, 4)
        Further colleagues (each a new voice of full standing confirming once on the
        dimension's main channel: a thanks, an answered request, a kept commitment) that
        would make the dimension known; 0 if known, -1 for more than :data:`MAX_FURTHER`,
        :data:`NOT_ASKED` when the caller did not ask (``advice=False``).
    trust_further : ndarray of int, shape (n,)
        Further commitments, each confirmed kept by a different colleague of full standing,
        that would make overall trust known at today's backing; 0 if known, -1 if more than
        :data:`MAX_FURTHER` or if the backing is what is missing; :data:`NOT_ASKED` likewise.
    needs_backing : ndarray of bool, shape (n,)
        Not known, and would not be known however good the evidence, until more vouching
        from established members reaches the person.
    """

    lower: np.ndarray
    upper: np.ndarray
    trust_lower: np.ndarray
    trust_upper: np.ndarray
    known: np.ndarray
    trust_known: np.ndarray
    further: np.ndarray
    trust_further: np.ndarray
    needs_backing: np.ndarray

    @property
    def width(self) -> np.ndarray:
        """Return the width of each dimension's interval."""
        return self.upper - self.lower

    @property
    def trust_width(self) -> np.ndarray:
        """Return the width of the overall trust interval."""
        return self.trust_upper - self.trust_lower

    def confidence(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (dimension confidence (n, 4), overall confidence (n,)) in [0, 1].

        ``1 - (width / width_without_evidence) ** gamma``, with ``gamma`` such that the known
        width maps to :data:`KNOWN_CONFIDENCE`: 0 for a newcomer, 1 for a score that no
        resampling moves, and ``>= KNOWN_CONFIDENCE`` exactly when known.
        """
        return (
            _calibrated(self.width, PRIOR_WIDTH, KNOWN_WIDTH, self.known),
            _calibrated(self.trust_width, PRIOR_TRUST_WIDTH, KNOWN_TRUST_WIDTH, self.trust_known),
        )

    def take(self, rows) -> Certainty:
        """Return the certainty of some people."""
        return Certainty(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))


def _beta_var(a, b):
    return a * b / ((a + b) ** 2 * (a + b + 1.0))


#: Width of a dimension's interval without evidence (the Beta(2, 2) prior), and of overall
#: quality's (four such dimensions, independent, in the weighted geometric mean).
PRIOR_WIDTH = 2 * Z * float(np.sqrt(_beta_var(2.0, 2.0)))


def _prior_trust_width(weights) -> float:
    w = np.asarray(weights) / np.sum(weights)
    return float(2 * Z * np.sqrt(np.sum(w**2) * _beta_var(2.0, 2.0)))


PRIOR_TRUST_WIDTH = _prior_trust_width((0.2, 0.1, 0.5, 0.2))


def _calibrated(width, prior_width, known_width, known):
    gamma = np.log(1.0 - KNOWN_CONFIDENCE) / np.log(known_width / prior_width)
    c = 1.0 - np.clip(width / prior_width, 0.0, 1.0) ** gamma
    # Exactly on the threshold either way, whatever the rounding.
    return np.where(known, np.maximum(c, KNOWN_CONFIDENCE), np.minimum(c, 0.999 * KNOWN_CONFIDENCE))


@functools.cache
def _weight_table() -> np.ndarray:
    """Return a fixed table of Exp(1) weights, shape (TABLE_ROWS, REPLICATES)."""
    rng = np.random.default_rng(20261204)
    return rng.standard_exponential((TABLE_ROWS, REPLICATES))


def _exp_weights(keys: np.ndarray) -> np.ndarray:
    """Return Exp(1) weights, shape (keys, REPLICATES): a table row chosen by a hash of the key.

    A hash, not a random stream, so the same voice has the same weights in a full recompute
    and in an incremental update (splitmix64's finaliser).
    """
    x = keys.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return _weight_table()[(x % np.uint64(TABLE_ROWS)).astype(np.int64)]


#: Weights of the hypothetical further voices: row m holds the sum of m + 1 of them.
_FURTHER = np.cumsum(
    np.random.default_rng(MAX_FURTHER).standard_exponential((MAX_FURTHER, REPLICATES)), axis=0
)


def _spread(a_rep, b_rep, a, b, prior_a, prior_b):
    """Return (posterior mean, sd) per person and dimension from replicate and point sums."""
    mean_rep = (prior_a + a_rep) / (prior_a + prior_b + a_rep + b_rep)
    var = mean_rep.var(axis=-1) + _beta_var(prior_a + a, prior_b + b)
    return mean_rep, np.sqrt(var)


def _quality_spread(mean_rep, a, b, prior_a, prior_b, w):
    """Return (quality, sd) of the weighted geometric mean of the dimensions."""
    mean = (prior_a + a) / (prior_a + prior_b + a + b)
    q = np.exp(np.log(np.maximum(mean, 1e-12)) @ w)
    q_rep = np.exp(np.einsum("pdr,d->pr", np.log(np.maximum(mean_rep, 1e-12)), w))
    beta = np.sum(
        (w * q[:, None] / np.maximum(mean, 1e-12)) ** 2 * _beta_var(prior_a + a, prior_b + b),
        axis=1,
    )
    return q, np.sqrt(q_rep.var(axis=-1) + beta)


def certainty(
    target: np.ndarray,
    voice: np.ndarray,
    a_rows: np.ndarray,
    b_rows: np.ndarray,
    scores: np.ndarray,
    quality: np.ndarray,
    gate: np.ndarray,
    weights,
    prior: float = 2.0,
    scale=1.0,
    advice: bool = True,
) -> Certainty:
    """Return the intervals and known flags of ``n = scores.shape[0]`` people.

    Parameters
    ----------
    target : ndarray of int, shape (rows,)
        The person each evidence row is about, sorted.
    voice : ndarray of int, shape (rows,)
        Who gave it: a key per (target, counterpart), the same for one counterpart's rows.
    a_rows, b_rows : ndarray, shape (rows, 4)
        Weighted evidence for and against each dimension (long half-life,
        :func:`~.evidence.row_evidence`).
    scores : ndarray, shape (n, 4)
        The dimension scores (centres of their intervals).
    quality : ndarray, shape (n,)
        Behaviour quality (overall trust before the gate).
    gate : ndarray, shape (n,)
        How far the vouching graph backs each person, in [0, 1].
    weights : sequence of 4 float
        Weights of the dimensions in quality.
    prior : float, optional
        Pseudo-observations on each side of the Beta prior.
    scale : float or ndarray of shape (rows,) or (rows, 4), optional
        How much each row's evidence counts towards certainty (not the scores), per row or
        per row and dimension.
    advice : bool, optional
        Whether to work out what would make each unknown score known (``further``,
        ``trust_further``: about half the cost); without it both are -2, "not asked".

    Returns
    -------
    Certainty
    """
    n = scores.shape[0]
    scale = np.asarray(scale, dtype=np.float64)
    if scale.ndim < 2:
        scale = np.broadcast_to(scale, target.shape)[:, None]
    w = np.asarray(weights, dtype=np.float64) / np.sum(weights)
    starts = np.searchsorted(target, np.arange(0, n + BLOCK, BLOCK))
    parts = []
    for k, lo in enumerate(range(0, max(n, 1), BLOCK)):
        hi = min(lo + BLOCK, n)
        rows = slice(starts[k], starts[k + 1])
        parts.append(
            _block(
                target[rows] - lo,
                voice[rows],
                scale[rows] * a_rows[rows],  # scaled a block at a time: no copy of all rows
                scale[rows] * b_rows[rows],
                scores[lo:hi],
                quality[lo:hi],
                gate[lo:hi],
                w,
                prior,
                advice,
            )
        )
    return Certainty(
        *(np.concatenate([getattr(c, f) for c in parts]) for f in Certainty.__dataclass_fields__)
    )


def _voices(voice: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (distinct voices, the voice of each row); one pass when ``voice`` is sorted."""
    if voice.size and np.all(voice[1:] >= voice[:-1]):  # as the pair table holds them
        new = np.empty(voice.size, dtype=bool)
        new[0] = True
        np.not_equal(voice[1:], voice[:-1], out=new[1:])
        return voice[new], np.cumsum(new) - 1
    return np.unique(voice, return_inverse=True)


def _block(target, voice, a_rows, b_rows, scores, quality, gate, w, prior, advice) -> Certainty:
    m = scores.shape[0]
    keys, which = _voices(voice)
    n_voices = keys.size
    owner = np.zeros(n_voices, np.int64)
    owner[which] = target
    weight = _exp_weights(keys)
    # Each person's voices as a sparse row holding what each voice says; times the weights,
    # the replicates, without a (voices, replicates) array per dimension.
    by_owner = np.argsort(owner, kind="stable")  # already in order when ``target`` is sorted
    indptr = np.searchsorted(owner[by_owner], np.arange(m + 1))
    a_rep = np.empty((m, 4, REPLICATES))
    b_rep = np.empty((m, 4, REPLICATES))
    a = np.zeros((m, 4))
    b = np.zeros((m, 4))
    voices = sp.sparse.csr_array((np.zeros(n_voices), by_owner, indptr), shape=(m, n_voices))
    for d in range(4):
        for rows, rep, total in ((a_rows, a_rep, a), (b_rows, b_rep, b)):
            said = np.bincount(which, weights=rows[:, d], minlength=n_voices)
            voices.data = said[by_owner]
            rep[:, d] = voices @ weight
            total[:, d] = np.bincount(owner, weights=said, minlength=m)
    mean_rep, sd = _spread(a_rep, b_rep, a, b, prior, prior)
    lower = np.clip(scores - Z * sd, 0.0, 1.0)
    upper = np.clip(scores + Z * sd, 0.0, 1.0)
    _, q_sd = _quality_spread(mean_rep, a, b, prior, prior, w)
    t_lower = gate * np.clip(quality - Z * q_sd, 0.0, 1.0)
    t_upper = np.clip(quality + Z * q_sd, 0.0, 1.0)
    known = upper - lower <= KNOWN_WIDTH
    t_known = t_upper - t_lower <= KNOWN_TRUST_WIDTH
    further = np.where(known, 0, -1)
    t_further = np.where(t_known, 0, -1)
    # Count further confirmations by new colleagues until the interval is narrow enough; for
    # overall trust the confirmations are kept commitments (integrity).
    todo = np.flatnonzero(~known.all(axis=1) | ~t_known) if advice else np.zeros(0, np.int64)
    for lo in range(0, todo.size, ADVICE_ROWS):
        rows = todo[lo : lo + ADVICE_ROWS]
        dims, trust = _further(
            a_rep[rows], b_rep[rows], a[rows], b[rows], mean_rep[rows], gate[rows], w, prior
        )
        further[rows] = np.where(known[rows], 0, dims)
        t_further[rows] = np.where(t_known[rows], 0, trust)
    # Even a score that no resampling moves is unknown while the gate leaves it unbacked.
    needs_backing = ~t_known & (quality * (1.0 - gate) > KNOWN_TRUST_WIDTH)
    # Nor is any dimension known while what it rests on is unbacked (a region praising itself).
    known &= ~needs_backing[:, None]
    further[needs_backing] = -1
    t_further = np.where(needs_backing, -1, t_further)
    if not advice:
        further = np.where(known, 0, NOT_ASKED)
        t_further = np.where(t_known, 0, NOT_ASKED)
    return Certainty(
        lower, upper, t_lower, t_upper, known, t_known, further, t_further, needs_backing
    )


#: People whose advice :func:`_further` works out at once (bounds the memory of the steps).
ADVICE_ROWS = 256


def _further(a_rep, b_rep, a, b, mean_rep, gate, w, prior) -> tuple[np.ndarray, np.ndarray]:
    """Return the first of :data:`STEPS` that would make each dimension known, and overall
    trust (-1 if none does), trying every step at once.

    Each step adds that many new voices of full standing confirming once on every dimension's
    main channel (for overall trust: kept commitments, on integrity) to the evidence.
    """
    extra = np.asarray(STEPS, dtype=np.float64)
    more = UNIT[None, :, None] * _FURTHER[np.asarray(STEPS) - 1][:, None, :]  # (steps, 4, R)
    a_more = a[:, None, :] + UNIT * extra[:, None]  # (people, steps, 4)
    more_rep, more_sd = _spread(
        a_rep[:, None] + more, b_rep[:, None], a_more, b[:, None], prior, prior
    )
    dims = _first(2 * Z * more_sd <= KNOWN_WIDTH, axis=1)
    mean = (prior + a) / (2 * prior + a + b)
    log_rep = np.log(np.maximum(mean_rep, 1e-12))
    others = np.arange(4) != evi.INT
    rest_rep = np.einsum("pdr,d->pr", log_rep[:, others], w[others])
    rest_log = np.log(np.maximum(mean[:, others], 1e-12)) @ w[others]
    rest_beta = np.sum(
        (w[others] / mean[:, others]) ** 2 * _beta_var(prior + a, prior + b)[:, others], axis=1
    )
    wi, a_int, b_int = w[evi.INT], a_more[..., evi.INT], b[:, None, evi.INT]
    m_int = (prior + a_int) / (2 * prior + a_int + b_int)
    q = np.exp(rest_log[:, None] + wi * np.log(m_int))
    q_rep = np.exp(rest_rep[:, None] + wi * np.log(np.maximum(more_rep[:, :, evi.INT], 1e-12)))
    var_int = _beta_var(prior + a_int, prior + b_int)
    beta = q**2 * (rest_beta[:, None] + (wi / m_int) ** 2 * var_int)
    q_sd = np.sqrt(q_rep.var(axis=-1) + beta)
    t_width = np.clip(q + Z * q_sd, 0, 1) - gate[:, None] * np.clip(q - Z * q_sd, 0, 1)
    return dims, _first(t_width <= KNOWN_TRUST_WIDTH, axis=1)


def _first(done: np.ndarray, axis: int) -> np.ndarray:
    """Return the first step along ``axis`` that is done (from :data:`STEPS`), -1 if none."""
    steps = np.asarray(STEPS)
    return np.where(done.any(axis=axis), steps[np.argmax(done, axis=axis)], -1)
