"""Recommendations that make sense on the page: for goals that name a skill, every mentor,
peer and community recommended shares the goal's topic, and neighbours that only share words
("System design" and "Design thinking", "A/B testing" and "Automated testing") stay out."""

import pytest

from cairn.matching.engine.index import Index, build_index
from cairn.matching.engine.profiles import Profile
from cairn.matching.engine.recommend import Query, recommend
from cairn.matching.engine.text import CharTfidf, ModelUnavailable, OnnxMiniLM
from cairn.matching.engine.vocabulary import topics_in_text, topics_of_skills

# Colleagues as in the demo: a few list the goal's skill, many list a neighbour in words.
OFFERS = {
    "ana": "System design; Distributed systems; Go",
    "ben": "Design thinking; User interviews",
    "cat": "Design systems; Figma; Visual design",
    "dan": "A/B testing; Statistics",
    "eli": "Automated testing; Mobile testing; Kotlin",
    "fin": "Kubernetes; Terraform; Observability",
    "gus": "Giving feedback; Workshop facilitation",
    "hal": "CSS; TypeScript; React",
    "ida": "Editing; Writing clearly",
    "jon": "Conflict resolution; Negotiation",
    "kim": "Learning design; Training design",
    "lou": "Experiment design; Funnel analysis",
    "max": "Incident response; AWS",
    "ned": "Design critique; Prototyping",
}
WANTS = {
    "ana": "Design thinking",
    "ben": "System design",
    "cat": "Design thinking",
    "dan": "Automated testing",
    "eli": "A/B testing",
    "gus": "Kubernetes",
    "hal": "Visual design",
    "jon": "Editing",
    "kim": "Public speaking",
    "max": "Observability",
    "ned": "CSS",
}
COMMUNITIES = [
    Profile(
        "c-neg", offers="Negotiation lab; Role-plays and real cases: pricing, scope, saying no"
    ),
    Profile("c-py", offers="Python guild; Code reviews, small tools and the odd lightning talk"),
    Profile("c-talk", offers="Speakers' corner; Five-minute talks to a friendly crowd"),
    Profile("c-data", offers="Data storytelling circle; Turning numbers into decisions, one chart"),
]
GOALS = ["System design", "Visual design", "A/B testing", "CSS", "Kubernetes", "Editing"]


@pytest.fixture(scope="module", params=["tfidf", "minilm"])
def indexes(request: pytest.FixtureRequest) -> tuple[Index, Index]:
    """The colleagues and the communities, indexed with each embedder (TF-IDF is fitted on
    each candidate set, so each index gets its own)."""
    if request.param == "minilm":
        try:
            model = OnnxMiniLM()
        except ModelUnavailable:  # pragma: no cover - depends on the machine
            pytest.skip("MiniLM is not installed here")
    people = [
        Profile(p, offers=OFFERS[p], wants=WANTS.get(p, ""), capacity=2, department=p)
        for p in OFFERS
    ]
    if request.param == "tfidf":
        return build_index(people, CharTfidf()), build_index(COMMUNITIES, CharTfidf())
    return build_index(people, model), build_index(COMMUNITIES, model)


@pytest.mark.parametrize("skill", GOALS)
def test_every_recommendation_shares_the_goals_topic(
    indexes: tuple[Index, Index], skill: str
) -> None:
    people, communities = indexes
    topics = topics_of_skills([skill])
    goal = f"Get confident at {skill}. {skill}"
    for mode, index in (("mentor", people), ("peer", people), ("community", communities)):
        for rec in recommend(index, Query(goal, mode=mode, skills=[skill]), k=5):
            shown = rec.reasons[0].phrase
            about = (
                index.profiles[index.position[rec.person]].offers if mode == "community" else shown
            )
            assert topics & topics_in_text(about), (skill, mode, rec.person, shown)


@pytest.mark.parametrize(
    ("skill", "first", "never"),
    [
        ("System design", "ana", {"ben", "cat", "kim"}),
        ("A/B testing", "dan", {"eli"}),
        ("Visual design", "cat", {"ben"}),
        ("Editing", "ida", {"jon", "gus"}),
    ],
)
def test_the_skill_comes_first_and_word_neighbours_never(
    indexes: tuple[Index, Index], skill: str, first: str, never: set[str]
) -> None:
    people, _ = indexes
    found = [r.person for r in recommend(people, Query(f"Get better at {skill}", skills=[skill]))]
    assert found[0] == first
    assert not never & set(found)


def test_a_community_is_said_to_be_about_the_goals_skill(indexes: tuple[Index, Index]) -> None:
    _, communities = indexes
    query = Query("Stop avoiding negotiation", mode="community", skills=["Negotiation"])
    (found,) = recommend(communities, query, k=3)
    assert (found.person, found.reasons[0].names) == ("c-neg", ("Negotiation",))
