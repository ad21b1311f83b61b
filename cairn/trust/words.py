"""Trust explanations in plain words, for the pages and for ``cairn trust explain``.

The engine (:mod:`cairn.trust.engine.explain`) returns data: evidence as facts (a kind and its
counts), people as ids, dimensions as names. This module is the one place those become
sentences. It imports no Django, so the CLI can use it without settings; the pages reach it
through :class:`cairn.trust.models.TrustProfile`, whose stored explanation is the same data
as plain JSON.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from cairn.trust.engine.confidence import ESTABLISHED_CONFIDENCE, KNOWN_CONFIDENCE, MAX_FURTHER
from cairn.trust.engine.explain import Explanation, Fact, PairwiseTrust

LABELS = {
    "generosity": "Generosity",
    "courage": "Humility & courage",
    "integrity": "Honesty & integrity",
    "responsiveness": "Responsiveness",
}
RAISE = {
    "generosity": "help someone who asks, share what you know, or give mentoring time",
    "courage": "ask for help when stuck, share a lesson from something that went wrong, "
    "credit the people who helped you",
    "integrity": "make commitments you can keep and ask the other person to confirm them",
    "responsiveness": "answer people who reach out, ideally within a day",
}
WORK_WITH_ESTABLISHED = "work with established members, who can then vouch for you"

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: What one further confirmation is, on each dimension (see ``confidence.UNIT``).
_CONFIRMATION = {
    "generosity": ("thanks", "thanks"),
    "courage": ("request for help", "requests for help"),
    "integrity": ("commitment", "commitments"),
    "responsiveness": ("answered request", "answered requests"),
}
_CONFIRMED_BY = {
    "generosity": "from different colleagues",
    "courage": "to different colleagues",
    "integrity": "confirmed by different colleagues",
    "responsiveness": "to different colleagues",
}


def certainty_words(confidence: float) -> str:
    """Return how sure a score is, in plain words."""
    if confidence < KNOWN_CONFIDENCE:
        return "little evidence so far"
    if confidence < ESTABLISHED_CONFIDENCE:
        return "some evidence"
    return "well established"


def plural(k: int, word: str, many: str | None = None) -> str:
    """Return "1 person", "3 people": ``k`` and the word in the number it needs."""
    return f"{k} {word if k == 1 else (many or word + 's')}"


def to_be_known(further: int, needs_backing: bool, dimension: str = "integrity") -> str:
    """Return what would make a score known, in words ("" if it is known).

    ``further`` is the number of further confirmations needed (0 if known, -1 for more than
    ``MAX_FURTHER``); ``needs_backing`` says vouching from established members is what is
    missing. Overall trust counts kept commitments, as integrity does.
    """
    if needs_backing:
        return "established members working with them, who can then vouch for them"
    if further == 0:
        return ""
    one, many = _CONFIRMATION[dimension]
    by = _CONFIRMED_BY[dimension]
    if further < 0:
        return f"more than {MAX_FURTHER} more {many} {by}"
    count = _NUMBERS[further] if further < len(_NUMBERS) else str(further)
    if further == 1:
        return f"one more {one} {by.replace('different colleagues', 'a colleague')}"
    return f"{count} more {many} {by}"


def _rated(fact: Mapping[str, Any]) -> str:
    raters = plural(fact["people"], "person", "people")
    if fact.get("value") is None:  # the product hides the average of too few raters
        return (
            f"rated by {raters} (the average shows from {fact.get('average_from', 3)} raters "
            "on, so nobody's rating stands out)"
        )
    return f"rated by {raters}, average {fact['value']:+.2f} on a scale of -1 to +1"


def evidence_line(fact: Fact | Mapping[str, Any] | str) -> str:
    """Return one piece of evidence in words, e.g. "kept 14 of 15 commitments confirmed by
    others" (a stored line from before explanations were data is returned as it is)."""
    if isinstance(fact, str):
        return fact
    f: Mapping[str, Any] = fact.__dict__ if isinstance(fact, Fact) else fact
    kind, count, people, value = f["kind"], f.get("count", 0), f.get("people", 0), f.get("value")
    if kind == "helped":
        hours = f" ({value:.0f} hours given)" if value else ""
        return f"helped {plural(people, 'person', 'people')}{hours}"
    if kind == "thanked":
        return f"thanked {plural(count, 'time')} by {plural(people, 'colleague')}"
    if kind == "credited":
        return f"credited by {plural(people, 'colleague')}"
    if kind == "mentored":
        return f"mentored {plural(people, 'person', 'people')}"
    if kind == "shared":
        return f"shared know-how {plural(count, 'time')}"
    if kind == "asked":
        return f"asked for help {plural(count, 'time')}"
    if kind == "lesson":
        return f"shared {plural(count, 'lesson')} learned from setbacks"
    if kind == "credited_others":
        return f"credited others {plural(count, 'time')}"
    if kind == "kept":
        return f"kept {count} of {plural(f['total'], 'commitment')} confirmed by others"
    if kind == "missed_recently":
        return f"missed {count} in the last 30 days"
    if kind == "committed":
        return f"made {plural(count, 'commitment')}, none confirmed yet"
    if kind == "rated":
        return _rated(f)
    if kind == "responded":
        within = f", usually within {value:.0f} hours" if value is not None else ""
        return f"answered {plural(count, 'request')}{within}"
    if kind == "unanswered":
        return f"left {plural(count, 'request')} unanswered"
    raise ValueError(f"unknown kind of evidence: {kind!r}")


def to_raise(
    weakest: Iterable[str], *, is_seed: bool, backed: bool, further: int, needs_backing: bool
) -> list[str]:
    """Return what would raise a person's trust, most useful first."""
    advice = [f"{LABELS[name].lower()}: {RAISE[name]}" for name in weakest]
    if not is_seed and not backed:
        advice.insert(0, WORK_WITH_ESTABLISHED)
    if not needs_backing and further != 0:
        advice.insert(0, f"to be known: {to_be_known(further, needs_backing)}")
    return advice


# -- The pages: from the explanation stored on a TrustProfile (plain JSON) ----------------------

NEWCOMER_NOTE = (
    "New here: nothing they have done has reached the ledger yet, so their trust is not yet "
    "known. A newcomer is unknown, not untrusted."
)
NEWCOMER_ADVICE = [
    WORK_WITH_ESTABLISHED,
    "help someone who asks, ask for help when stuck, and keep the commitments you make",
]


def stored_notes(explanation: Mapping[str, Any]) -> list[str]:
    """Return the general remarks (seed, vouching) of a stored explanation."""
    if "notes" in explanation:  # stored before explanations were data
        return list(explanation["notes"])
    if explanation.get("newcomer"):
        return [NEWCOMER_NOTE]
    if explanation.get("is_seed"):
        return [
            "Trust in this organisation is measured from a few established members, "
            "and this is one of them."
        ]
    if not explanation.get("backed"):
        return [
            "Nobody trusted vouches for them yet, so their trust is not yet known. It "
            "grows as established members work with them and thank, credit or rate them."
        ]
    vouchers = int(explanation.get("vouchers", 0))
    return [
        f"Vouched for by {plural(vouchers, 'colleague')} "
        "through thanks, credits, ratings and kept commitments."
    ]


def stored_advice(explanation: Mapping[str, Any]) -> list[str]:
    """Return what would raise the trust of a stored explanation, most useful first."""
    if "to_raise" in explanation:  # stored before explanations were data
        return list(explanation["to_raise"])
    if explanation.get("newcomer"):
        return list(NEWCOMER_ADVICE)
    return to_raise(
        explanation.get("weakest", []),
        is_seed=bool(explanation.get("is_seed")),
        backed=bool(explanation.get("backed")),
        further=int(explanation.get("further", -1)),
        needs_backing=bool(explanation.get("needs_backing", True)),
    )


# -- The CLI: from the engine's dataclasses --------------------------------------------------


def _confidence_words(c: float) -> str:
    words = certainty_words(c)
    return f"not yet known: {words}" if c < KNOWN_CONFIDENCE else words


def _cli_notes(why: Explanation) -> list[str]:
    if why.is_seed:
        return ["a seed: an established member from whom trust is measured"]
    if why.graph == 0:
        return [
            "nobody trusted vouches for them yet, so their trust is not yet known; it grows "
            "as established members work with them and thank, credit or rate them"
        ]
    names = ", ".join(v for v, _ in why.vouchers[:3])
    return [
        f"vouched for by {plural(why.vouched_by, 'person', 'people')}"
        + (f"; most trust comes through {names}" if names else "")
    ]


def pairwise_text(pair: PairwiseTrust) -> str:
    """Return how much the viewer can trust the person, and why, in plain words."""
    viewer, person = pair.viewer, pair.person
    lines = [f"How much {viewer} can trust {person}: {pair.score:.2f}"]
    if pair.direct is not None:
        lines.append(f"- {viewer}'s own experience with {person} scores {pair.direct:.2f}")
    else:
        lines.append(f"- {viewer} has not worked with {person} directly")
    if pair.paths:
        via = {p.people[1] for p in pair.paths if len(p.people) > 2}
        lines.append(
            f"- trust reaches {person} from {viewer} through "
            f"{plural(len(via), 'person', 'people')} {viewer} vouches for:"
            if via
            else f"- {viewer} vouches for {person} directly:"
        )
        for path in pair.paths:
            lines.append(f"    {' -> '.join(path.people)}  (strength {path.strength:.3f})")
    else:
        lines.append(f"- no chain of vouching leads from {viewer} to {person}")
    return "\n".join(lines)


def explanation_text(why: Explanation) -> str:
    """Return why a person has the trust they have, in plain words (``cairn trust explain``)."""
    known = to_be_known(why.further, why.needs_backing)
    lines = [
        f"{why.person}: trust {why.trust:.2f} ({_confidence_words(why.confidence)}, "
        f"90 % interval {why.interval[0]:.2f} to {why.interval[1]:.2f})",
    ]
    if known:
        lines.append(f"  would be known with {known}")
    lines += [f"  {note}" for note in _cli_notes(why)]
    for d in why.dimensions:
        lines.append(
            f"{LABELS[d.name]}: {d.score:.2f} ({_confidence_words(d.confidence)}, "
            f"confidence {d.confidence:.2f})"
        )
        lines += [f"  - {evidence_line(e)}" for e in d.evidence] or ["  - no evidence yet"]
    advice = to_raise(
        why.weakest,
        is_seed=why.is_seed,
        backed=why.graph > 0,
        further=why.further,
        needs_backing=why.needs_backing,
    )
    if advice:
        lines.append("What would raise it:")
        lines += [f"  - {r}" for r in advice]
    if why.pairwise is not None:
        lines.append(pairwise_text(why.pairwise))
    return "\n".join(lines)
