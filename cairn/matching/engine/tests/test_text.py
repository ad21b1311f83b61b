"""Embedders: TF-IDF against a plain-Python reference, model loading and the fallback."""

import math
from collections import Counter

import numpy as np
import pytest

from cairn.matching.engine import text
from cairn.matching.engine.text import CharTfidf, ModelUnavailable, cosine, load_embedder

CORPUS = ["Stakeholder management", "negotiation; conflict", "Python data analysis", "budgets"]


def reference_tfidf(corpus, doc, ngrams=(3, 4, 5)):
    """Return the TF-IDF dict of ``doc`` computed with plain dictionaries."""
    model = CharTfidf(ngrams)
    grams = [set(model._grams(t)) for t in corpus]
    n = len(corpus)
    tf = Counter(g for g in model._grams(doc) if any(g in s for s in grams))
    vec = {}
    for g, c in tf.items():
        df = sum(g in s for s in grams)
        vec[g] = (1 + math.log(c)) * (math.log((1 + n) / (1 + df)) + 1)
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {g: v / norm for g, v in vec.items()}


@pytest.mark.parametrize(("a", "b"), [(0, 0), (0, 1), (2, 3), (1, 2)])
def test_tfidf_cosine_matches_the_reference(a, b):
    model = CharTfidf().fit(CORPUS)
    got = cosine(model.embed([CORPUS[a]]), model.embed([CORPUS[b]]))[0, 0]
    ra, rb = reference_tfidf(CORPUS, CORPUS[a]), reference_tfidf(CORPUS, CORPUS[b])
    assert got == pytest.approx(sum(v * rb.get(g, 0.0) for g, v in ra.items()), abs=1e-5)


def test_tfidf_ignores_unseen_ngrams_and_handles_empty_text():
    model = CharTfidf().fit(CORPUS)
    vecs = model.embed(["", "zzzz qqqq"])
    assert vecs.shape == (2, len(model.vocab))
    assert vecs.nnz == 0


def test_unknown_embedder_is_an_error():
    with pytest.raises(ValueError, match="unknown embedder"):
        load_embedder("word2vec")


def test_auto_falls_back_to_tfidf_without_model_files(monkeypatch, tmp_path):
    def missing(*args, **kwargs):
        raise ModelUnavailable("no model here")

    monkeypatch.setitem(text._FACTORIES, "minilm", missing)
    monkeypatch.setitem(text._FACTORIES, "minilm-static", missing)
    assert load_embedder("auto").name == "tfidf"
    with pytest.raises(ModelUnavailable):
        text.OnnxMiniLM(folder=tmp_path)


@pytest.fixture
def minilm():
    """The MiniLM embedder; the test is skipped where its model or runtime is not installed."""
    try:
        return load_embedder("minilm")
    except ModelUnavailable:
        pytest.skip("MiniLM model or runtime not installed")


def test_minilm_ranks_a_paraphrase_above_word_overlap(minilm):
    goal = minilm.embed(["I never know how to push back on my boss without sounding difficult"])
    offers = minilm.embed(
        ["disagreeing with your manager constructively", "boss battle game design"]
    )
    sims = cosine(goal, offers)[0]
    assert sims[0] > sims[1]
    assert np.linalg.norm(offers, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


@pytest.mark.parametrize("rows", [1, 50])
def test_sparse_cosine_paths_agree(rows):
    import scipy as sp

    a = sp.sparse.random_array((rows, 100_000), density=1e-4, format="csr", rng=1)
    b = sp.sparse.random_array((30, 100_000), density=1e-3, format="csr", rng=2)
    expected = (a @ b.T).toarray()
    assert cosine(a, b) == pytest.approx(expected, abs=1e-6)
    assert cosine(a.toarray()[:1], b.toarray()) == pytest.approx(expected[:1], abs=1e-5)


def test_minilm_vectors_do_not_depend_on_their_batch(minilm):
    alone = minilm.embed(["giving feedback to my team"])
    together = minilm.embed(
        ["a much longer text about budgets and spreadsheets", "giving feedback to my team"]
    )
    assert together[1] == pytest.approx(alone[0], abs=1e-5)
