"""Recommendations that make sense: on the demo's people, a goal's top results share its topic.

Found on the demo (issue 12): a "System design" goal got peers "also learning Design thinking"
and communities "about Negotiation lab" — the words "design" and "system" made neighbours of
different skills, one skill among six blurred in a whole profile, and any community scraped in.
These goals are built the way the demo builds them, over the demo's planned people (no
database), and ranked by both embedders.
"""

import pytest

from cairn.demo.history import COMMUNITIES, GOAL_TITLES, GOAL_WHYS
from cairn.demo.northwind import plan_people
from cairn.matching.engine import Profile, Query, build_index, recommend
from cairn.matching.engine.index import phrase_key, phrases
from cairn.matching.engine.text import ModelUnavailable, load_embedder

SKILLS = ("System design", "Conflict resolution", "Python", "Negotiation", "Writing clearly")


def embedder(name):
    try:
        return load_embedder(name)
    except ModelUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def people():
    return [
        Profile(
            person=p.email,
            department=p.department,
            timezone=p.timezone,
            languages=frozenset(x.lower() for x in p.languages),
            offers="; ".join([*sorted(p.offers, key=str.lower), p.title]),
            wants="; ".join(sorted(p.wants, key=str.lower)),
            capacity=p.mentoring_capacity,
        )
        for p in plan_people()
    ]


def goal(skill: str, k: int) -> str:
    title = GOAL_TITLES[k % len(GOAL_TITLES)].format(skill=skill.lower())
    return f"{title}. {skill}. {GOAL_WHYS[k % len(GOAL_WHYS)]}"


def lists(text: str, skill: str) -> bool:
    return phrase_key(skill) in {phrase_key(p) for p in phrases(text)}


@pytest.mark.parametrize("name", ["minilm", "tfidf"])
@pytest.mark.parametrize(("k", "skill"), list(enumerate(SKILLS)))
def test_top_mentors_and_peers_list_the_goals_skill(people, name, k, skill):
    index = build_index(people, embedder(name))
    seeker = next(p for p in people if not lists(p.offers, skill) and not lists(p.wants, skill))
    for mode, column in (("mentor", "offers"), ("peer", "wants")):
        listing = sum(lists(getattr(p, column), skill) for p in people if p is not seeker)
        top = recommend(index, Query(goal(skill, k), seeker, mode, skills=[skill]), k=3)
        assert len(top) == 3
        people_by_id = {p.person: p for p in people}
        for rec in top[: min(3, listing)]:
            assert lists(getattr(people_by_id[rec.person], column), skill), (mode, rec)
            assert rec.reasons[0].names == (skill,)


@pytest.mark.parametrize("name", ["minilm", "tfidf"])
def test_communities_are_suggested_only_when_about_the_goal(name):
    communities = [
        Profile(person=title, offers=f"{title}; {description}")
        for title, _, _, description in COMMUNITIES
    ]
    index = build_index(communities, embedder(name))

    def suggested(skill: str) -> list[str]:
        query = Query(goal(skill, 0), mode="community", skills=[skill])
        return [r.person for r in recommend(index, query, k=3)]

    assert suggested("Negotiation")[:1] == ["Negotiation lab"]
    assert suggested("Python")[:1] == ["Python guild"]
    assert "Negotiation lab" not in suggested("System design")
    assert "Negotiation lab" not in suggested("Writing clearly")
