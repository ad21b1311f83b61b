"""nDCG against hand-worked answers, and the judged set's shape."""

import math

import pytest

from cairn.matching.engine.evaluation import load_eval_set, mean_ndcg, ndcg_at_k
from cairn.matching.engine.text import CharTfidf


def reference_ndcg(ranked, grades, k):
    dcg = sum((2 ** grades.get(x, 0) - 1) / math.log2(i + 2) for i, x in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


@pytest.mark.parametrize(
    ("ranked", "grades", "k", "expected"),
    [
        (["a", "b", "c"], {"a": 3, "b": 1}, 10, 1.0),
        (["b", "a", "c"], {"a": 3, "b": 1}, 10, (1 + 7 / math.log2(3)) / (7 + 1 / math.log2(3))),
        (["c", "d"], {"a": 3}, 10, 0.0),
        (["x"], {}, 10, 0.0),
        (["c", "a"], {"a": 2, "b": 2, "c": 0}, 1, 0.0),
    ],
)
def test_ndcg_known_answers(ranked, grades, k, expected):
    assert ndcg_at_k(ranked, grades, k) == pytest.approx(expected)
    assert reference_ndcg(ranked, grades, k) == pytest.approx(expected)


def test_the_judged_set_is_large_enough_and_consistent():
    data = load_eval_set()
    pairs = [(g, p, grade) for g, by in data.grades.items() for p, grade in by.items()]
    assert len(pairs) >= 200
    assert {grade for *_, grade in pairs} == {0, 1, 2, 3}
    assert all(p in data.profiles for _, p, _ in pairs)
    assert all(max(by.values()) == 3 for by in data.grades.values())


def test_tfidf_scores_above_chance_on_the_judged_set():
    assert 0.4 < mean_ndcg(CharTfidf()) < 0.8
