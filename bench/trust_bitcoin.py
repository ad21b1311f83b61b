"""Edge-weight prediction on Bitcoin OTC and Alpha: the engine's RatingModel against baselines.

Ratings are divided by 10. Two protocols, every predictor fitted on exactly the same training
ratings in the same run:

- hold-out: 10 random 10 % hold-outs (numpy ``default_rng(seed).permutation``, seeds
  1000-1009), the mean over the ten;
- leave-one-out, approximated by K-fold cross-validation with many folds: each rating is
  predicted by predictors fitted on the other (K-1)/K of the ratings (K = 40: 97.5 %). For the
  two predictors with a closed form (global mean, target's mean) the exact leave-one-out is
  reported beside it, to show how close the approximation is.
"""

from __future__ import annotations

import time

import numpy as np

from bench.realdata_common import load_bitcoin, pearson, rmse, table
from cairn.trust.engine.ratings import RatingModel, bias_model, fairness_goodness

GOALS = {"OTC": (0.296, 0.561), "Alpha": (0.256, 0.468)}
NAMES = [
    "global mean",
    "target's mean incoming rating",
    "fairness × goodness (Kumar 2016)",
    "bias model μ + b_u + b_v (ridge, λ = 5)",
    "**RatingModel (this engine)**",
]


def predict_all(g, train, test):
    """Return each predictor's predictions for ``test`` from the ratings in ``train``."""
    s, d, r = g.src[train], g.dst[train], g.rating[train]
    u, v = g.src[test], g.dst[test]
    mu = float(r.mean())
    count = np.bincount(d, minlength=g.n)
    total = np.bincount(d, weights=r, minlength=g.n)
    target_mean = np.where(count > 0, total / np.maximum(count, 1), mu)
    f, good = fairness_goodness(s, d, r, g.n)
    b_mu, b_out, b_in = bias_model(s, d, r, g.n, lam=5.0)
    started = time.perf_counter()
    model = RatingModel().fit(s, d, r, g.n, time=g.time[train])
    ours = model.predict(u, v, time=g.time[test])
    took = time.perf_counter() - started
    preds = [
        np.full(test.size, mu),
        target_mean[v],
        f[u] * good[v],
        np.clip(b_mu + b_out[u] + b_in[v], -1, 1),
        ours,
    ]
    return preds, took


def exact_loo(g):
    """Return exact leave-one-out predictions of the global mean and the target's mean."""
    m = g.rating.size
    mu = (g.rating.sum() - g.rating) / (m - 1)
    count = np.bincount(g.dst, minlength=g.n)[g.dst] - 1
    total = np.bincount(g.dst, weights=g.rating, minlength=g.n)[g.dst] - g.rating
    return [mu, np.where(count > 0, total / np.maximum(count, 1), mu)]


def fmt(pair, constant=False):
    """Return 'RMSE / Pearson' for display (no Pearson for a constant predictor)."""
    r, p = pair
    p = float("nan") if constant else p
    return f"{r:.3f} / " + ("–" if np.isnan(p) else f"{p:.3f}")


def run(quick: bool) -> str:
    """Run the benchmark and return its Markdown section."""
    seeds = range(1000, 1002) if quick else range(1000, 1010)
    folds = 5 if quick else 40
    out = ["## Trust: edge-weight prediction on Bitcoin OTC and Alpha\n"]
    out.append(
        "Ratings / 10. Hold-out: mean over random 10 % hold-outs, seeds "
        f"{seeds[0]}–{seeds[-1]}. LOO: approximated by {folds}-fold cross-validation (each "
        f"rating predicted from the other {100 * (folds - 1) / folds:.1f} % of ratings; fold of "
        "rating i = position of i in `default_rng(7).permutation`, mod K); exact LOO shown for "
        "the closed-form baselines. Every predictor fitted on the same training ratings in the "
        "same run. RatingModel uses the rating times of the training ratings and the time of "
        "the rating to predict (not its value).\n"
    )
    verdicts = []
    for name in ("OTC", "Alpha"):
        g = load_bitcoin(name)
        m = g.rating.size
        holdout = []
        fit_times = []
        for seed in seeds:
            perm = np.random.default_rng(seed).permutation(m)
            test, train = perm[: m // 10], perm[m // 10 :]
            preds, took = predict_all(g, train, test)
            fit_times.append(took)
            y = g.rating[test]
            holdout.append([(rmse(p, y), pearson(p, y)) for p in preds])
        holdout = np.array(holdout).mean(axis=0)
        fold = np.random.default_rng(7).permutation(m) % folds
        loo = np.zeros((len(NAMES), m))
        for k in range(folds):
            test, train = np.flatnonzero(fold == k), np.flatnonzero(fold != k)
            preds, _ = predict_all(g, train, test)
            for i, p in enumerate(preds):
                loo[i, test] = p
        loo_scores = [(rmse(p, g.rating), pearson(p, g.rating)) for p in loo]
        exact = [(rmse(p, g.rating), pearson(p, g.rating)) for p in exact_loo(g)]
        rows = []
        for i, label in enumerate(NAMES):
            rows.append(
                [
                    label,
                    fmt(holdout[i], i == 0),
                    fmt(loo_scores[i], i == 0),
                    fmt(exact[i], i == 0) if i < len(exact) else "",
                ]
            )
        out.append(f"\n### Bitcoin {name} ({g.n} people, {m} ratings)\n")
        out.append(
            table(["predictor", "hold-out RMSE / Pearson", f"{folds}-fold LOO", "exact LOO"], rows)
        )
        out.append(f"\nRatingModel fit + predict: {np.mean(fit_times):.1f} s per hold-out split.\n")
        goal_rmse, goal_r = GOALS[name]
        r, p = holdout[-1]
        met = r < goal_rmse and p > goal_r
        verdicts.append(
            f"- {name}: goal RMSE < {goal_rmse} and Pearson > {goal_r} — "
            + ("**met**" if met else "**not met**")
            + f" (RatingModel {r:.3f} / {p:.3f}; bias model measured here "
            f"{holdout[3][0]:.3f} / {holdout[3][1]:.3f})."
        )
    out.append("\n### Goals\n")
    out.extend(verdicts)
    return "\n".join(out) + "\n"
