"""A stored index reads back into one that recommends exactly as the index that was stored."""

import numpy as np
import pytest

from cairn.matching.engine.index import build_index
from cairn.matching.engine.profiles import Profile
from cairn.matching.engine.recommend import Query, recommend
from cairn.matching.engine.stored import StoredIndexError, embedder_name, from_bytes, to_bytes
from cairn.matching.engine.tests.test_recommend import GOALS, PEOPLE, WINTER
from cairn.matching.engine.text import CharTfidf, available_embedders, load_embedder

WITH_EVIDENCE = [*PEOPLE, Profile("gil", offers="negotiation", capacity=1, evidence=("a", "b"))]


def ranked(index, goal, seeker, mode):
    query = Query(goal, seeker=seeker, mode=mode, skills=("Negotiation",), exclude={"eve"})
    return [(r.person, r.score, r.reasons) for r in recommend(index, query, k=10)]


@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("mode", ["mentor", "peer", "community"])
@pytest.mark.parametrize("seeker", [None, PEOPLE[1]])
def test_a_tfidf_index_reads_back_with_its_fit(goal, mode, seeker):
    index = build_index(WITH_EVIDENCE, CharTfidf(), at=WINTER)
    again = from_bytes(to_bytes(index))
    assert list(again.profiles) == index.profiles
    assert again.profiles[-1] == index.profiles[-1]
    assert again.profiles[1:3] == index.profiles[1:3]
    assert again.at == WINTER
    assert ranked(again, goal, seeker, mode) == ranked(index, goal, seeker, mode)


@pytest.mark.skipif("minilm-static" not in available_embedders(), reason="no static model")
def test_a_pretrained_index_needs_the_same_embedder():
    embedder = load_embedder("minilm-static")
    index = build_index(WITH_EVIDENCE, embedder)
    blob = to_bytes(index)
    assert embedder_name(blob) == "minilm-static"
    again = from_bytes(blob, embedder)
    # Embeddings are stored at half precision.
    assert again.offers.dtype == np.float32
    np.testing.assert_allclose(again.offers, index.offers, atol=1e-3)
    for goal in GOALS:
        got, want = (
            ranked(again, goal, PEOPLE[4], "mentor"),
            ranked(index, goal, PEOPLE[4], "mentor"),
        )
        assert [(p, r) for p, _, r in got] == [(p, r) for p, _, r in want]
        assert [s for _, s, _ in got] == pytest.approx([s for _, s, _ in want], abs=1e-3)
    with pytest.raises(StoredIndexError, match="minilm-static"):
        from_bytes(blob)


@pytest.mark.parametrize("junk", [b"", b"not an index", str(to_bytes.__doc__).encode()])
def test_other_bytes_are_refused(junk):
    with pytest.raises(StoredIndexError):
        from_bytes(junk)
