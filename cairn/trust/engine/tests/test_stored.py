"""A stored result reads back as the result that was stored: scores, explanations, paths."""

import numpy as np
import pytest

from cairn.trust.engine import KINDS, compute_trust, events_from_arrays, explain, pairwise_trust
from cairn.trust.engine.stored import StoredResultError, from_bytes, to_bytes


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(7)
    n, m = 25, 600
    people = [f"p{i}" for i in range(n)]
    events = events_from_arrays(
        people,
        rng.integers(0, n, m),
        rng.integers(0, n, m),
        rng.integers(0, len(KINDS), m).astype(np.int8),
        np.sort(rng.uniform(0, 1e7, m)),
        rng.uniform(-1, 1, m),
    )
    return compute_trust(events)


def test_scores_arrays_and_parameters_survive(result) -> None:
    back = from_bytes(to_bytes(result))
    assert back.people == result.people
    assert back.params == result.params
    np.testing.assert_array_equal(back.trust, result.trust)
    np.testing.assert_array_equal(back.dimensions, result.dimensions)
    assert (back.vouch != result.vouch).nnz == 0
    assert len(back.sums) == len(result.sums)


@pytest.mark.parametrize("viewer, person", [("p1", "p2"), ("p3", "p9"), ("p0", "p24")])
def test_pairwise_trust_and_explanations_are_the_same(result, viewer, person) -> None:
    back = from_bytes(to_bytes(result))
    assert pairwise_trust(back, viewer, person) == pairwise_trust(result, viewer, person)
    assert explain(back, person).as_dict() == explain(result, person).as_dict()


@pytest.mark.parametrize("data", [b"", b"not an npz", (to_bytes.__doc__ or "").encode()])
def test_other_bytes_are_refused_by_name(data: bytes) -> None:
    with pytest.raises(StoredResultError):
        from_bytes(data)
