"""Recommendations: vectorised scorer against the plain-Python reference, exclusions, reasons."""

import datetime as dt

import numpy as np
import pytest

from cairn.matching.engine.index import build_index, phrases
from cairn.matching.engine.profiles import (
    Profile,
    manager_chain,
    reference_overlap_hours,
    workday_overlap_hours,
)
from cairn.matching.engine.reasons import Reason
from cairn.matching.engine.recommend import (
    RELATED_CREDIT,
    Query,
    Weights,
    recommend,
    reference_scores,
    score_all,
)
from cairn.matching.engine.text import CharTfidf

WINTER = dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC)

PEOPLE = [
    Profile(
        "ana",
        "Sales",
        "Europe/London",
        frozenset({"en", "pt"}),
        "stakeholder management; negotiation; handling difficult conversations",
        "python",
        2,
        "",
        0.8,
        0.9,
    ),
    Profile(
        "ben",
        "Engineering",
        "America/New_York",
        frozenset({"en"}),
        "python; data analysis; code review",
        "public speaking",
        1,
        "carl",
    ),
    Profile(
        "carl",
        "Engineering",
        "America/New_York",
        frozenset({"en"}),
        "leading teams; giving feedback; negotiation with your manager",
        "",
        3,
        "dee",
        0.9,
        0.7,
    ),
    Profile(
        "dee",
        "Finance",
        "Asia/Tokyo",
        frozenset({"ja"}),
        "budgeting; negotiation",
        "",
        1,
        "",
        0.6,
        0.2,
    ),
    Profile(
        "eve",
        "Marketing",
        "Europe/Berlin",
        frozenset({"de", "en"}),
        "public speaking; storytelling; presentations",
        "negotiation",
        2,
    ),
    Profile(
        "fay",
        "Sales",
        "Europe/London",
        frozenset({"en"}),
        "negotiation for beginners",
        "stakeholder management",
        0,
    ),
]
GOALS = ["negotiation with stakeholders", "python code review", "public speaking nerves"]


@pytest.fixture(scope="module")
def index():
    return build_index(PEOPLE, CharTfidf(), at=WINTER)


@pytest.mark.parametrize("goal", GOALS)
@pytest.mark.parametrize("mode", ["mentor", "peer", "community"])
@pytest.mark.parametrize("seeker", [None, PEOPLE[1], PEOPLE[4]])
@pytest.mark.parametrize("skills", [(), ("Python", "Negotiation"), ("Helm",)])
def test_vectorised_scores_match_the_reference(index, goal, mode, seeker, skills):
    query = Query(goal=goal, seeker=seeker, mode=mode, skills=skills)
    scores, eligible, _ = score_all(index, query)
    ref = reference_scores(PEOPLE, query, index.embedder, at=WINTER)
    assert eligible.tolist() == [r is not None for r in ref]
    for s, r in zip(scores, ref, strict=True):
        if r is not None:
            assert s == pytest.approx(r, abs=1e-5)


def test_it_excludes_own_row_manager_chain_full_mentors_and_declined(index):
    query = Query("negotiation", seeker=PEOPLE[1], exclude={"eve"})
    people = [r.person for r in recommend(index, query, k=10)]
    # ben himself, carl and dee (his manager chain), fay (full), eve (declined).
    assert people == ["ana"]


def test_peers_are_ranked_on_what_they_want_to_learn(index):
    got = recommend(index, Query("stakeholder management", mode="peer"), k=1)
    assert got[0].person == "fay"
    assert got[0].reasons[0] == Reason("learning", phrase="stakeholder management")


def test_reasons_are_data_naming_what_they_rest_on(index):
    (top,) = recommend(index, Query("managing stakeholders", seeker=PEOPLE[1]), k=1)
    assert top.person == "ana"
    assert top.reasons[:2] == [
        Reason("offers", phrase="stakeholder management"),
        Reason("slots", amount=2),
    ]
    assert Reason("shared_hours", amount=pytest.approx(3.0)) in top.reasons
    assert Reason("department", phrase="Sales") in top.reasons
    assert Reason("wants_your_offer", phrase="python") in top.reasons
    assert Reason("replies_fast", amount=pytest.approx(0.9)) in top.reasons


def test_top_k_is_sorted_and_bounded(index):
    got = recommend(index, Query("negotiation"), k=2)
    assert len(got) == 2
    assert got[0].score >= got[1].score
    assert recommend(index, Query("negotiation"), k=0) == []


def test_weights_change_the_ranking(index):
    only_trust = Weights(
        fit=0.01,
        trust=1,
        responsiveness=0,
        capacity=0,
        timezone=0,
        language=0,
        diversity=0,
        mutual=0,
    )
    got = recommend(index, Query("negotiation", mode="community"), k=1, weights=only_trust)
    assert got[0].person == "carl"


def test_duplicate_people_are_rejected():
    with pytest.raises(ValueError, match="twice"):
        build_index([PEOPLE[0], PEOPLE[0]], CharTfidf())


@pytest.mark.parametrize(
    ("a", "b"), [(0, 0), (0, 1), (0, -5), (1, 9), (-8, 9), (5.5, -3), (12, -12)]
)
def test_workday_overlap_matches_the_reference(a, b):
    assert workday_overlap_hours(a, b) == pytest.approx(reference_overlap_hours(a, b))


def test_manager_chain_stops_at_cycles():
    assert manager_chain("a", {"a": "b", "b": "c", "c": "a"}) == ["b", "c"]
    assert manager_chain("x", {}) == []


def test_scale_uses_argpartition_consistently():
    rng = np.random.default_rng(0)
    words = ["python", "negotiation", "budget", "speaking", "design", "sales", "coaching"]
    people = [
        Profile(
            f"p{i}",
            f"d{i % 5}",
            "",
            frozenset(),
            " ".join(rng.choice(words, 3)),
            "",
            1,
            trust=float(rng.random()),
        )
        for i in range(400)
    ]
    index = build_index(people, CharTfidf())
    query = Query("python budget")
    scores, eligible, _ = score_all(index, query)
    got = [r.person for r in recommend(index, query, k=7)]
    order = sorted(np.flatnonzero(eligible), key=lambda i: (-scores[i], i))[:7]
    assert got == [f"p{i}" for i in order]


def test_repeated_texts_are_embedded_once_and_score_alike():
    twins = [
        Profile("a", offers="python; code review", wants="negotiation", capacity=1),
        Profile("b", offers="python; code review", wants="negotiation", capacity=1),
        Profile("c", offers="public speaking", wants="", capacity=1),
    ]
    index = build_index(twins, CharTfidf())
    assert index.offers.shape[0] == 2 and index.offers_row.tolist() == [0, 0, 1]
    scores, _, _ = score_all(index, Query("python review"))
    assert scores[0] == pytest.approx(scores[1])
    ref = reference_scores(twins, Query("python review"), index.embedder)
    assert scores[0] == pytest.approx(ref[0], abs=1e-5)


def test_cached_vectors_give_the_same_recommendations(index):
    query = Query("negotiation with stakeholders", seeker=PEOPLE[4])
    first = recommend(index, query, k=3)
    second = recommend(index, query, k=3)
    index._text_cache.clear()
    third = recommend(index, query, k=3)
    assert [(r.person, r.reasons) for r in first] == [(r.person, r.reasons) for r in second]
    assert [(r.person, r.score) for r in first] == [(r.person, r.score) for r in third]


def test_evidence_from_the_app_follows_the_fit_reason():
    people = [
        Profile("ana", offers="negotiation", capacity=1, evidence=("answered 12 requests on it",))
    ]
    (top,) = recommend(build_index(people, CharTfidf()), Query("negotiation"), k=1)
    assert top.reasons[:3] == [
        Reason("offers", phrase="negotiation"),
        Reason("evidence", phrase="answered 12 requests on it"),
        Reason("slots", amount=1),
    ]


def test_the_closest_phrase_is_the_best_of_each_candidates_phrases(index):
    goal = index.vectors(["public speaking"])
    closest = index.phrase_similarity("offers", goal)[0]
    for i, p in enumerate(PEOPLE):
        best = max(
            float(index.vectors([x.lower()]).multiply(goal).sum()) for x in phrases(p.offers)
        )
        assert closest[i] == pytest.approx(best, abs=1e-5)


def test_a_candidate_without_phrases_has_no_closest_phrase():
    people = [Profile("ana", offers="negotiation"), Profile("ben", offers="")]
    index = build_index(people, CharTfidf())
    closest = index.phrase_similarity("offers", index.vectors(["negotiation"]))[0]
    assert closest[0] == pytest.approx(1.0) and np.isnan(closest[1])


def test_a_named_skill_comes_first_then_its_topic_and_a_neighbour_in_words_not_at_all():
    people = [
        Profile("dee", offers="Design thinking; Design systems; Design critique", capacity=1),
        Profile("sam", offers="Kubernetes; Go; Incident response; System design", capacity=1),
        Profile("ada", offers="Distributed systems; Linux", capacity=1),
    ]
    index = build_index(people, CharTfidf())
    query = Query("Get confident at system design", skills=["system design"])
    top = recommend(index, query, k=3)
    assert [r.person for r in top] == ["sam", "ada"]
    assert top[0].signals["skill"] == 1.0 and top[1].signals["skill"] == RELATED_CREDIT
    assert top[0].reasons[0] == Reason("offers", phrase="System design", names=("system design",))


def test_a_skill_the_vocabulary_does_not_know_needs_a_clear_fit():
    people = [
        Profile("kay", offers="Helm charts", capacity=1),
        Profile("gil", offers="Giving feedback", capacity=1),
        Profile("hal", offers="Helm", capacity=1),
    ]
    index = build_index(people, CharTfidf())
    top = recommend(index, Query("Get good at Helm charts", skills=["Helm"]), k=3)
    assert [r.person for r in top][:2] == ["hal", "kay"] and "gil" not in [r.person for r in top]


def test_communities_must_speak_of_the_goals_topic():
    communities = [
        Profile(
            "c1", offers="Negotiation lab; Role-plays and real cases: pricing, scope, saying no"
        ),
        Profile("c2", offers="Speakers' corner; Five-minute talks to a friendly crowd"),
    ]
    index = build_index(communities, CharTfidf())
    query = Query("Get confident at negotiation", mode="community", skills=["Negotiation"])
    assert [r.person for r in recommend(index, query, k=2)] == ["c1"]
    query = Query("Get confident at system design", mode="community", skills=["System design"])
    assert recommend(index, query, k=2) == []
