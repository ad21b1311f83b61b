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
FIND = [detect.find_rings, detect.find_rings_reference]


def arrays(edges):  # noqa: ANN001, ANN201
    return [a for a, _ in edges], [b for _, b in edges]


@pytest.mark.parametrize("find", FIND)
@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        (RING * 3, [detect.Ring((0, 1, 2, 3), 36, 36, 0)]),
        # The same four, but well praised by five others: an ordinary close team.
        (RING + [(p, q) for p in range(4, 9) for q in range(4)] * 2, []),
        # One outsider praising often is one person: still a ring (the share is 36 of 44).
        (RING * 3 + [(4, 0)] * 8, [detect.Ring((0, 1, 2, 3), 36, 44, 1)]),
        # Four outsiders once each: 90 % from inside, but four distinct people vouch for them.
        (RING * 3 + [(p, 0) for p in range(4, 8)], []),
        # Three outsiders once each is still a ring.
        (RING * 3 + [(p, 0) for p in range(4, 7)], [detect.Ring((0, 1, 2, 3), 36, 39, 3)]),
        # Two people thanking each other are not a ring.
        ([(0, 1), (1, 0)] * 5, []),
        # A chain of one-way thanks is no ring.
        ([(0, 1), (1, 2), (2, 3), (3, 0)] * 5, []),
        # Self-praise is ignored.
        ([(0, 0)] * 5, []),
        ([], []),
    ],
)
def test_rings_match_known_answers(find, edges, expected) -> None:  # noqa: ANN001
    assert find(*arrays(edges), 9) == expected


@pytest.mark.parametrize("find", FIND)
def test_two_rings_are_found_apart_and_sorted(find) -> None:  # noqa: ANN001
    second = [(a + 5, b + 5) for a in range(3) for b in range(3) if a != b]
    found = find(*arrays(RING * 2 + second * 2), 9)
    assert [r.members for r in found] == [(0, 1, 2, 3), (5, 6, 7)]
    assert found[0].outside == 0


@pytest.mark.parametrize("seed", range(8))
def test_the_fast_and_the_reference_agree_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    actor, subject = rng.integers(0, 12, 60), rng.integers(0, 12, 60)
    fast = detect.find_rings(actor, subject, 12, min_insularity=0.5, max_outsiders=6)
    slow = detect.find_rings_reference(
        actor.tolist(), subject.tolist(), 12, min_insularity=0.5, max_outsiders=6
    )
    assert fast == slow


@pytest.mark.parametrize(
    ("found", "reviewed", "same"),
    [
        ({1, 2, 3, 4}, {1, 2, 3, 4}, True),
        ({1, 2, 3, 4, 5}, {1, 2, 3, 4}, True),  # one more member
        ({1, 2, 3, 5}, {1, 2, 3, 4}, True),  # one of four replaced
        ({1, 2, 3}, {1, 2, 3, 4}, True),  # one gone
        ({1, 2, 5, 6}, {1, 2, 3, 4}, False),  # half replaced
        (set(range(1, 9)), {1, 2, 3, 4}, False),  # doubled
        ({5, 6, 7}, {1, 2, 3, 4}, False),
    ],
)
def test_a_ring_found_again_is_the_reviewed_one_until_it_changes_materially(
    found: set[int], reviewed: set[int], same: bool
) -> None:
    assert detect.same_ring(found, reviewed) is same
