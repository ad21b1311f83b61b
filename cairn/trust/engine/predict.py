"""Rating prediction as of a moment: what rating would u give v at time t?

Every feature of a pair (u, v) at time t is computed from the ratings made strictly before t,
by the same code when fitting (a training rating made at t gets the features of its pair as of
t) and when predicting. A prediction never leans on anything the model could not have known
at the moment it is asked about; the benchmark judges it forward in time
(``bench/trust_bitcoin.py``).

The predictor is the ridge bias model ``mu + b_u + b_v`` [3]_ as of t, plus a correction: a
gradient-boosted tree ensemble (scikit-learn's ``HistGradientBoostingRegressor``) fitted to the
bias model's residual and shrunk by a weight in [0, 1] chosen on the most recent part of the
training ratings, predicted forward from the ratings before it. With weight 0 it *is* the bias
model, so on that validation tail the checked ensemble does no worse than the bias model in
squared error; the ensemble then refitted on every rating keeps its rounds and weight, and
how it does on the real future is for the benchmark to say.

References
----------
.. [1] S. Kumar, F. Spezzano, V. S. Subrahmanian, C. Faloutsos, "Edge weight prediction in
   weighted signed networks", ICDM 2016.
.. [2] S. Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
.. [3] Y. Koren, "Factorization meets the neighborhood", KDD 2008 (the bias model).
.. [4] J. H. Friedman, "Greedy function approximation: a gradient boosting machine", 2001.
"""

from __future__ import annotations

import numpy as np
import scipy as sp
import scipy.sparse  # noqa: F401  (makes sp.sparse available)
from sklearn.ensemble import HistGradientBoostingRegressor

from .ratings import _check, bias_model, fairness_goodness, rev2

__all__ = ["FEATURES", "RatingModel"]

_DAY = 86400.0

FEATURES = (
    "bias model",
    "rater offset",
    "target offset",
    "rater fairness",
    "target goodness",
    "fairness x goodness",
    "rater REV2 fairness",
    "target REV2 goodness",
    "two-hop mean",
    "two-hop count",
    "target in: count",
    "target in: mean",
    "target in: spread",
    "target in: share negative",
    "target in: mean, last 30 days",
    "target in: count, last 30 days",
    "target in: last rating",
    "target in: days since last rating",
    "rater out: count",
    "rater out: mean",
    "rater out: spread",
    "rater out: share negative",
    "rater out: last rating",
    "target out: mean",
    "rater in: mean",
    "rater in: count",
    "reciprocal rating",
)


class _History:
    """Values of events in groups (a person, a pair), to answer "before time t" questions.

    Events are sorted by (group, time) once; a question about group ``g`` before time ``t`` is
    two binary searches into cumulative sums.
    """

    def __init__(self, group, time, value, n_groups):
        self.t0 = float(time.min()) - 1.0 if time.size else 0.0
        self.span = float(time.max()) - self.t0 + 2.0 if time.size else 2.0
        order = np.lexsort((time, group))
        self.key = group[order] * self.span + (time[order] - self.t0)
        self.time = time[order]
        self.value = value[order]
        self.first = np.searchsorted(group[order], np.arange(n_groups + 1))
        self.n_groups = n_groups
        cum = np.cumsum
        self.csum = np.concatenate([[0.0], cum(value[order])])
        self.csq = np.concatenate([[0.0], cum(value[order] ** 2)])
        self.cneg = np.concatenate([[0.0], cum(value[order] < 0)])

    def _index(self, group, t):
        """Return the position of ``group``'s first event at or after ``t``."""
        offset = np.clip(t - self.t0, 0.0, self.span)
        return np.searchsorted(self.key, group * self.span + offset, side="left")

    def before(self, group, t, window=np.inf):
        """Return count, sum, sum of squares and negatives of events in ``[t - window, t)``.

        Groups outside ``0 .. n_groups-1`` have no events.
        """
        known = (group >= 0) & (group < self.n_groups)
        g = np.where(known, group, 0)
        right = self._index(g, t)
        left = np.maximum(self._index(g, t - window), self.first[g])
        left = np.where(known, np.minimum(left, right), right)
        return (
            (right - left).astype(np.float64),
            self.csum[right] - self.csum[left],
            self.csq[right] - self.csq[left],
            self.cneg[right] - self.cneg[left],
        )

    def last(self, group, t):
        """Return the value and time of ``group``'s latest event before ``t`` (NaN if none).

        Of events at the same time, the one given last counts as the latest.
        """
        known = (group >= 0) & (group < self.n_groups)
        g = np.where(known, group, 0)
        right = self._index(g, t)
        found = known & (right > self.first[g])
        at = np.maximum(right - 1, 0)
        if self.value.size == 0:
            return np.full(g.size, np.nan), np.full(g.size, np.nan)
        return np.where(found, self.value[at], np.nan), np.where(found, self.time[at], np.nan)


def _history_reference(group, time, value, q_group, q_time, window=np.inf):
    """Plain-Python :meth:`_History.before` and :meth:`_History.last`, one query at a time.

    Returns a list of ``(count, sum, last value, last time)`` per query.
    """
    out = []
    for g, t in zip(q_group, q_time, strict=True):
        inside = [
            (s, w)
            for h, s, w in zip(group, time, value, strict=True)
            if h == g and t - window <= s < t
        ]
        latest = (-np.inf, np.nan)  # of ties, the one given last
        for h, s, w in zip(group, time, value, strict=True):
            if h == g and latest[0] <= s < t:
                latest = (s, w)
        latest = latest if latest[0] > -np.inf else (np.nan, np.nan)
        out.append((len(inside), sum(w for _, w in inside), latest[1], latest[0]))
    return out


def _mean(total, count):
    return np.where(count > 0, total / np.maximum(count, 1.0), np.nan)


def _spread(total, squares, count):
    mean = _mean(total, count)
    return np.where(
        count > 1, np.sqrt(np.maximum(squares / np.maximum(count, 1) - mean**2, 0)), np.nan
    )


class _Snapshot:
    """The whole-graph models fitted on the ratings made before one moment."""

    def __init__(self, src, dst, rating, n, lam):
        self.mu, b_out, b_in = bias_model(src, dst, rating, n, lam=lam)
        f, g = fairness_goodness(src, dst, rating, n)
        rf, rg, _ = rev2(src, dst, rating, n)
        pad = np.append
        self.b_out, self.b_in = pad(b_out, 0.0), pad(b_in, 0.0)
        self.f, self.g, self.rf, self.rg = pad(f, 1.0), pad(g, 0.0), pad(rf, 0.5), pad(rg, 0.0)
        m = n + 1  # slot n stands for anyone unseen
        pos = rating > 0
        sps = sp.sparse
        self.trusted = sps.csr_matrix((np.ones(int(pos.sum())), (src[pos], dst[pos])), shape=(m, m))
        self.w_by_target = sps.csr_matrix((rating, (dst, src)), shape=(m, m))
        self.c_by_target = sps.csr_matrix((np.ones(rating.size), (dst, src)), shape=(m, m))

    def features(self, u, v, chunk=20000):
        """Return the bias-model prediction and the snapshot's feature columns for pairs."""
        base = self.mu + self.b_out[u] + self.b_in[v]
        hop_sum = np.empty(u.size)
        hop_cnt = np.empty(u.size)
        for at in range(0, u.size, chunk):
            rows = self.trusted[u[at : at + chunk]]
            hop_sum[at : at + chunk] = rows.multiply(self.w_by_target[v[at : at + chunk]]).sum(1).A1
            hop_cnt[at : at + chunk] = rows.multiply(self.c_by_target[v[at : at + chunk]]).sum(1).A1
        cols = [
            base,
            self.b_out[u],
            self.b_in[v],
            self.f[u],
            self.g[v],
            self.f[u] * self.g[v],
            self.rf[u],
            self.rg[v],
            _mean(hop_sum, hop_cnt),
            np.log1p(hop_cnt),
        ]
        return base, cols


class _AsOf:
    """Features of pairs as of a moment, from a fixed set of past ratings.

    The whole-graph models (bias model, fairness/goodness, REV2, two-hop) are refitted at
    ``snapshots`` moments spread over the ratings' times; a question at time t uses the latest
    snapshot at or before t, i.e. only ratings made before it. Per-person and per-pair
    aggregates are exact: every rating made before t counts.
    """

    def __init__(self, src, dst, rating, time, n, *, snapshots, lam):
        self.n, self.lam = n, lam
        self.src, self.dst, self.rating, self.time = src, dst, rating, time
        if time.size:
            inner = np.quantile(time, np.arange(1, snapshots) / snapshots)
            self.grid = np.unique(np.append(inner, np.nextafter(time.max(), np.inf)))
        else:
            self.grid = np.zeros(0)
        self._snapshots: dict[int, _Snapshot] = {}
        self.given = _History(src, time, rating, n)
        self.received = _History(dst, time, rating, n)
        self.pair_keys = np.unique(src * (n + 1) + dst)
        pair = np.searchsorted(self.pair_keys, src * (n + 1) + dst)
        self.pairs = _History(pair, time, rating, self.pair_keys.size)

    def end(self):
        """Return the first moment at which every rating is in the past."""
        return float(self.grid[-1]) if self.grid.size else 0.0

    def _snapshot(self, k):
        if k not in self._snapshots:
            if k < 0:
                keep = np.zeros(self.time.size, dtype=bool)
            else:
                keep = self.time < self.grid[k]
            self._snapshots[k] = _Snapshot(
                self.src[keep], self.dst[keep], self.rating[keep], self.n, self.lam
            )
        return self._snapshots[k]

    def _pair(self, a, b):
        """Return the pair index of a -> b, or -1 if a never rated b."""
        if self.pair_keys.size == 0:
            return np.full(a.size, -1)
        key = a * (self.n + 1) + b
        at = np.minimum(np.searchsorted(self.pair_keys, key), self.pair_keys.size - 1)
        return np.where(self.pair_keys[at] == key, at, -1)

    def __call__(self, u, v, t):
        """Return the bias-model prediction and the feature matrix of pairs (u, v) at times t.

        A moment after the last rating (or NaN) means just after the last rating: what is
        known then is all there is to know.
        """
        k = u.size
        t = np.minimum(np.nan_to_num(t, nan=np.inf), self.end())
        base = np.empty(k)
        snap_cols = np.empty((k, 10))
        which = np.searchsorted(self.grid, t, side="right") - 1
        for s in np.unique(which):
            rows = which == s
            b, cols = self._snapshot(int(s)).features(u[rows], v[rows])
            base[rows] = b
            snap_cols[rows] = np.column_stack(cols)
        cols = [snap_cols]
        c, s, q, neg = self.received.before(v, t)
        last_value, last_time = self.received.last(v, t)
        c30, s30, _, _ = self.received.before(v, t, 30 * _DAY)
        cols += [np.log1p(c), _mean(s, c), _spread(s, q, c), _mean(neg, c)]
        cols += [_mean(s30, c30), np.log1p(c30), last_value, (t - last_time) / _DAY]
        c, s, q, neg = self.given.before(u, t)
        last_value, _ = self.given.last(u, t)
        cols += [np.log1p(c), _mean(s, c), _spread(s, q, c), _mean(neg, c), last_value]
        c, s, _, _ = self.given.before(v, t)
        cols += [_mean(s, c)]
        c, s, _, _ = self.received.before(u, t)
        cols += [_mean(s, c), np.log1p(c)]
        reciprocal, _ = self.pairs.last(self._pair(v, u), t)
        cols += [reciprocal]
        return base, np.column_stack(cols)


class RatingModel:
    """Predict the rating a person would give another at a moment, in [-1, 1].

    The bias model as of that moment plus a shrunk, boosted correction of its residual (see
    the module docstring). Features (:data:`FEATURES`): the bias model, fairness/goodness [1]_
    and REV2 [2]_ scores and what the people the rater rated positively said about the target
    (refitted at a few snapshot moments), the target's and the rater's rating histories (count,
    mean, spread, share negative, the last 30 days, the latest rating) and the reciprocal
    rating — each from ratings made strictly before the moment.

    Fitting: the most recent ``validation`` share of the ratings is held back and predicted
    forward from the ratings before it, as a real future would be (features as of the moment
    of each rating, but knowing only the ratings before the held-back part). There the number
    of boosting rounds is chosen by early stopping, and the weight of the correction in
    [0, 1] by least squares. Then the ensemble is refitted on every rating with that many
    rounds. A long validation tail (30 %) measured best forward in time on Bitcoin OTC and
    Alpha: the weight is then chosen for predictions far ahead, as the product makes them.

    Parameters
    ----------
    lam : float, optional
        Ridge penalty of the bias model.
    snapshots : int, optional
        How many moments the whole-graph models are refitted at.
    validation : float, optional
        Share of the latest ratings held back to choose the rounds and the weight.
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization : optional
        Passed to ``HistGradientBoostingRegressor``.
    seed : int, optional
        Random state of the ensemble.

    References
    ----------
    .. [1] Kumar et al., "Edge weight prediction in weighted signed networks", ICDM 2016.
    .. [2] Kumar et al., "REV2: Fraudulent user prediction in rating platforms", WSDM 2018.
    """

    def __init__(
        self,
        *,
        lam=5.0,
        snapshots=12,
        validation=0.3,
        max_iter=300,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        seed=0,
    ):
        self.lam, self.snapshots, self.validation = lam, snapshots, validation
        self.boost_options = {
            "max_iter": max_iter,
            "learning_rate": learning_rate,
            "max_leaf_nodes": max_leaf_nodes,
            "min_samples_leaf": min_samples_leaf,
            "l2_regularization": l2_regularization,
            "random_state": seed,
        }

    def _as_of(self, src, dst, rating, time):
        return _AsOf(src, dst, rating, time, self.n_, snapshots=self.snapshots, lam=self.lam)

    def fit(self, src, dst, rating, n, time):
        """Fit to ratings with their times and return self.

        Parameters
        ----------
        src, dst, rating : array_like
            The rating graph over ``n`` people (:mod:`.ratings`).
        n : int
        time : array_like of float
            Unix seconds of each rating.

        Returns
        -------
        RatingModel
            self.

        Raises
        ------
        ConvergenceError
            If a whole-graph model does not converge.
        """
        src, dst, rating = _check(src, dst, rating, n)
        time = np.asarray(time, dtype=np.float64).ravel()
        if time.shape != rating.shape or not np.all(np.isfinite(time)):
            raise ValueError("time must be finite, one per rating")
        self.n_ = n
        self.history_ = self._as_of(src, dst, rating, time)
        self.weight_ = 0.0
        self.booster_ = None
        past = time < np.quantile(time, 1.0 - self.validation) if time.size else time < 0
        if past.sum() < 50 or (~past).sum() < 20:
            return self  # too little to learn a correction from: the bias model alone
        inner = self._as_of(src[past], dst[past], rating[past], time[past])
        base, x = inner(src[past], dst[past], time[past])
        val_base, x_val = inner(src[~past], dst[~past], time[~past])
        residual = rating[~past] - val_base
        probe = HistGradientBoostingRegressor(
            early_stopping=True, n_iter_no_change=20, **self.boost_options
        ).fit(x, rating[past] - base, X_val=x_val, y_val=residual)
        correction = probe.predict(x_val)
        denom = float(correction @ correction)
        self.weight_ = float(np.clip(residual @ correction / denom, 0.0, 1.0)) if denom else 0.0
        if self.weight_ == 0.0:
            return self
        base, x = self.history_(src, dst, time)
        options = dict(self.boost_options, max_iter=max(1, probe.n_iter_))
        self.booster_ = HistGradientBoostingRegressor(early_stopping=False, **options).fit(
            x, rating - base
        )
        return self

    def features(self, src, dst, time=None):
        """Return the bias-model prediction and the feature matrix of pairs at times.

        Parameters
        ----------
        src, dst : array_like of int
            Rater and rated person; indices outside ``0 .. n-1`` mean someone unseen.
        time : array_like of float, optional
            Unix seconds of the moment each prediction is made as of; a moment after the last
            training rating, NaN or None mean just after it.

        Returns
        -------
        base : ndarray, shape (k,)
            The bias model as of each moment.
        x : ndarray, shape (k, len(FEATURES))
            The features, NaN where there is no evidence.
        """
        u = np.asarray(src, dtype=np.int64).ravel()
        v = np.asarray(dst, dtype=np.int64).ravel()
        u = np.where((u < 0) | (u >= self.n_), self.n_, u)
        v = np.where((v < 0) | (v >= self.n_), self.n_, v)
        if time is None:
            time = np.inf
        return self.history_(u, v, np.broadcast_to(np.asarray(time, dtype=np.float64), u.shape))

    def predict(self, src, dst, time=None):
        """Return the predicted rating of each pair as of each moment, in [-1, 1].

        Parameters
        ----------
        src, dst, time : array_like
            As for :meth:`features`: only ratings before each moment are used.

        Returns
        -------
        ndarray
            Predicted ratings in [-1, 1]; a pair of strangers gets the mean rating.
        """
        base, x = self.features(src, dst, time)
        if self.booster_ is not None and base.size:
            base = base + self.weight_ * self.booster_.predict(x)
        return np.clip(base, -1.0, 1.0)
