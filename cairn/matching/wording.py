"""The words for the matching engine's reasons, shared by the pages, the API and the CLI.

The engine says *why* as `Reason` data; this module is where those become the short clauses a
colleague would say ("offers stakeholder management", "shares 3 working hours"). Plain Python,
no Django, so ``cairn match`` can use it too.
"""

from collections.abc import Iterable

from cairn.matching.engine.reasons import Reason

PHRASE_LIMIT = 60


def ordinal(k: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, ... for ``k``."""
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th') }"


def short(phrase: str, limit: int = PHRASE_LIMIT) -> str:
    """Return ``phrase`` cut to ``limit`` characters, with an ellipsis when cut."""
    return phrase if len(phrase) <= limit else phrase[: limit - 1].rstrip() + "…"


def _hours(h: float) -> str:
    h = round(h * 2) / 2
    return f"{h:g} working hour" + ("" if h == 1 else "s")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def reason_text(reason: Reason) -> str:
    """Return one reason as a short clause."""
    kind, phrase = reason.kind, short(reason.phrase)
    topic = _listed(reason.names) if reason.names else phrase
    words = {
        "offers": lambda: f"offers {topic}",
        "learning": lambda: f"is also learning {topic}",
        "about": lambda: f"about {topic}",
        "evidence": lambda: reason.phrase,
        "slots": lambda: _plural(int(reason.amount), "mentoring slot") + " free",
        "same_hours": lambda: "works the same hours as you",
        "shared_hours": lambda: f"shares {_hours(reason.amount)}",
        "no_shared_hours": lambda: "no working hours in common",
        "languages": lambda: f"speaks {', '.join(reason.names)} with you",
        "no_language": lambda: "no language in common",
        "department": lambda: f"works in {phrase}, a different perspective",
        "wants_your_offer": lambda: f"wants to learn {phrase}, which you offer",
        "trusted": lambda: "well trusted by colleagues",
        "replies_fast": lambda: "usually replies within a day",
        "replies_soon": lambda: "usually replies within a few days",
        "replies_slowly": lambda: "often slow to reply",
        "pick": lambda: f"your {ordinal(int(reason.amount))} pick",
        "unmatched": lambda: "no mentor left who fits the rules and has a free slot",
    }
    if kind not in words:
        raise ValueError(f"no words for a reason of kind {kind!r}")
    return words[kind]()


def reasons_text(reasons: Iterable[Reason]) -> list[str]:
    """Return each reason as a short clause, in order."""
    return [reason_text(r) for r in reasons]
