"""Rank mentors, peers and communities for a goal, each with the reasons for it.

Build an `Index` once from the candidates' profiles (their texts are embedded then), then call
`recommend` for each goal: every signal is computed for all candidates at once as arrays, the
best ``k`` are taken with ``argpartition``, and only those get reasons.

Signals, each in [0, 1] (see `Weights` for how they are combined):

fit
    Similarity between the goal and what the candidate offers (mentors, communities) or wants
    to learn (peers): the mean of the cosine with their whole text and with their closest
    phrase (`Index.match_cosine`), rescaled per embedder so that "clearly related" is near 1.
skill
    The share of the goal's named skills (``Query.skills``) the candidate lists by name, or
    `RELATED_CREDIT` when they list none of them but a skill of the same topic in the skill
    vocabulary (`vocabulary`; "SQL" for a "PostgreSQL" goal). Words alone confuse neighbours
    ("System design" and "Design thinking" share "design"); a skill named on both sides, or a
    topic, does not. 0 for all when the goal names none.
trust, responsiveness
    From the trust engine; 0.5 when unknown.
capacity
    Free mentoring slots, ``min(slots, 3) / 3``; full mentors are excluded in mentor mode.
timezone
    Shared hours of two 09:00-17:00 local working days, divided by 8; 0.5 when unknown.
language
    1 if the two share a language, 0 if both list languages and share none; 0.5 when unknown.
diversity
    1 when the candidate works in another department: a different perspective is a plus.
mutual
    The candidate wants to learn what the seeker offers: a two-way (or reverse) mentoring.

Exclusions: the seeker's own row, the seeker's manager chain, people named in ``exclude``
(for instance those who declined recently), in mentor mode mentors with no free slot, and
candidates too far from the goal:

- a goal that names skills the vocabulary knows: people who list neither one of them nor a
  skill of the same topic; communities whose name and description speak of none of the goal's
  topics, or whose fit is not above `MIN_FIT`;
- a goal that names only skills the vocabulary does not know: candidates who list none of them
  and whose fit is not above `MIN_FIT_NAMED`;
- a goal in free text only: candidates whose fit is not above `MIN_FIT`.
"""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import scipy as sp

from .index import CALIBRATION, Index, fit_from_cosine, phrase_key, phrases
from .profiles import WORKDAY_HOURS, Profile, manager_chain, utc_offset_hours, workday_overlap_hours
from .reasons import Reason, explain
from .text import Embedder
from .vocabulary import phrases_naming, related_skills, topics_in_text, topics_of_skills

__all__ = [
    "MIN_FIT",
    "MIN_FIT_NAMED",
    "RELATED_CREDIT",
    "MODES",
    "Weights",
    "DEFAULT_WEIGHTS",
    "Query",
    "Recommendation",
    "score_all",
    "recommend",
    "reference_scores",
]

MODES = ("mentor", "peer", "community")

MIN_FIT = {"mentor": 0.0, "peer": 0.0, "community": 0.5}
"""A candidate is recommended only with a fit above this (per mode), or a goal's skill listed.

Communities need the bar: their descriptions are sentences ("Code reviews, small tools and the
odd lightning talk"), which sit as close to the sentences of any goal as a weakly related
person does; on the demo, 0.5 keeps "Negotiation lab" for negotiation and conflict resolution
and drops "Python guild" for workshop facilitation. People keep any fit above 0: learners'
phrasing sits far from many relevant profiles, and a bar of 0.25 cut nDCG@10 on the judged
set from 0.736 to 0.670.
"""

MIN_FIT_NAMED = {"mentor": 0.5, "peer": 0.5, "community": 0.5}
"""The fit a candidate needs when the goal names skills the vocabulary does not know and the
candidate lists none of them. Without it, where few people list a skill, the list was filled
by people with a fit of 0.15-0.4 ranked by trust, time zone and language alone ("Kubernetes":
peers learning "Giving feedback"). Free-text goals keep `MIN_FIT`: the judged set has none."""

RELATED_CREDIT = 0.5
"""The skill signal of a candidate who lists a skill of the goal's topic but not the skill."""


@dataclass(frozen=True)
class Weights:
    """How much each signal counts; the score is the weighted sum (weights sum to 1)."""

    fit: float = 0.45
    skill: float = 0.15
    trust: float = 0.09
    responsiveness: float = 0.06
    capacity: float = 0.05
    timezone: float = 0.08
    language: float = 0.05
    diversity: float = 0.03
    mutual: float = 0.04

    def for_mode(self, mode: str) -> Weights:
        """Return these weights with the signals that do not apply to ``mode`` set to 0."""
        if mode == "mentor":
            return self
        if mode == "peer":
            return Weights(**{**self.as_dict(), "capacity": 0.0})
        return Weights(**{**self.as_dict(), "capacity": 0.0, "diversity": 0.0, "mutual": 0.0})

    def as_dict(self) -> dict[str, float]:
        """Return the weights by signal name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Query:
    """What a seeker asks for: a goal, and optionally who is asking.

    Parameters
    ----------
    goal : str
        Free text of the goal or wanted skill.
    seeker : Profile, optional
        The person asking; enables the time-zone, language, diversity and mutual signals and
        the exclusion of the seeker's row and manager chain.
    mode : {"mentor", "peer", "community"}
    exclude : collection of str
        People never to recommend (for example, those who declined this seeker recently).
    skills : sequence of str
        Skills the goal names (from a skill vocabulary), matched by name against the
        candidates' phrases: the ``skill`` signal.
    """

    goal: str
    seeker: Profile | None = None
    mode: str = "mentor"
    exclude: Collection[str] = field(default_factory=frozenset)
    skills: Sequence[str] = ()


@dataclass(frozen=True)
class Recommendation:
    """One ranked candidate, its score, its signals and the reasons for it, most important first."""

    person: str
    score: float
    signals: dict[str, float]
    reasons: list[Reason]


def _seeker_offset(index: Index, seeker: Profile | None) -> float:
    if seeker is None or not seeker.timezone:
        return float("nan")
    return utc_offset_hours(seeker.timezone, index.at)


def score_all(
    index: Index,
    query: Query,
    weights: Weights = DEFAULT_WEIGHTS,
    seeker_offset: float | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Score every candidate for one query, vectorised.

    Parameters
    ----------
    index : Index
    query : Query
    weights : Weights
    seeker_offset : float, optional
        The seeker's UTC offset in hours; computed from ``query.seeker.timezone`` when omitted.

    Returns
    -------
    scores : ndarray of float32, shape (n,)
        Weighted sum of the signals.
    eligible : ndarray of bool, shape (n,)
        False for excluded candidates and those with no fit at all.
    signals : dict of str to ndarray
        Each signal for every candidate, in [0, 1].
    """
    if query.mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {query.mode!r}")
    w = weights.for_mode(query.mode)
    seeker = query.seeker
    seeker_offers = seeker.offers if seeker is not None and seeker.offers.strip() else ""
    has_offers = bool(seeker_offers)
    # A seeker who is also a candidate already has their offers embedded in the index.
    at = index.position.get(seeker.person, -1) if seeker is not None else -1
    known_offers = at >= 0 and index.profiles[at].offers == seeker_offers
    texts = [query.goal] if known_offers or not has_offers else [query.goal, seeker_offers]
    both = index.vectors(texts)
    goal_vec = both[[0]]
    target, has_text = (
        ("wants", index.has_wants) if query.mode == "peer" else ("offers", index.has_offers)
    )
    cos = index.match_cosine(target, goal_vec)[0]
    fit = fit_from_cosine(cos, index.embedder.name) * has_text
    skill, eligible = _skill_and_eligibility(index, query, target, fit)
    signals = {
        "fit": fit,
        "skill": skill,
        "trust": index.trust,
        "responsiveness": index.responsiveness,
        "capacity": index.capacity_signal,
    }
    if seeker_offset is None:
        seeker_offset = _seeker_offset(index, seeker)
    # Few distinct offsets: compute the overlap once per offset, then gather.
    d = np.abs(index.zone_offsets - np.float32(seeker_offset)) % 24.0
    d = np.minimum(d, 24.0 - d)
    per_zone = np.maximum(0.0, WORKDAY_HOURS - d) / WORKDAY_HOURS
    per_zone = np.where(np.isnan(per_zone), 0.5, per_zone).astype(np.float32)
    signals["timezone"] = per_zone[index.zone]
    language = index.neutral
    diversity = index.zeros
    mutual = index.zeros
    if seeker is not None:
        known = [index.language_codes[x] for x in seeker.languages if x in index.language_codes]
        if seeker.languages:
            shared = index.zeros
            if known:
                wanted = np.zeros(index.languages.shape[1], dtype=np.float32)
                wanted[known] = 1.0
                shared = index.languages @ wanted
            language = np.where(index.has_languages, shared > 0, np.float32(0.5))
            language = language.astype(np.float32, copy=False)
        if seeker.department:
            code = index.departments.get(seeker.department, -2)
            diversity = ((index.department >= 0) & (index.department != code)).astype(np.float32)
        if has_offers:
            offers_vec = index.offers[[index.offers_row[at]]] if known_offers else both[[1]]
            mutual = fit_from_cosine(index.similarity("wants", offers_vec)[0], index.embedder.name)
            mutual = mutual * index.has_wants
    signals.update(language=language, diversity=diversity, mutual=mutual)
    scores = index.static_score(w.trust, w.responsiveness, w.capacity).copy()
    for name in ("fit", "skill", "timezone", "language", "diversity", "mutual"):
        weight = getattr(w, name)
        if weight:
            scores += np.float32(weight) * signals[name]
    if query.mode == "mentor":
        eligible &= index.has_capacity
    banned = set(query.exclude)
    if seeker is not None:
        banned.add(seeker.person)
        managers = (
            collections.ChainMap({seeker.person: seeker.manager}, index.managers)
            if seeker.manager
            else index.managers
        )
        banned.update(manager_chain(seeker.person, managers))
    for person in banned:
        i = index.position.get(person)
        if i is not None:
            eligible[i] = False
    return scores, eligible, signals


def _skill_and_eligibility(
    index: Index, query: Query, target: str, fit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the skill signal and who is close enough to the goal to be recommended."""
    skill = index.skill_share(target, query.skills)
    if not query.skills:
        return skill, (fit > MIN_FIT[query.mode]) | (skill > 0)
    topics = topics_of_skills(query.skills)
    if not topics:
        return skill, (fit > MIN_FIT_NAMED[query.mode]) | (skill > 0)
    if query.mode == "community":
        # Communities describe themselves in sentences, not skill lists.
        near = np.fromiter(
            (bool(topics & topics_in_text(p.offers)) for p in index.profiles),
            dtype=bool,
            count=len(index),
        )
        near &= fit > MIN_FIT[query.mode]
    else:
        names = [*query.skills, *related_skills(query.skills)]
        near = index.skill_share(target, phrases_naming(index.phrase_codes, names)) > 0
    skill = np.maximum(skill, np.float32(RELATED_CREDIT) * near).astype(np.float32)
    return skill, skill > 0


def recommend(
    index: Index, query: Query, k: int = 10, weights: Weights = DEFAULT_WEIGHTS
) -> list[Recommendation]:
    """Return the best ``k`` eligible candidates for a query, best first, with reasons.

    Parameters
    ----------
    index : Index
    query : Query
    k : int
    weights : Weights

    Returns
    -------
    list of Recommendation
        At most ``k``; fewer when fewer candidates are eligible. Ties keep index order.
    """
    scores, eligible, signals = score_all(index, query, weights)
    candidates = np.flatnonzero(eligible)
    if len(candidates) == 0 or k <= 0:
        return []
    s = scores[candidates]
    if len(candidates) > k:
        part = np.argpartition(-s, k - 1)[:k]
        candidates, s = candidates[part], s[part]
    order = np.lexsort((candidates, -s))
    top = candidates[order]
    return [
        Recommendation(
            person=index.profiles[i].person,
            score=float(scores[i]),
            signals={name: float(v[i]) for name, v in signals.items()},
            reasons=explain(
                index, query, int(i), {name: float(v[i]) for name, v in signals.items()}
            ),
        )
        for i in top
    ]


def reference_scores(
    profiles: Sequence[Profile],
    query: Query,
    embedder: Embedder,
    weights: Weights = DEFAULT_WEIGHTS,
    at: dt.datetime | None = None,
) -> list[float | None]:
    """Score candidates one by one in plain Python: the slow reference for `score_all`.

    Returns the score of each profile, or None where the profile is not eligible. Uses the
    same (already fitted) embedder, one text at a time.
    """
    w = weights.for_mode(query.mode).as_dict()
    seeker = query.seeker

    def vec(text: str) -> list[float]:
        v = embedder.embed([text])
        dense = v.toarray() if isinstance(v, sp.sparse.sparray) else np.asarray(v)
        return [float(x) for x in dense[0]]

    def cos(a: str, b: str) -> float:
        return sum(x * y for x, y in zip(vec(a), vec(b), strict=True))

    def fit(c: float) -> float:
        lo, hi = CALIBRATION.get(embedder.name, (0.0, 1.0))
        return min(1.0, max(0.0, (c - lo) / (hi - lo)))

    def match(goal: str, text: str) -> float:
        parts = [phrase_key(x) for x in phrases(text)]
        whole = cos(goal, text)
        return (whole + max(cos(goal, x) for x in parts)) / 2 if parts else whole

    wanted = {phrase_key(x) for x in query.skills if x.strip()}
    topics = topics_of_skills(query.skills)
    related = related_skills(query.skills)

    def skill_and_ok(text: str, fit_value: float) -> tuple[float, bool]:
        listed = {phrase_key(x) for x in phrases(text)}
        exact = len(wanted & listed) / len(wanted) if wanted else 0.0
        if not wanted:
            return exact, fit_value > MIN_FIT[query.mode] or exact > 0
        if not topics:
            return exact, fit_value > MIN_FIT_NAMED[query.mode] or exact > 0
        if query.mode == "community":
            near = bool(topics & topics_in_text(text)) and fit_value > MIN_FIT[query.mode]
        else:
            near = bool(phrases_naming(listed, [*query.skills, *related]))
        skill = max(exact, RELATED_CREDIT * near)
        return skill, skill > 0

    managers = {p.person: p.manager for p in profiles if p.manager}
    banned = set(query.exclude)
    if seeker is not None:
        if seeker.manager:
            managers[seeker.person] = seeker.manager
        banned |= {seeker.person, *manager_chain(seeker.person, managers)}
    out: list[float | None] = []
    for p in profiles:
        text = p.wants if query.mode == "peer" else p.offers
        fit_value = fit(match(query.goal, text)) if text.strip() else 0.0
        skill_value, close = skill_and_ok(text, fit_value)
        s = {
            "fit": fit_value,
            "skill": skill_value,
            "trust": p.trust,
            "responsiveness": p.responsiveness,
            "capacity": min(max(p.capacity, 0), 3) / 3,
            "timezone": 0.5,
            "language": 0.5,
            "diversity": 0.0,
            "mutual": 0.0,
        }
        if seeker is not None:
            if seeker.timezone and p.timezone:
                s["timezone"] = (
                    workday_overlap_hours(
                        utc_offset_hours(seeker.timezone, at), utc_offset_hours(p.timezone, at)
                    )
                    / WORKDAY_HOURS
                )
            if seeker.languages and p.languages:
                s["language"] = 1.0 if seeker.languages & p.languages else 0.0
            if seeker.department and p.department:
                s["diversity"] = 1.0 if seeker.department != p.department else 0.0
            if seeker.offers.strip() and p.wants.strip():
                s["mutual"] = fit(cos(seeker.offers, p.wants))
        ok = close and p.person not in banned
        if query.mode == "mentor":
            ok = ok and p.capacity > 0
        out.append(sum(w[name] * s[name] for name in w) if ok else None)
    return out
