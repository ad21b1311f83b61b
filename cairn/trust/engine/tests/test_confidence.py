"""Calibrated confidence: intervals over counterparts, known flags, what would make one known."""

import numpy as np
import pytest

from cairn.demo.simulator import simulate
from cairn.trust.engine import TrustParams, compute_trust, events_from_arrays, explain, with_event
from cairn.trust.engine.confidence import KNOWN_CONFIDENCE, NOT_ASKED, UNIT, certainty

DAY = 86400.0


def sim_result(attack=None, people=200, days=180, seed=1):
    sim = simulate(people, days, attack=attack, seed=seed)
    ev = events_from_arrays(sim.people, sim.actor, sim.subject, sim.kind, sim.time, sim.value)
    result = compute_trust(ev)
    order = np.array([result.index(p) for p in sim.people])
    return sim, result, order


def active(sim, min_events=20):
    n = len(sim.people)
    count = np.bincount(sim.actor, minlength=n)
    count += np.bincount(sim.subject[sim.subject >= 0], minlength=n)
    return (count >= min_events) & ~sim.attacker


def test_most_honest_members_of_a_simulated_half_year_are_known():
    sim, r, order = sim_result()
    known = r.certainty.trust_known[order][active(sim)]
    assert known.mean() >= 0.8


def test_a_sybil_region_praising_itself_stays_unknown():
    sim, r, order = sim_result("sybil:50:3")
    sybils = np.array([role == "sybil" for role in sim.role])
    assert not r.certainty.trust_known[order][sybils].any()
    assert (r.confidence[order][sybils] < KNOWN_CONFIDENCE).all()
    assert not r.certainty.known[order][sybils].any()  # nor any of their dimensions


def test_a_whitewashed_identity_and_a_newcomer_stay_unknown():
    sim, r, order = sim_result("whitewash")
    fresh = sim.role.index("whitewash-new")
    assert not r.certainty.trust_known[order[fresh]]
    ev = with_event(r.events, "newcomer", r.people[0], "thanked", r.at)
    again = compute_trust(ev, seeds=list(r.seeds))
    newcomer = again.index("newcomer")
    assert again.confidence[newcomer] == 0.0
    assert again.certainty.needs_backing[newcomer]


def test_confidence_reaches_the_threshold_exactly_when_known():
    _, r, _ = sim_result(people=120, days=120)
    assert np.array_equal(r.confidence >= KNOWN_CONFIDENCE, r.certainty.trust_known)
    assert np.array_equal(r.dimension_confidence >= KNOWN_CONFIDENCE, r.certainty.known)
    inside = (r.certainty.trust_lower <= r.trust + 1e-12) & (r.trust <= r.certainty.trust_upper)
    assert inside.all()


def one_target(voices, per_voice):
    """Evidence rows about person 0: ``voices`` counterparts, each with ``per_voice`` rows."""
    cp = np.repeat(np.arange(voices), per_voice)
    a_rows = np.zeros((cp.size, 4))
    a_rows[:, 2] = 1.0 / per_voice  # each voice gives one unit of integrity in all
    target = np.zeros(cp.size, np.int64)
    return target, cp + 1, a_rows, np.zeros_like(a_rows)


@pytest.mark.parametrize("voices", [1, 3, 12])
def test_many_events_from_one_person_count_as_one_voice(voices):
    scores = np.full((1, 4), 0.5)
    args = (scores, np.full(1, 0.5), np.ones(1), (0.2, 0.1, 0.5, 0.2))
    one = certainty(*one_target(voices, 1), *args)
    many = certainty(*one_target(voices, 40), *args)
    # Splitting each voice's evidence over forty events does not narrow the interval.
    assert many.width[0, 2] == pytest.approx(one.width[0, 2], rel=1e-9)


def test_more_distinct_voices_narrow_the_interval():
    scores = np.full((1, 4), 0.8)
    args = (scores, np.full(1, 0.8), np.ones(1), (0.2, 0.1, 0.5, 0.2))
    few = certainty(*one_target(2, 1), *args)
    spread = certainty(*one_target(12, 1), *args)
    assert spread.width[0, 2] < few.width[0, 2]


@pytest.mark.parametrize("per_dimension", [False, True])
def test_scale_counts_the_evidence_once(per_dimension):
    scores = np.full((1, 4), 0.5)
    args = (scores, np.full(1, 0.5), np.ones(1), (0.2, 0.1, 0.5, 0.2))
    target, cp, a_rows, b_rows = one_target(3, 2)
    doubled = certainty(target, cp, 2 * a_rows, 2 * b_rows, *args)
    scale = np.full((cp.size, 4), 2.0) if per_dimension else np.full(cp.size, 2.0)
    scaled = certainty(target, cp, a_rows, b_rows, *args, scale=scale)
    np.testing.assert_allclose(scaled.width, doubled.width, rtol=1e-12)


def test_the_number_of_further_confirmations_is_what_makes_a_score_known():
    scores = np.full((1, 4), 0.5)
    args = (scores, np.full(1, 0.5), np.ones(1), (0.2, 0.1, 0.5, 0.2))
    r = certainty(*one_target(2, 1), *args)
    k = int(r.further[0, 2])
    assert k > 0 and not r.known[0, 2]
    # k more colleagues, each confirming one commitment (a unit of evidence), make it known.
    target, cp, a_rows, b_rows = one_target(2 + k, 1)
    a_rows[2:, 2] = UNIT[2]
    assert certainty(target, cp, a_rows, b_rows, *args).known[0, 2]


def test_the_explanation_says_what_would_make_someone_known():
    _, r, _ = sim_result(people=120, days=120)
    unknown = np.flatnonzero(~r.certainty.trust_known & (r.certainty.trust_further > 0))
    why = explain(r, r.people[int(unknown[0])])
    assert not why.known and why.further > 0 and not why.needs_backing
    known = np.flatnonzero(r.certainty.trust_known)
    assert explain(r, r.people[int(known[0])]).further == 0


def test_an_incremental_update_keeps_the_full_recomputes_certainty():
    _, r, _ = sim_result(people=80, days=90)
    at = r.at
    person = r.people[int(np.argmax(r.trust))]
    # A seed whose extra vouching moves nobody else's standing in the full recompute (the
    # incremental update keeps everyone else's until then, by design).
    for seed in r.seeds:
        helper = r.people[int(seed)]
        ev = with_event(r.events, helper, person, "kept", at - DAY)
        full = compute_trust(ev, seeds=list(r.seeds), at=at)
        if np.allclose(full.counterpart_weight, r.counterpart_weight, rtol=0, atol=1e-12):
            break
    else:
        pytest.skip("every seed's vouching moves someone else's standing")
    touched = r.update(helper, person, "kept", at - DAY)
    for i in touched:
        assert r.dimension_confidence[i] == pytest.approx(full.dimension_confidence[i], abs=1e-9)
        assert r.confidence[i] == pytest.approx(full.confidence[i], abs=1e-9)


def test_without_advice_the_intervals_are_the_same_and_further_is_not_asked():
    sim = simulate(200, 120, seed=3)
    ev = events_from_arrays(sim.people, sim.actor, sim.subject, sim.kind, sim.time, sim.value)
    full = compute_trust(ev).certainty
    quick = compute_trust(ev, params=TrustParams(advice=False)).certainty
    for name in ("lower", "upper", "trust_lower", "trust_upper", "known", "trust_known"):
        np.testing.assert_array_equal(getattr(quick, name), getattr(full, name))
    assert (full.further[~full.known] != NOT_ASKED).all()
    np.testing.assert_array_equal(quick.further, np.where(full.known, 0, NOT_ASKED))
    np.testing.assert_array_equal(quick.trust_further, np.where(full.trust_known, 0, NOT_ASKED))
