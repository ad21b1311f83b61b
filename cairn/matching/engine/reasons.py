"""Why a candidate is recommended, as data: one `Reason` per fact, most important first.

Each reason names its kind and the data it rests on (the phrase of the candidate's offers
closest to the goal, the working hours shared, the languages in common, ...); the product turns
them into words (``cairn.matching.wording``). Only the top candidates get reasons, so the phrase
look-up here may embed a few short texts per query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .index import Index, phrase_key, phrases
from .profiles import WORKDAY_HOURS
from .text import cosine
from .vocabulary import phrases_naming, related_skills, topics_in_text, topics_of_skills

__all__ = ["KINDS", "Reason", "explain", "best_phrase", "shared_skills"]

KINDS = (
    "offers",
    "learning",
    "about",
    "evidence",
    "slots",
    "same_hours",
    "shared_hours",
    "no_shared_hours",
    "languages",
    "no_language",
    "department",
    "wants_your_offer",
    "trusted",
    "replies_fast",
    "replies_soon",
    "replies_slowly",
    "pick",
    "unmatched",
)
"""Every kind of reason, in no particular order.

``offers``, ``learning``, ``about``, ``wants_your_offer``: ``phrase`` is the candidate's phrase
closest to the goal (or to what the seeker offers); for the first three ``names`` holds the
goal's skills that the candidate lists by name, when there are any. ``evidence``: ``phrase``
is a fact the caller put in `Profile.evidence`. ``department``: ``phrase`` is the candidate's
department. ``slots``: ``amount`` free mentoring slots. ``same_hours``, ``shared_hours``,
``no_shared_hours``: ``amount`` working hours in common. ``languages``: ``names`` shared.
``trusted``, ``replies_*``: ``amount`` is the trust or responsiveness figure. ``pick``:
``amount`` is the rank of the mentor among the mentee's picks. ``unmatched``: no mentor fits.
"""


@dataclass(frozen=True)
class Reason:
    """One reason for a recommendation or a match: its kind (one of `KINDS`) and its data."""

    kind: str
    phrase: str = ""
    amount: float = 0.0
    names: tuple[str, ...] = ()


def best_phrase(index: Index, text: str, goal_vec, naming: Sequence[str] = ()) -> str:
    """Return the phrase of a candidate's ``text`` closest to the goal, as they wrote it.

    With ``naming`` (skill names), only the phrases that name one of them are considered, when
    there are any: the reason then shows what relates the candidate to the goal's topic.
    """
    parts = phrases(text)
    if naming:
        keys = set(phrases_naming([phrase_key(p) for p in parts], naming))
        parts = [p for p in parts if phrase_key(p) in keys] or parts
    if len(parts) <= 1:
        return parts[0] if parts else ""
    rows = [index.phrase_codes[phrase_key(p)] for p in parts]
    sims = cosine(index.phrase_vectors[rows], goal_vec)[:, 0]
    return parts[int(np.argmax(sims))]


def shared_skills(text: str, skills) -> tuple[str, ...]:
    """Return those of ``skills`` that ``text`` lists by name, as the goal names them."""
    listed = {phrase_key(p) for p in phrases(text)}
    return tuple(s for s in dict.fromkeys(skills) if phrase_key(s) in listed)


def explain(index: Index, query, i: int, signals: dict[str, float]) -> list[Reason]:
    """Return the reasons for candidate ``i`` of ``index`` under ``query``.

    Parameters
    ----------
    index : Index
    query : Query
    i : int
        Row of the candidate in the index.
    signals : dict of str to float
        The candidate's signals as computed by `score_all`.

    Returns
    -------
    list of Reason
        Most important first.
    """
    p = index.profiles[i]
    seeker = query.seeker
    goal_vec = index.vectors([query.goal])
    kind, text = {"peer": ("learning", p.wants), "community": ("about", p.offers)}.get(
        query.mode, ("offers", p.offers)
    )
    names = shared_skills(text, query.skills)
    if query.mode == "community" and not names:
        # A community's closest phrase is often its own name ("about Negotiation lab"); say
        # which of the goal's skills it is about instead.
        spoken = topics_in_text(text)
        names = tuple(s for s in query.skills if topics_of_skills([s]) & spoken)
    naming = () if names or not query.skills else (*query.skills, *related_skills(query.skills))
    phrase = best_phrase(index, text, goal_vec, naming)
    reasons = [Reason(kind, phrase=phrase, names=names)]
    reasons.extend(Reason("evidence", phrase=fact) for fact in p.evidence)
    if query.mode == "mentor":
        reasons.append(Reason("slots", amount=int(p.capacity)))
    if seeker is not None and seeker.timezone and p.timezone:
        hours = signals["timezone"] * WORKDAY_HOURS
        if hours >= WORKDAY_HOURS - 0.25:
            reasons.append(Reason("same_hours", amount=hours))
        elif hours > 0:
            reasons.append(Reason("shared_hours", amount=hours))
        else:
            reasons.append(Reason("no_shared_hours", amount=0.0))
    if seeker is not None and seeker.languages and p.languages:
        shared = sorted(seeker.languages & p.languages)
        if not shared:
            reasons.append(Reason("no_language"))
        elif len(seeker.languages) > 1 or shared != sorted(p.languages):
            reasons.append(Reason("languages", names=tuple(shared)))
    if signals.get("diversity", 0) > 0 and query.mode != "community":
        reasons.append(Reason("department", phrase=p.department))
    if signals.get("mutual", 0) >= 0.5 and seeker is not None:
        phrase = best_phrase(index, p.wants, index.offers_vector(seeker))
        reasons.append(Reason("wants_your_offer", phrase=phrase))
    if p.trust >= 0.75:
        reasons.append(Reason("trusted", amount=p.trust))
    if p.responsiveness >= 0.75:
        reasons.append(Reason("replies_fast", amount=p.responsiveness))
    elif p.responsiveness >= 0.6:
        reasons.append(Reason("replies_soon", amount=p.responsiveness))
    elif p.responsiveness <= 0.25:
        reasons.append(Reason("replies_slowly", amount=p.responsiveness))
    return reasons
