"""Ranking quality on the judged evaluation set (nDCG@k), used to choose the embedder.

References
----------
.. [1] Järvelin, K. and Kekäläinen, J. "Cumulated gain-based evaluation of IR techniques",
   ACM Transactions on Information Systems 20(4), 2002.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import DATA_DIR, Embedder, cosine

__all__ = ["EvalSet", "load_eval_set", "ndcg_at_k", "rank_profiles", "mean_ndcg"]

EVAL_DIR = DATA_DIR / "eval"


@dataclass(frozen=True)
class EvalSet:
    """Goals, profiles and graded judgements (unlisted pairs count as grade 0)."""

    goals: dict[str, str]
    profiles: dict[str, str]
    grades: dict[str, dict[str, int]]


def load_eval_set(folder: Path = EVAL_DIR) -> EvalSet:
    """Return the judged evaluation set stored in ``folder``."""

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    goals = {r["goal"]: r["text"] for r in rows("goals.csv")}
    profiles = {r["person"]: r["offers"] for r in rows("profiles.csv")}
    grades: dict[str, dict[str, int]] = {g: {} for g in goals}
    for r in rows("judgements.csv"):
        grades[r["goal"]][r["person"]] = int(r["grade"])
    return EvalSet(goals=goals, profiles=profiles, grades=grades)


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Return the normalised discounted cumulative gain of a ranking at cut-off ``k``.

    Parameters
    ----------
    ranked : sequence of str
        Items, best first.
    grades : mapping of str to int
        Graded relevance; missing items count as 0.
    k : int

    Returns
    -------
    float
        In [0, 1]; gain ``2**grade - 1`` and discount ``1 / log2(rank + 1)``. 0 when no item
        is relevant.
    """
    gains = np.array([2.0 ** grades.get(item, 0) - 1 for item in ranked[:k]])
    ideal = np.sort(np.array([2.0**g - 1 for g in grades.values()]))[::-1][:k]
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    best = float((ideal * discount[: len(ideal)]).sum())
    return float((gains * discount[: len(gains)]).sum()) / best if best > 0 else 0.0


def rank_profiles(embedder: Embedder, data: EvalSet) -> dict[str, list[str]]:
    """Return, for each goal, every profile ranked by cosine similarity, best first."""
    people = list(data.profiles)
    embedder.fit(list(data.profiles.values()))
    offers = embedder.embed([data.profiles[p] for p in people])
    goal_ids = list(data.goals)
    sims = cosine(embedder.embed([data.goals[g] for g in goal_ids]), offers)
    return {
        g: [people[j] for j in np.argsort(-sims[i], kind="stable")] for i, g in enumerate(goal_ids)
    }


def mean_ndcg(embedder: Embedder, data: EvalSet | None = None, k: int = 10) -> float:
    """Return the mean nDCG@k of an embedder over the goals of the evaluation set."""
    data = data or load_eval_set()
    ranking = rank_profiles(embedder, data)
    return float(np.mean([ndcg_at_k(ranking[g], data.grades[g], k) for g in data.goals]))
