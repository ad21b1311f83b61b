"""Tests for rating prediction as of a moment: no feature sees the moment or after it."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor

from cairn.trust.engine.predict import FEATURES, RatingModel, _History, _history_reference
from cairn.trust.engine.ratings import bias_model

DAY = 86400.0


def drifting_ratings(seed=0, n=80, m=4000, days=400):
    """Return ratings of targets whose quality flips at a random day, with times (sorted)."""
    rng = np.random.default_rng(seed)
    before, after = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)
    flip = rng.uniform(0, days, n) * DAY
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    time = np.sort(rng.uniform(0, days * DAY, m)) + 1.6e9
    quality = np.where(time - 1.6e9 < flip[dst], before[dst], after[dst])
    rating = np.clip(quality + rng.normal(0, 0.15, m), -1, 1)
    return src, dst, rating, n, time


@pytest.mark.parametrize("window", [np.inf, 5.0, 0.5])
def test_history_matches_reference(window):
    rng = np.random.default_rng(3)
    group = rng.integers(0, 5, 60)
    time = np.round(rng.uniform(1000, 1100, 60))  # whole numbers, so ties happen
    value = rng.uniform(-1, 1, 60)
    q_group = np.r_[group[:20], [0, 4, -1, 5]]
    q_time = np.r_[time[:20], [900.0, 1200.0, 1050.0, 1050.0]]
    history = _History(group, time, value, 5)
    count, total, _, _ = history.before(q_group, q_time, window)
    last_value, last_time = history.last(q_group, q_time)
    ref = _history_reference(group, time, value, q_group, q_time, window)
    assert count.tolist() == [c for c, _, _, _ in ref]
    assert total == pytest.approx([s for _, s, _, _ in ref])
    if window == np.inf:
        assert last_value == pytest.approx([v for _, _, v, _ in ref], nan_ok=True)
        assert last_time == pytest.approx([t for _, _, _, t in ref], nan_ok=True)


def test_features_at_fit_equal_features_at_predict(monkeypatch):
    src, dst, rating, n, time = drifting_ratings(m=1500)
    seen = []
    original = HistGradientBoostingRegressor.fit

    def spy(self, x, y, **kwargs):
        seen.append(x.copy())
        return original(self, x, y, **kwargs)

    monkeypatch.setattr(HistGradientBoostingRegressor, "fit", spy)
    model = RatingModel(max_iter=30).fit(src, dst, rating, n, time)
    assert model.booster_ is not None
    fitted = seen[-1]  # the final fit, on every rating as of its own time
    assert fitted.shape == (rating.size, len(FEATURES))
    for i in np.random.default_rng(1).choice(rating.size, 40, replace=False):
        _, x = model.features([src[i]], [dst[i]], [time[i]])
        np.testing.assert_array_equal(x[0], fitted[i])


def test_features_ignore_everything_from_the_moment_on():
    src, dst, rating, n, time = drifting_ratings(m=1500)
    at = time[900]
    later = time >= at
    rng = np.random.default_rng(5)
    rewritten = rating.copy()
    rewritten[later] = rng.uniform(-1, 1, int(later.sum()))
    shuffled_dst = dst.copy()
    shuffled_dst[later] = rng.permutation(dst[later])
    ok = src != shuffled_dst
    a = RatingModel(max_iter=10).fit(src[ok], dst[ok], rating[ok], n, time[ok])
    b = RatingModel(max_iter=10).fit(src[ok], shuffled_dst[ok], rewritten[ok], n, time[ok])
    u, v = src[:50], dst[:50]
    base_a, x_a = a.features(u, v, np.full(50, at))
    base_b, x_b = b.features(u, v, np.full(50, at))
    # Equal up to rounding (running sums pass through other people's later ratings).
    np.testing.assert_allclose(x_a, x_b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(base_a, base_b, rtol=1e-9, atol=1e-12)
    # ...while at the end of the history the rewritten ratings do count.
    assert not np.array_equal(a.features(u, v)[1], b.features(u, v)[1])


def test_learns_a_change_of_behaviour_the_bias_model_misses():
    src, dst, rating, n, time = drifting_ratings()
    train = time < np.quantile(time, 0.75)
    test = ~train
    model = RatingModel().fit(src[train], dst[train], rating[train], n, time[train])
    pred = model.predict(src[test], dst[test], time[test])
    mu, b_out, b_in = bias_model(src[train], dst[train], rating[train], n)
    bias = np.clip(mu + b_out[src[test]] + b_in[dst[test]], -1, 1)
    assert model.weight_ > 0
    rmse = np.sqrt(np.mean((pred - rating[test]) ** 2))
    assert rmse < 0.9 * np.sqrt(np.mean((bias - rating[test]) ** 2))


def test_unseen_people_get_a_default_in_range():
    src, dst, rating, n, time = drifting_ratings(m=1000)
    model = RatingModel(max_iter=20).fit(src, dst, rating, n, time)
    pred = model.predict([0, n + 5, -1], [n + 9, 1, 2], [time[-1], 0.0, time[0]])
    assert pred.shape == (3,)
    assert np.isfinite(pred).all() and ((pred >= -1) & (pred <= 1)).all()
    assert model.predict([], []).shape == (0,)


def test_with_few_ratings_it_is_the_bias_model():
    src, dst, rating, time = [0, 1, 2], [1, 2, 0], [1.0, 0.5, -0.5], [1.0, 2.0, 3.0]
    model = RatingModel().fit(src, dst, rating, 3, time)
    mu, b_out, b_in = bias_model(src, dst, rating, 3)
    assert model.booster_ is None
    assert model.predict([0, 2], [1, 1]) == pytest.approx(mu + b_out[[0, 2]] + b_in[[1, 1]])


@pytest.mark.parametrize("time", [[1.0, np.nan, 3.0], [1.0, 2.0]])
def test_bad_times_are_rejected(time):
    with pytest.raises(ValueError, match="time"):
        RatingModel().fit([0, 1, 2], [1, 2, 0], [1.0, 0.5, -0.5], 3, time)
