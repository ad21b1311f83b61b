import numpy as np
import pytest

from cairn.insights.rings import Ring, find_rings, find_rings_reference

IMPLEMENTATIONS = [find_rings, find_rings_reference]


def ring_of(members: list[int], rounds: int) -> tuple[list[int], list[int]]:
    actor, subject = [], []
    for _ in range(rounds):
        for a in members:
            for s in members:
                if a != s:
                    actor.append(a)
                    subject.append(s)
    return actor, subject


@pytest.mark.parametrize("find", IMPLEMENTATIONS)
def test_it_finds_a_closed_ring_of_mutual_thanks(find) -> None:  # type: ignore[no-untyped-def]
    actor, subject = ring_of([1, 2, 3, 4], 3)
    rings = find(actor, subject, 6)
    assert rings == [Ring((1, 2, 3, 4), 36, 36, 0)]
    assert rings[0].share == pytest.approx(1.0)


@pytest.mark.parametrize("find", IMPLEMENTATIONS)
def test_it_leaves_people_praised_widely_alone(find) -> None:  # type: ignore[no-untyped-def]
    actor, subject = ring_of([0, 1, 2], 2)
    # Many others thank them too: most of their praise comes from outside.
    for outsider in range(3, 20):
        for member in (0, 1, 2):
            actor.append(outsider)
            subject.append(member)
    assert find(actor, subject, 20) == []


@pytest.mark.parametrize("find", IMPLEMENTATIONS)
def test_one_way_praise_is_no_ring(find) -> None:  # type: ignore[no-untyped-def]
    actor = [0, 1, 2] * 5
    subject = [1, 2, 0] * 5
    assert find(actor, subject, 3) == []


@pytest.mark.parametrize("find", IMPLEMENTATIONS)
def test_empty_input(find) -> None:  # type: ignore[no-untyped-def]
    assert find([], [], 0) == []
    assert find([], [], 4) == []


@pytest.mark.parametrize("seed", range(8))
def test_the_fast_and_the_reference_agree_on_random_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    actor = list(rng.integers(0, n, 200))
    subject = list(rng.integers(0, n, 200))
    ring_actor, ring_subject = ring_of([25, 26, 27, 28], 2)
    actor += ring_actor
    subject += ring_subject
    kwargs = {"min_size": 3, "min_share": 0.5, "min_internal": 4}
    fast = find_rings(np.array(actor), np.array(subject), n, **kwargs)
    slow = find_rings_reference([int(a) for a in actor], [int(s) for s in subject], n, **kwargs)
    assert fast == slow
