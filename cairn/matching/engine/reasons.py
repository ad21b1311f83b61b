"""Reasons in plain words for one recommended candidate.

Each reason is a short clause a colleague would say ("offers stakeholder management; 2 mentoring
slots free; shares 4 working hours; usually replies within a day"). Only the top candidates get
reasons, so the phrase look-up here may embed a few short texts per query.
"""

from __future__ import annotations

import numpy as np
import scipy as sp

from .profiles import WORKDAY_HOURS
from .text import cosine

__all__ = ["explain", "best_phrase", "prefetch_phrases"]


def prefetch_phrases(index, texts) -> dict:
    """Return the vectors of the phrases of ``texts``, embedding unseen ones in one batch.

    Phrase vectors are cached on the index, so each phrase is embedded once per index; calling
    this before explaining the top candidates makes one model call per query instead of one
    per candidate.
    """
    from .recommend import phrases

    cache = index._phrase_cache
    wanted = {p for t in texts for p in phrases(t)}
    found = {p: v for p in wanted if (v := cache.get(p)) is not None}
    missing = sorted(wanted - found.keys())
    if missing:
        if len(cache) + len(missing) > 100_000:
            cache.clear()
        # Phrase vectors only pick the phrase to show, so batch-mate effects do not matter.
        embed = getattr(index.embedder, "embed_fast", index.embedder.embed)
        vecs = embed(missing)
        for k, p in enumerate(missing):
            found[p] = cache[p] = vecs[[k]]
    return found


def best_phrase(index, text: str, goal_vec) -> str:
    """Return the phrase of ``text`` closest to the goal (the whole text if it has one phrase)."""
    from .recommend import phrases

    parts = phrases(text) or [text.strip()]
    if len(parts) == 1:
        return _short(parts[0])
    vectors = prefetch_phrases(index, [text])
    rows = [vectors[p] for p in parts]
    if isinstance(rows[0], sp.sparse.sparray | sp.sparse.spmatrix):
        # A few sparse rows against one goal: dot products on their stored entries.
        goal = np.asarray(goal_vec.toarray()).ravel()
        sims = np.array([float(r.data @ goal[r.indices]) for r in rows])
    else:
        sims = cosine(np.vstack(rows), goal_vec)[:, 0]
    return _short(parts[int(np.argmax(sims))])


def _short(phrase: str, limit: int = 60) -> str:
    phrase = " ".join(phrase.split())
    return phrase if len(phrase) <= limit else phrase[: limit - 1].rstrip() + "…"


def _hours(h: float) -> str:
    h = round(h * 2) / 2
    text = f"{h:g}"
    return f"{text} working hour" + ("" if h == 1 else "s")


def explain(index, query, i: int, signals: dict[str, float]) -> list[str]:
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
    list of str
        Plain clauses, most important first.
    """
    p = index.profiles[i]
    seeker = query.seeker
    reasons: list[str] = []
    goal_vec = index.vectors([query.goal])
    if query.mode == "peer":
        reasons.append(f"is also learning {best_phrase(index, p.wants, goal_vec)}")
    elif query.mode == "community":
        reasons.append(f"about {best_phrase(index, p.offers, goal_vec)}")
    else:
        reasons.append(f"offers {best_phrase(index, p.offers, goal_vec)}")
    reasons.extend(p.evidence)
    if query.mode == "mentor":
        slots = int(p.capacity)
        reasons.append(f"{slots} mentoring slot{'' if slots == 1 else 's'} free")
    if seeker is not None and seeker.timezone and p.timezone:
        hours = signals["timezone"] * WORKDAY_HOURS
        if hours >= WORKDAY_HOURS - 0.25:
            reasons.append("works the same hours as you")
        elif hours > 0:
            reasons.append(f"shares {_hours(hours)}")
        else:
            reasons.append("no working hours in common")
    if seeker is not None and seeker.languages and p.languages:
        shared = sorted(seeker.languages & p.languages)
        if not shared:
            reasons.append("no language in common")
        elif len(seeker.languages) > 1 or shared != sorted(p.languages):
            reasons.append(f"speaks {', '.join(shared)} with you")
    if signals.get("diversity", 0) > 0 and query.mode != "community":
        reasons.append(f"works in {p.department}, a different perspective")
    if signals.get("mutual", 0) >= 0.5 and seeker is not None:
        reasons.append(
            f"wants to learn {best_phrase(index, p.wants, index.offers_vector(seeker))}"
            ", which you offer"
        )
    if p.trust >= 0.75:
        reasons.append("well trusted by colleagues")
    if p.responsiveness >= 0.75:
        reasons.append("usually replies within a day")
    elif p.responsiveness >= 0.6:
        reasons.append("usually replies within a few days")
    elif p.responsiveness <= 0.25:
        reasons.append("often slow to reply")
    return reasons
