"""People as the matching engine sees them, and the small signals computed between two people.

A `Profile` is plain data; the Django app fills it from its rows (trust and responsiveness from
the trust engine, in [0, 1], neutral 0.5 when unknown). Everything here is pure Python; the
vectorised versions live in `cairn.matching.engine.recommend`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "NEUTRAL",
    "WORKDAY_HOURS",
    "Profile",
    "manager_chain",
    "utc_offset_hours",
    "workday_overlap_hours",
    "reference_overlap_hours",
]

NEUTRAL = 0.5
"""The trust or responsiveness used when nothing is known yet."""

WORKDAY_HOURS = 8.0
"""Length of the working day assumed for time-zone overlap (09:00-17:00 local)."""


@dataclass(frozen=True)
class Profile:
    """One person (or community) who can be recommended or can seek help.

    Parameters
    ----------
    person : str
        Stable identifier (a username, or a community slug).
    department : str
        Department name; empty when unknown.
    timezone : str
        IANA time-zone name, e.g. ``"Europe/Berlin"``; empty when unknown.
    languages : frozenset of str
        Languages the person works in (lower-case codes or names).
    offers : str
        Free text: what the person can help with.
    wants : str
        Free text: what the person wants to learn.
    capacity : int
        Mentoring slots still free (0 means full).
    manager : str
        The person's manager, empty when none.
    trust, responsiveness : float
        Earned trust and responsiveness in [0, 1]; 0.5 when unknown.
    evidence : tuple of str
        Plain clauses the app knows from the activity ledger ("answered 12 requests on it"),
        shown after the fit reason when the person is recommended.
    """

    person: str
    department: str = ""
    timezone: str = ""
    languages: frozenset[str] = field(default_factory=frozenset)
    offers: str = ""
    wants: str = ""
    capacity: int = 0
    manager: str = ""
    trust: float = NEUTRAL
    responsiveness: float = NEUTRAL
    evidence: tuple[str, ...] = ()


def manager_chain(person: str, managers: Mapping[str, str]) -> list[str]:
    """Return the managers above ``person``, nearest first, stopping at a cycle.

    Parameters
    ----------
    person : str
    managers : mapping of str to str
        Each person's direct manager ("" or missing for none).

    Returns
    -------
    list of str
    """
    chain: list[str] = []
    seen = {person}
    boss = managers.get(person, "")
    while boss and boss not in seen:
        chain.append(boss)
        seen.add(boss)
        boss = managers.get(boss, "")
    return chain


def utc_offset_hours(timezone: str, at: dt.datetime | None = None) -> float:
    """Return the UTC offset of an IANA time zone in hours at instant ``at`` (default: now).

    Raises
    ------
    ValueError
        If the name is not a known IANA time zone.
    """
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc
    at = at or dt.datetime.now(dt.UTC)
    offset = at.astimezone(zone).utcoffset()
    return 0.0 if offset is None else offset.total_seconds() / 3600.0


def workday_overlap_hours(offset_a: float, offset_b: float) -> float:
    """Return the hours that two 09:00-17:00 local working days share, given UTC offsets.

    The days are windows of `WORKDAY_HOURS` on a 24-hour circle; their overlap is
    ``max(0, 8 - d)`` where ``d`` is the circular distance between the offsets.
    """
    d = abs(offset_a - offset_b) % 24.0
    d = min(d, 24.0 - d)
    return max(0.0, WORKDAY_HOURS - d)


def reference_overlap_hours(offset_a: float, offset_b: float, step: float = 0.25) -> float:
    """Return the same overlap as `workday_overlap_hours` by counting quarter hours.

    A slow reference used by the tests: it walks the UTC day in ``step`` increments and counts
    the instants at which both people are inside their local working day.
    """

    def working(offset: float, t: float) -> bool:
        local = (t + offset) % 24.0
        return 9.0 <= local < 17.0

    ticks = int(round(24.0 / step))
    both = sum(
        1 for i in range(ticks) if working(offset_a, i * step) and working(offset_b, i * step)
    )
    return both * step


def parse_languages(value: str | Iterable[str]) -> frozenset[str]:
    """Return a set of lower-case languages from ``"en;de"`` or an iterable of names."""
    parts = value.split(";") if isinstance(value, str) else value
    return frozenset(p.strip().lower() for p in parts if p.strip())
