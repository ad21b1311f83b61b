"""Mentoring programs: from a cohort of mentees and mentors to a proposed assignment with reasons.

A `Program` holds the people, the rules and the objective. `parse_program` reads the JSON form
documented in ``docs/matching-program.md`` and names the JSON path of anything wrong;
`compatibility` scores every mentee-mentor pair with the recommendation signals (vectorised);
`match_program` applies the hard constraints and preferences and calls `assign`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy as sp

from .assign import UNMATCHED, Assignment, assign_both
from .index import Index, build_index, fit_from_cosine
from .profiles import (
    NEUTRAL,
    WORKDAY_HOURS,
    Profile,
    manager_chain,
    parse_languages,
    utc_offset_hours,
)
from .reasons import Reason, explain
from .recommend import DEFAULT_WEIGHTS, Query, Weights
from .text import Embedder, cosine

__all__ = [
    "ProgramError",
    "Mentee",
    "Program",
    "ProgramResult",
    "ProposedMatch",
    "parse_program",
    "compatibility",
    "allowed_pairs",
    "match_program",
]

DEPARTMENT_RULES = ("allow", "forbid", "require")
DEFAULT_BONUS = (0.15, 0.10, 0.05)


class ProgramError(ValueError):
    """Raised for an invalid program; ``path`` names the offending JSON location."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Mentee:
    """A mentee: their profile, their goal and their ranked picks of mentors."""

    profile: Profile
    goal: str
    picks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Program:
    """A mentoring program ready to be matched.

    Parameters
    ----------
    mentees : sequence of Mentee
    mentors : sequence of Profile
        ``capacity`` is how many mentees each mentor takes in this program.
    excluded : set of (mentee, mentor) person pairs
        Pairs that must not be matched.
    same_department : {"allow", "forbid", "require"}
        Whether a mentee may (or must) be matched inside their own department.
    objective : {"total", "fair"}
        Maximise summed compatibility, or the worst-matched mentee's first.
    preference_bonus : sequence of float
        Added to the compatibility of a mentee's 1st, 2nd, ... pick.
    name : str
    """

    mentees: Sequence[Mentee]
    mentors: Sequence[Profile]
    excluded: frozenset[tuple[str, str]] = frozenset()
    same_department: str = "allow"
    objective: str = "total"
    preference_bonus: Sequence[float] = DEFAULT_BONUS
    name: str = ""


@dataclass(frozen=True)
class ProposedMatch:
    """One mentee's proposed mentor (None when unmatched), the pair's score and the reasons."""

    mentee: str
    mentor: str | None
    score: float | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class ProgramResult:
    """The proposed matches, with scores and reasons, and the figures an admin needs."""

    assignment: Assignment
    compat: np.ndarray
    allowed: np.ndarray
    rows: list[ProposedMatch]
    summary: dict[str, float | int | str]


def _req(obj: Mapping, key: str, path: str, kind: type | tuple[type, ...]):
    if key not in obj:
        raise ProgramError(path, f"missing required field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ProgramError(f"{path}.{key}", f"must be a {names}, not {type(value).__name__}")
    return value


def _opt_text(obj: Mapping, key: str, path: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProgramError(f"{path}.{key}", "must be text")
    return value


def _unit(obj: Mapping, key: str, path: str) -> float:
    value = obj.get(key, NEUTRAL)
    if value is None:
        return NEUTRAL
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ProgramError(f"{path}.{key}", f"must be a number between 0 and 1, not {value!r}")
    return float(value)


def _person(obj, path: str, *, mentor: bool) -> Profile:
    if not isinstance(obj, Mapping):
        raise ProgramError(path, "must be an object")
    person = _req(obj, "person", path, str).strip()
    if not person:
        raise ProgramError(f"{path}.person", "must not be empty")
    tz = _opt_text(obj, "timezone", path).strip()
    if tz:
        try:
            utc_offset_hours(tz)
        except ValueError:
            raise ProgramError(f"{path}.timezone", f"unknown time zone {tz!r}") from None
    langs = obj.get("languages", [])
    if isinstance(langs, str):
        langs = langs.split(";")
    if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
        raise ProgramError(f"{path}.languages", "must be a list of language names")
    capacity = 0
    if mentor:
        capacity = _req(obj, "capacity", path, int)
        if capacity < 0:
            raise ProgramError(f"{path}.capacity", f"must be 0 or more, not {capacity}")
    return Profile(
        person=person,
        department=_opt_text(obj, "department", path).strip(),
        timezone=tz,
        languages=parse_languages(langs),
        offers=_opt_text(obj, "offers", path),
        wants=_opt_text(obj, "wants", path),
        capacity=capacity,
        manager=_opt_text(obj, "manager", path).strip(),
        trust=_unit(obj, "trust", path),
        responsiveness=_unit(obj, "responsiveness", path),
    )


def parse_program(data: object) -> Program:
    """Return the `Program` described by a decoded JSON document.

    Raises
    ------
    ProgramError
        Naming the JSON path (for example ``mentors[2].capacity``) of the first problem.
    """
    if not isinstance(data, Mapping):
        raise ProgramError("$", "the program must be a JSON object")
    objective = data.get("objective", "total")
    if objective not in ("total", "fair"):
        raise ProgramError("objective", f"must be 'total' or 'fair', not {objective!r}")
    rule = data.get("same_department", "allow")
    if rule not in DEPARTMENT_RULES:
        raise ProgramError("same_department", f"must be one of {', '.join(DEPARTMENT_RULES)}")
    bonus = data.get("preference_bonus", list(DEFAULT_BONUS))
    if not isinstance(bonus, list) or not all(
        isinstance(b, int | float) and not isinstance(b, bool) and math.isfinite(b) for b in bonus
    ):
        raise ProgramError("preference_bonus", "must be a list of numbers (1st pick first)")
    mentors_raw = _req(data, "mentors", "$", list)
    mentees_raw = _req(data, "mentees", "$", list)
    mentors = [_person(m, f"mentors[{i}]", mentor=True) for i, m in enumerate(mentors_raw)]
    seen: set[str] = set()
    for i, m in enumerate(mentors):
        if m.person in seen:
            raise ProgramError(f"mentors[{i}].person", f"{m.person!r} is listed twice")
        seen.add(m.person)
    mentor_ids = seen
    mentees: list[Mentee] = []
    seen = set()
    for i, raw in enumerate(mentees_raw):
        path = f"mentees[{i}]"
        profile = _person(raw, path, mentor=False)
        if profile.person in seen:
            raise ProgramError(f"{path}.person", f"{profile.person!r} is listed twice")
        seen.add(profile.person)
        goal = _req(raw, "goal", path, str)
        picks = raw.get("picks", [])
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise ProgramError(f"{path}.picks", "must be a list of mentor ids")
        for k, pick in enumerate(picks):
            if pick not in mentor_ids:
                raise ProgramError(f"{path}.picks[{k}]", f"{pick!r} is not a mentor")
        mentees.append(Mentee(profile=profile, goal=goal, picks=tuple(picks)))
    excluded = set()
    for i, pair in enumerate(data.get("excluded_pairs", [])):
        path = f"excluded_pairs[{i}]"
        if not isinstance(pair, Mapping):
            raise ProgramError(path, 'must be an object {"mentee": ..., "mentor": ...}')
        mentee, mentor = _req(pair, "mentee", path, str), _req(pair, "mentor", path, str)
        if mentee not in seen:
            raise ProgramError(f"{path}.mentee", f"{mentee!r} is not a mentee")
        if mentor not in mentor_ids:
            raise ProgramError(f"{path}.mentor", f"{mentor!r} is not a mentor")
        excluded.add((mentee, mentor))
    name = data.get("name", "")
    return Program(
        mentees=mentees,
        mentors=mentors,
        excluded=frozenset(excluded),
        same_department=rule,
        objective=objective,
        preference_bonus=tuple(float(b) for b in bonus),
        name=name if isinstance(name, str) else "",
    )


def compatibility(
    index: Index, mentees: Sequence[Mentee], weights: Weights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """Return the recommendation score of every mentor for every mentee, vectorised.

    The same signals as `cairn.matching.engine.recommend.score_all` with the mentee as seeker,
    except capacity, which is a hard constraint here rather than a preference.

    Parameters
    ----------
    index : Index
        Built from the mentors.
    mentees : sequence of Mentee
    weights : Weights

    Returns
    -------
    ndarray of float, shape (n_mentees, n_mentors)
    """
    w = Weights(**{**weights.as_dict(), "capacity": 0.0}).as_dict()
    n = len(mentees)
    name = index.embedder.name
    goals = index.vectors([e.goal for e in mentees])
    fit = fit_from_cosine(index.match_cosine("offers", goals), name) * index.has_offers[None, :]
    out = w["fit"] * fit.astype(np.float64)
    out += w["trust"] * index.trust[None, :] + w["responsiveness"] * index.responsiveness[None, :]
    seeker_off = np.array(
        [
            utc_offset_hours(e.profile.timezone, index.at) if e.profile.timezone else np.nan
            for e in mentees
        ]
    )
    d = np.abs(seeker_off[:, None] - index.offset[None, :]) % 24.0
    d = np.minimum(d, 24.0 - d)
    tz = np.maximum(0.0, WORKDAY_HOURS - d) / WORKDAY_HOURS
    out += w["timezone"] * np.where(np.isnan(tz), 0.5, tz)
    listed = np.diff(index.languages.indptr) > 0
    codes = index.language_codes
    rows = [i for i, e in enumerate(mentees) for x in e.profile.languages if x in codes]
    cols = [codes[x] for e in mentees for x in e.profile.languages if x in codes]
    spoken = sp.sparse.csr_array(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(codes))
    )
    shared = (spoken @ index.languages.T).toarray() > 0
    has_lang = np.array([bool(e.profile.languages) for e in mentees])
    both = has_lang[:, None] & listed[None, :]
    out += w["language"] * np.where(both, shared.astype(np.float64), 0.5)
    mentee_dept = np.array(
        [
            index.departments.get(e.profile.department, -2) if e.profile.department else -3
            for e in mentees
        ]
    )
    other = (index.department[None, :] >= 0) & (index.department[None, :] != mentee_dept[:, None])
    out += w["diversity"] * (other & (mentee_dept[:, None] != -3))
    has = [i for i, e in enumerate(mentees) if e.profile.offers.strip()]
    if has:
        offers = index.vectors([mentees[i].profile.offers for i in has])
        mutual = fit_from_cosine(index.similarity("wants", offers), name)
        mutual = mutual * index.has_wants[None, :]
        out[has] += w["mutual"] * mutual
    return out


def allowed_pairs(program: Program, index: Index) -> np.ndarray:
    """Return the boolean mentee x mentor matrix of pairs the hard constraints allow."""
    n, m = len(program.mentees), len(index)
    allowed = np.ones((n, m), dtype=bool)
    managers = {p.person: p.manager for p in program.mentors if p.manager}
    managers.update(
        {e.profile.person: e.profile.manager for e in program.mentees if e.profile.manager}
    )
    dept = np.array([p.department for p in program.mentors], dtype=object)
    for i, e in enumerate(program.mentees):
        for boss in [e.profile.person, *manager_chain(e.profile.person, managers)]:
            j = index.position.get(boss)
            if j is not None:
                allowed[i, j] = False
        if program.same_department != "allow" and e.profile.department:
            same = dept == e.profile.department
            allowed[i] &= ~same if program.same_department == "forbid" else same
    row = {e.profile.person: i for i, e in enumerate(program.mentees)}
    for mentee, mentor in program.excluded:
        allowed[row[mentee], index.position[mentor]] = False
    return allowed


def match_program(
    program: Program,
    embedder: Embedder,
    weights: Weights = DEFAULT_WEIGHTS,
    at: dt.datetime | None = None,
) -> ProgramResult:
    """Match a program: score every pair, apply the rules and picks, assign, explain.

    Parameters
    ----------
    program : Program
    embedder : Embedder
    weights : Weights
    at : datetime, optional
        Instant for time-zone offsets (default now).

    Returns
    -------
    ProgramResult
        ``rows`` has one `ProposedMatch` per mentee, in the program's order; ``summary`` the
        matched count, total, worst and the alternative objective's worst and total for
        comparison.

    Raises
    ------
    InfeasibleAssignment
        If no mentee can be matched at all.
    """
    index = build_index(program.mentors, embedder, at=at)
    compat = compatibility(index, program.mentees, weights)
    pick_rank = np.zeros(compat.shape, dtype=np.int64)
    for i, e in enumerate(program.mentees):
        for k, pick in enumerate(e.picks[: len(program.preference_bonus)]):
            j = index.position[pick]
            if pick_rank[i, j] == 0:
                compat[i, j] += program.preference_bonus[k]
                pick_rank[i, j] = k + 1
    allowed = allowed_pairs(program, index)
    capacity = np.array([p.capacity for p in program.mentors], dtype=np.int64)
    both = assign_both(compat, capacity, allowed)
    other = "fair" if program.objective == "total" else "total"
    result, alternative = both[program.objective], both[other]
    rows = []
    worst_i = -1
    for i, e in enumerate(program.mentees):
        j = int(result.mentor[i])
        if j == UNMATCHED:
            rows.append(ProposedMatch(e.profile.person, None, None, (Reason("unmatched"),)))
            continue
        if worst_i < 0 or compat[i, j] < compat[worst_i, result.mentor[worst_i]]:
            worst_i = i
        query = Query(goal=e.goal, seeker=e.profile, mode="mentor")
        sig = _pair_signals(index, e, j, compat[i, j])
        reasons = [r for r in explain(index, query, j, sig) if r.kind != "slots"]
        if pick_rank[i, j]:
            reasons.insert(0, Reason("pick", amount=int(pick_rank[i, j])))
        rows.append(
            ProposedMatch(
                mentee=e.profile.person,
                mentor=index.profiles[j].person,
                score=float(compat[i, j]),
                reasons=tuple(reasons),
            )
        )
    summary: dict[str, float | int | str] = {
        "objective": program.objective,
        "mentees": len(program.mentees),
        "matched": result.matched,
        "total": result.total,
        "worst": result.worst,
        "worst_mentee": program.mentees[worst_i].profile.person if worst_i >= 0 else "",
        f"{other}_total": alternative.total,
        f"{other}_worst": alternative.worst,
    }
    return ProgramResult(
        assignment=result, compat=compat, allowed=allowed, rows=rows, summary=summary
    )


def _pair_signals(index: Index, mentee: Mentee, j: int, score: float) -> dict[str, float]:
    p, s = index.profiles[j], mentee.profile
    tz = 0.5
    if s.timezone and p.timezone:
        d = abs(utc_offset_hours(s.timezone, index.at) - float(index.offset[j])) % 24.0
        tz = max(0.0, WORKDAY_HOURS - min(d, 24.0 - d)) / WORKDAY_HOURS
    mutual = 0.0
    if s.offers.strip() and p.wants.strip():
        c = cosine(index.vectors([s.offers]), index.wants[[index.wants_row[j]]])[0, 0]
        mutual = float(fit_from_cosine(np.array([c]), index.embedder.name)[0])
    diversity = float(bool(s.department and p.department and s.department != p.department))
    return {"timezone": tz, "mutual": mutual, "diversity": diversity, "score": score}
