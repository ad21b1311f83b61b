import numpy as np
import pytest

from cairn.safeguards import detect


def random_events(seed: int, n: int, people: int, days: float):  # noqa: ANN201
    rng = np.random.default_rng(seed)
    actor = rng.integers(0, people, n)
    subject = rng.integers(0, people, n)
    kind = rng.integers(0, 3, n)
    time = np.round(rng.uniform(0, days * 86400, n), -3)  # some ties
    return actor, subject, kind, time


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [1, 3])
def test_serial_matches_the_reference(seed: int, limit: int) -> None:
    actor, subject, kind, time = random_events(seed, 120, 4, 3)
    got = detect.serial(actor, subject, kind, time, limit=limit)
    assert got.tolist() == detect.serial_reference(
        actor.tolist(), subject.tolist(), kind.tolist(), time.tolist(), limit=limit
    )


@pytest.mark.parametrize("seed", range(4))
def test_bursts_match_the_reference(seed: int) -> None:
    actor, _, _, time = random_events(seed, 150, 3, 0.5)
    got = detect.bursts(actor, time, limit=10)
    assert got.tolist() == detect.bursts_reference(actor.tolist(), time.tolist(), limit=10)


def test_a_hundred_thanks_in_a_day_keep_the_first_three() -> None:
    time = np.linspace(0, 80000, 100)
    got = detect.serial(np.zeros(100), np.ones(100), np.zeros(100), time, limit=3)
    assert got.sum() == 97
    assert not got[:3].any()


def test_spread_out_thanks_are_not_serial() -> None:
    time = np.arange(10) * 2 * 86400.0
    assert not detect.serial(np.zeros(10), np.ones(10), np.zeros(10), time).any()


RING = [(a, b) for a in range(4) for b in range(4) if a != b]


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        (RING * 3, [[0, 1, 2, 3]]),
        # The same four, but well praised by five others: an ordinary close team.
        (RING + [(p, q) for p in range(4, 9) for q in range(4)] * 2, []),
        # Two people thanking each other are not a ring.
        ([(0, 1), (1, 0)] * 5, []),
        # A chain of one-way thanks is no ring.
        ([(0, 1), (1, 2), (2, 3), (3, 0)] * 5, []),
        ([], []),
    ],
)
def test_rings_match_known_answers_and_the_reference(edges, expected) -> None:  # noqa: ANN001
    actor = np.array([a for a, _ in edges], dtype=np.int64)
    subject = np.array([b for _, b in edges], dtype=np.int64)
    assert detect.rings(actor, subject, 9) == expected
    assert detect.rings_reference(actor.tolist(), subject.tolist(), 9) == expected


@pytest.mark.parametrize("seed", range(5))
def test_rings_match_the_reference_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    actor = rng.integers(0, 12, 60)
    subject = rng.integers(0, 12, 60)
    kwargs = {"min_insularity": 0.5, "max_outside": 6}
    assert detect.rings(actor, subject, 12, **kwargs) == detect.rings_reference(
        actor.tolist(), subject.tolist(), 12, **kwargs
    )
