"""Northwind, the demo organisation: about 150 people in 8 departments, made through the actions.

The module has two halves. The first reads the content (departments and teams, names, places,
skills, bio fragments) from the files in ``cairn/demo/data/`` and :func:`plan_people` turns a
seed into a list of :class:`PersonSpec` without touching the database, so the same seed always
gives the same people. The second, :func:`build_northwind`, creates the organisation and
everyone in it through ``do_create_organisation`` and ``do_add_person``, exactly as sign-up and
the admin tools do.

Later issues extend the demo with history (goals, mentoring, requests, ...): add a step that takes
the organisation, the plan and a seeded ``random.Random`` and call it from :func:`build_northwind`
after the people exist. ``PersonSpec`` keeps what the database does not (team, seniority, the wish
for reverse mentoring) so such steps can pair people plausibly.
"""

import csv
import json
import random
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from io import TextIOBase
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cairn.demo.history import HISTORY_DAYS, build_history
from cairn.ledger.record import erase_organisation
from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, Profile, User

NAME = "Northwind"
SLUG = "northwind"
DOMAIN = "northwind.example"
SEED = 2026
DEMO_PASSWORD = "northwind-demo"  # noqa: S105 - the documented demo sign-in

LEVELS = ("junior", "mid", "senior", "principal")
LEVEL_WEIGHTS = (26, 40, 26, 8)


# --- Departments and teams ------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A team inside a department: its lead's title, size and the titles by seniority."""

    name: str
    lead: str
    size: int
    titles: dict[str, tuple[str, ...]]
    skills: tuple[str, ...]
    focus: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    """A department: its head, teams, people reporting straight to the head, where they work."""

    name: str
    head: str
    teams: tuple[Team, ...]
    direct: tuple[tuple[str, str], ...]  # (title, level) reporting to the head
    skills: tuple[str, ...]
    focus: tuple[str, ...]
    offices: dict[str, int]  # office city -> weight; "remote" spreads over the remote places


# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    city: str
    label: str
    timezone: str
    country: str
    language: str | None  # the local language, for people who live there
    remote: bool


# --- Content, from the data files ------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _team(raw: dict[str, Any]) -> Team:
    titles = {level: tuple(names) for level, names in raw["titles"].items()}
    return Team(
        raw["name"], raw["lead"], raw["size"], titles, tuple(raw["skills"]), tuple(raw["focus"])
    )


def _department(raw: dict[str, Any]) -> Department:
    return Department(
        name=raw["name"],
        head=raw["head"],
        teams=tuple(_team(t) for t in raw["teams"]),
        direct=tuple((title, level) for title, level in raw["direct"]),
        skills=tuple(raw["skills"]),
        focus=tuple(raw["focus"]),
        offices=dict(raw["offices"]),
    )


def _names() -> tuple[tuple[str, str], ...]:
    with (DATA / "names.csv").open(newline="", encoding="utf-8") as handle:
        return tuple((row["name"], row["culture"]) for row in csv.DictReader(handle))


_ORGANISATION = _json("departments.json")
_SKILLS = _json("skills.json")
_BIOS = _json("bios.json")

DEPARTMENTS: tuple[Department, ...] = tuple(_department(d) for d in _ORGANISATION["departments"])

#: The chief executive and the two people who report to her directly (all in People & Operations).
CEO_TITLE: str = _ORGANISATION["leadership"]["ceo_title"]
CEO_DIRECT = tuple((title, level) for title, level in _ORGANISATION["leadership"]["ceo_direct"])
LEADERSHIP_TEAM: str = _ORGANISATION["leadership"]["team"]
LEADERSHIP_FOCUS = tuple(_ORGANISATION["leadership"]["focus"])

PLACES: tuple[Place, ...] = tuple(Place(**place) for place in _json("places.json"))
_PLACE_BY_CITY = {p.city: p for p in PLACES}
_REMOTE = tuple(p for p in PLACES if p.remote)

#: Where a name's culture is at home: the languages people from there speak besides English
#: and the countries (as in PLACES) they are likelier to live in.
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    code: (tuple(c["languages"]), tuple(c["countries"]))
    for code, c in _json("cultures.json").items()
}
#: Full names and the culture each comes from; more than needed, so the seed decides who is in.
NAMES: tuple[tuple[str, str], ...] = _names()

#: Skills anyone may offer or want, whatever their department.
CROSS_CUTTING = tuple(_SKILLS["cross_cutting"])
#: What people who lead others offer, and what senior individual contributors want next.
LEADERSHIP = tuple(_SKILLS["leadership"])
#: What juniors often know better than their seniors: the material of reverse mentoring.
FRESH = tuple(_SKILLS["fresh"])
#: Skill names that keep their capital letter in the middle of a sentence.
_PROPER = set(_SKILLS["proper"])

#: Bio fragments, each a ``str.format`` template over the person's details.
HEAD_OPENERS = tuple(_BIOS["head_openers"])
LEAD_OPENERS = tuple(_BIOS["lead_openers"])
IC_OPENERS = tuple(_BIOS["ic_openers"])
CEO_BIO: str = _BIOS["ceo_bio"]
PAST_JUNIOR = tuple(_BIOS["past_junior"])
PAST = tuple(_BIOS["past"])
HELP = tuple(_BIOS["help"])
WANT = tuple(_BIOS["want"])
REVERSE = tuple(_BIOS["reverse"])
MENTOR = tuple(_BIOS["mentor"])
PEER = tuple(_BIOS["peer"])
HOBBIES = tuple(_BIOS["hobbies"])


#: Fixed people, so the demo sign-in stays the same whatever the seed.
CEO_NAME = "Adaeze Okafor"
ADMIN_NAME = "Priya Raman"  # People Lead, organisation admin
MEMBER_NAME = "Tomás Herrera"  # Frontend Engineer, an ordinary member
SECOND_ADMIN_TEAM = "IT"  # the IT Operations Lead administers Northwind too
MEMBER_TEAM = "Web"

_LATIN = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "œ": "oe"})


def email_for(name: str) -> str:
    """Return the Northwind address for a name: ``tomas.herrera@northwind.example``."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_LATIN))
    plain = plain.encode("ascii", "ignore").decode()
    return ".".join(re.sub(r"[^a-z-]", "", part) for part in plain.split()) + "@" + DOMAIN


DEMO_ADMIN_EMAIL = email_for(ADMIN_NAME)
DEMO_MEMBER_EMAIL = email_for(MEMBER_NAME)


def in_sentence(skill: str) -> str:
    """Return how a skill reads mid-sentence: "giving feedback", but "Python" and "SQL"."""
    if not skill:
        return skill
    first = skill.split()[0]
    if first in _PROPER or (len(first) > 1 and not first[1:].islower()):
        return skill
    return skill[0].lower() + skill[1:]


#: Earliest and latest year people of each seniority joined (Northwind was founded in 2014).
JOINED = {
    "head": (2014, 2021),
    "lead": (2016, 2023),
    "principal": (2015, 2022),
    "senior": (2017, 2024),
    "mid": (2019, 2025),
    "junior": (2023, 2026),
}


# --- The plan -------------------------------------------------------------------------------


@dataclass
class PersonSpec:
    """One Northwind person as planned: everything ``do_add_person`` needs, and a bit more."""

    name: str
    email: str
    culture: str
    department: str
    team: str
    level: str  # "ceo", "head", "lead" or one of LEVELS
    title: str
    manager: str | None  # the manager's email
    role: str = User.Role.MEMBER
    location: str = ""
    city: str = ""
    timezone: str = "UTC"
    languages: list[str] = field(default_factory=list)
    bio: str = ""
    offers: list[str] = field(default_factory=list)
    wants: list[str] = field(default_factory=list)
    open_to_mentor: bool = False
    open_to_be_mentored: bool = False
    open_to_peer: bool = False
    mentoring_capacity: int = 2
    joined_year: int = 2020
    reverse_mentoring: bool = False  # senior, and wants to learn from someone more junior

    @property
    def first_name(self) -> str:
        """Return the given name (the first word of the full name)."""
        return self.name.split()[0]

    @property
    def leads_people(self) -> bool:
        """Return whether this person manages others."""
        return self.level in {"ceo", "head", "lead"}

    def profile(self) -> dict[str, Any]:
        """Return the profile fields for ``do_add_person``, the manager left out."""
        return {
            "title": self.title,
            "department": self.department,
            "location": self.location,
            "timezone": self.timezone,
            "languages": self.languages,
            "bio": self.bio,
            "offers": self.offers,
            "wants": self.wants,
            "open_to_mentor": self.open_to_mentor,
            "open_to_be_mentored": self.open_to_be_mentored,
            "open_to_peer": self.open_to_peer,
            "mentoring_capacity": self.mentoring_capacity,
        }


class _Deck:
    """Deal items in a shuffled order, reshuffling when empty, so repeats are spread out."""

    def __init__(self, rng: random.Random, items: Sequence[str]) -> None:
        self.rng = rng
        self.items = list(items)
        self.hand: list[str] = []

    def deal(self) -> str:
        if not self.hand:
            self.hand = list(self.items)
            self.rng.shuffle(self.hand)
        return self.hand.pop()


def _slots(rng: random.Random) -> list[PersonSpec]:
    """Return everyone's place in the organisation, managers before their reports, unnamed."""

    def ic_level() -> str:
        return rng.choices(LEVELS, LEVEL_WEIGHTS)[0]

    def slot(dept: str, team: str, level: str, title: str, manager: int | None) -> PersonSpec:
        spec = PersonSpec("", "", "", dept, team, level, title, manager=None)
        spec.manager = str(manager) if manager is not None else None  # an index until named
        return spec

    ops = DEPARTMENTS[-1].name
    people = [slot(ops, LEADERSHIP_TEAM, "ceo", CEO_TITLE, None)]
    people += [slot(ops, LEADERSHIP_TEAM, level, title, 0) for title, level in CEO_DIRECT]
    for dept in DEPARTMENTS:
        head = len(people)
        people.append(slot(dept.name, dept.name, "head", dept.head, 0))
        people += [slot(dept.name, dept.name, level, title, head) for title, level in dept.direct]
        for team in dept.teams:
            lead = len(people)
            people.append(slot(dept.name, team.name, "lead", team.lead, head))
            for i in range(team.size):
                level = "mid" if team.name == MEMBER_TEAM and i == 0 else ic_level()
                if not team.titles[level]:
                    level = "senior"
                people.append(slot(dept.name, team.name, level, "", lead))
                people[-1].title = rng.choice(team.titles[level])
    return people


def _name_everyone(rng: random.Random, people: list[PersonSpec]) -> None:
    pinned = {CEO_NAME, ADMIN_NAME, MEMBER_NAME}
    cultures = dict(NAMES)
    pool = [name for name, _ in NAMES if name not in pinned]
    rng.shuffle(pool)
    member_slot = next(p for p in people if p.team == MEMBER_TEAM and p.level == "mid")
    for spec in people:
        if spec.level == "ceo":
            spec.name = CEO_NAME
        elif spec.team == "People & Talent" and spec.level == "lead":
            spec.name = ADMIN_NAME
        elif spec is member_slot:
            spec.name = MEMBER_NAME
        else:
            spec.name = pool.pop()
        spec.culture = cultures[spec.name]
        spec.email = email_for(spec.name)
        if spec.name == ADMIN_NAME or (spec.team == SECOND_ADMIN_TEAM and spec.level == "lead"):
            spec.role = User.Role.ADMIN
    for spec in people:
        if spec.manager is not None:
            spec.manager = people[int(spec.manager)].email


def _place_everyone(rng: random.Random, people: list[PersonSpec]) -> None:
    offices = {d.name: d.offices for d in DEPARTMENTS}
    extra_languages = ("Spanish", "French", "German", "Japanese", "Portuguese", "Italian", "Dutch")
    for spec in people:
        home_languages, home_countries = CULTURES[spec.culture]
        weights = offices[spec.department]
        choices, odds = [], []
        for place in PLACES:
            base = weights.get("remote", 0) / len(_REMOTE) if place.remote else 0
            base = weights.get(place.city, base)
            if place.country in home_countries:
                base *= 6
            if base:
                choices.append(place)
                odds.append(base)
        place = _PLACE_BY_CITY["London"] if spec.level == "ceo" else rng.choices(choices, odds)[0]
        spec.location, spec.city, spec.timezone = place.label, place.city, place.timezone
        languages = [*home_languages, "English"]
        if place.language and place.language not in languages and rng.random() < 0.6:
            languages.append(place.language)
        if rng.random() < 0.15:
            languages.append(rng.choice(extra_languages))
        spec.languages = list(dict.fromkeys(languages))
        low, high = JOINED["head" if spec.level == "ceo" else spec.level]
        spec.joined_year = 2014 if spec.level == "ceo" else rng.randint(low, high)


def _pick(rng: random.Random, pools: Iterable[tuple[Sequence[str], float]], k: int,
          exclude: Iterable[str] = ()) -> list[str]:  # fmt: skip
    """Return up to ``k`` distinct skills drawn from weighted pools, none from ``exclude``."""
    weights: dict[str, float] = {}
    for pool, weight in pools:
        for skill in pool:
            weights[skill] = weights.get(skill, 0) + weight
    for skill in exclude:
        weights.pop(skill, None)
    chosen: list[str] = []
    while weights and len(chosen) < k:
        skill = rng.choices(list(weights), list(weights.values()))[0]
        chosen.append(skill)
        del weights[skill]
    return chosen


def _skills_and_participation(rng: random.Random, people: list[PersonSpec]) -> None:
    depts = {d.name: d for d in DEPARTMENTS}
    teams = {t.name: t for d in DEPARTMENTS for t in d.teams}
    mentor_odds = {"ceo": 1, "head": 0.7, "lead": 0.6, "principal": 0.7, "senior": 0.45}
    mentee_odds = {"ceo": 0, "head": 0.15, "lead": 0.3, "principal": 0.3, "senior": 0.4}
    for spec in people:
        dept = depts[spec.department]
        team_skills = teams[spec.team].skills if spec.team in teams else dept.skills
        level = spec.level
        if level in {"ceo", "head"}:
            offer_pools = [(dept.skills, 2), (LEADERSHIP, 3), (CROSS_CUTTING, 1)]
            n_offers = rng.randint(4, 6)
        elif level == "lead":
            offer_pools = [(team_skills, 3), (dept.skills, 1), (LEADERSHIP, 2), (CROSS_CUTTING, 1)]
            n_offers = rng.randint(4, 6)
        else:
            offer_pools = [(team_skills, 4), (dept.skills, 2), (CROSS_CUTTING, 1)]
            n_offers = {"junior": 2, "mid": 3, "senior": 4, "principal": 5}[level]
            n_offers += rng.randint(0, 1)
        offers = _pick(rng, offer_pools, n_offers)
        if level == "junior" and rng.random() < 0.5:
            offers += _pick(rng, [(FRESH, 1)], 1, exclude=offers)
        spec.offers = offers

        reverse = level in {"ceo", "head", "lead", "principal"} and rng.random() < 0.4
        reverse = reverse or level == "ceo"
        if level in {"junior", "mid"}:
            want_pools = [(team_skills, 3), (dept.skills, 2), (CROSS_CUTTING, 2)]
        elif level in {"senior", "principal"}:
            want_pools = [(LEADERSHIP, 2), (CROSS_CUTTING, 2), (team_skills, 1)]
        else:
            want_pools = [(LEADERSHIP, 1), (CROSS_CUTTING, 3)]
        wants = _pick(rng, want_pools, rng.randint(2, 3), exclude=offers)
        if reverse:
            wants = _pick(rng, [(FRESH, 1)], 1, exclude=offers) + wants[:2]
        spec.wants = wants
        spec.reverse_mentoring = reverse

        spec.open_to_mentor = rng.random() < mentor_odds.get(level, 0.2 if level == "mid" else 0)
        if level == "junior" and set(offers) & set(FRESH) and rng.random() < 0.4:
            spec.open_to_mentor = True  # a reverse mentor
        spec.open_to_be_mentored = reverse or rng.random() < mentee_odds.get(
            level, 0.85 if level == "junior" else 0.65
        )
        spec.open_to_peer = rng.random() < (0.55 if level in LEVELS else 0.35)
        if spec.open_to_mentor:
            low, high = {"junior": (1, 1), "mid": (1, 2), "ceo": (1, 1), "head": (1, 2)}.get(
                level, (1, 3)
            )
            spec.mentoring_capacity = rng.randint(low, high)


def _joined(words: Sequence[str], skills: bool = True) -> str:
    words = [in_sentence(w) for w in words] if skills else list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _a(title: str) -> str:
    words = title.split()
    lowered = " ".join(w if not w[1:].islower() and len(w) > 1 else w.lower() for w in words)
    return ("an " if lowered[0] in "aeio" else "a ") + lowered


def _places(members: list[PersonSpec]) -> str:
    offices = Counter(p.city for p in members if not _PLACE_BY_CITY[p.city].remote)
    cities = [city for city, _ in offices.most_common(3)]
    remote = any(_PLACE_BY_CITY[p.city].remote for p in members)
    if not cities:
        return "remote, across several time zones"
    where = _joined(cities, skills=False)
    return f"{where}, plus a few of us remote" if remote else where


def _write_bios(rng: random.Random, people: list[PersonSpec]) -> None:
    decks = {
        name: _Deck(rng, items)
        for name, items in {
            "head": HEAD_OPENERS,
            "lead": LEAD_OPENERS,
            "ic": IC_OPENERS,
            "past_junior": PAST_JUNIOR,
            "past": PAST,
            "help": HELP,
            "want": WANT,
            "reverse": REVERSE,
            "mentor": MENTOR,
            "peer": PEER,
            "hobby": HOBBIES,
        }.items()
    }
    focus = {t.name: t.focus for d in DEPARTMENTS for t in d.teams}
    focus.update({d.name: d.focus for d in DEPARTMENTS})
    focus[LEADERSHIP_TEAM] = LEADERSHIP_FOCUS
    by_dept: dict[str, list[PersonSpec]] = {}
    by_manager: dict[str | None, list[PersonSpec]] = {}
    for spec in people:
        by_dept.setdefault(spec.department, []).append(spec)
        by_manager.setdefault(spec.manager, []).append(spec)
    seen: set[str] = set()
    for spec in people:
        fresh = next((w for w in spec.wants if w in FRESH), "")
        values = {
            "dept": spec.department,
            "team": spec.team,
            "title": spec.title,
            "a_title": _a(spec.title),
            "first": spec.first_name,
            "city": spec.city,
            "year": spec.joined_year,
            "focus": rng.choice(focus.get(spec.team, ("a bit of everything",))),
            "offers": _joined(spec.offers[:2]),
            "offer": in_sentence(spec.offers[-1]),
            "wants": _joined([w for w in spec.wants if w != fresh][:2] or spec.wants[:1]),
            "want": in_sentence(spec.wants[-1]),
            "fresh": in_sentence(fresh),
        }
        if spec.level == "ceo":
            spec.bio = CEO_BIO.format(**values)
            continue
        if spec.level == "head":
            members = by_dept[spec.department]
            opener = decks["head"].deal()
        elif spec.level == "lead":
            members = [spec, *by_manager.get(spec.email, [])]
            opener = decks["lead"].deal()
        else:
            members = []
            opener = decks["ic"].deal()
        values.update(n=len(members), places=_places(members) if members else "")
        for _ in range(20):  # bios must differ; a handful of redraws is plenty
            middle = []
            past_deck = "past_junior" if spec.level == "junior" else "past"
            past = [decks[past_deck].deal()] if rng.random() < 0.5 else []
            if rng.random() < 0.8:
                middle.append(decks["help"].deal())
            if spec.reverse_mentoring:
                middle.append(decks["reverse"].deal())
            elif rng.random() < 0.8:
                middle.append(decks["want"].deal())
            if spec.open_to_mentor and rng.random() < 0.3:
                middle.append(decks["mentor"].deal())
            elif spec.open_to_peer and rng.random() < 0.3:
                middle.append(decks["peer"].deal())
            rng.shuffle(middle)
            hobby = [decks["hobby"].deal()] if rng.random() < 0.6 else []
            parts = [opener, *past, *middle, *hobby]
            bio = " ".join(part.format(**values) for part in parts)
            if bio not in seen:
                break
        seen.add(bio)
        spec.bio = bio


def plan_people(seed: int = SEED) -> list[PersonSpec]:
    """Return Northwind's people for ``seed``, managers before their reports; no database."""
    rng = random.Random(seed)
    people = _slots(rng)
    _name_everyone(rng, people)
    _place_everyone(rng, people)
    _skills_and_participation(rng, people)
    _write_bios(rng, people)
    return people


# --- Building it ----------------------------------------------------------------------------


def _sayer(stream: TextIOBase | None) -> Callable[[str], None]:
    def say(message: str) -> None:
        if stream is not None:
            stream.write(message + "\n")
            stream.flush()

    return say


def build_northwind(
    stdout: TextIOBase | None = None, seed: int = SEED, history_days: int = HISTORY_DAYS
) -> Organisation:
    """Create Northwind, its people and ``history_days`` days of their life, in one transaction.

    The people join just before the history starts; the history is replayed through the app's
    actions (see :mod:`cairn.demo.history`). Progress lines go to ``stdout`` (the command passes
    its stderr). Raises ``ActionError`` if the organisation or any address already exists.
    """
    say = _sayer(stdout)
    started = time.monotonic()
    people = plan_people(seed)
    history_start = (timezone.now() - timedelta(days=history_days)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    with transaction.atomic():
        with time_machine.travel(history_start - timedelta(hours=12), tick=False):
            org = do_create_organisation(NAME, SLUG, email_domains=[DOMAIN])
            say(f"Creating {NAME}: {len(people)} people in {len(DEPARTMENTS)} departments")
            _add_people(org, people, say)
        if history_days:
            say(f"Replaying {history_days} days of history")
            done = build_history(
                org,
                seed=seed,
                start=history_start,
                days=history_days,
                say=say,
                persona=DEMO_MEMBER_EMAIL,
            )
            made = sum(n for label, n in done.items() if not label.startswith("refused"))
            say(f"  {made} things done, {done.total() - made} refused along the way")
    say(f"Created {NAME} in {time.monotonic() - started:.1f} s")
    return org


def _add_people(org: Organisation, people: list[PersonSpec], say: Callable[[str], None]) -> None:
    profiles: dict[str, Profile] = {}
    departments: dict[str, Any] = {}
    done: Counter[str] = Counter(p.department for p in people)
    for spec in people:
        fields = spec.profile()
        fields["department"] = departments.get(spec.department, spec.department)
        fields["manager"] = profiles[spec.manager] if spec.manager else None
        user = do_add_person(org, email=spec.email, name=spec.name, role=spec.role, **fields)
        profile = user.profile
        profiles[spec.email] = profile
        departments[spec.department] = profile.department
        done[spec.department] -= 1
        if not done[spec.department]:
            count = sum(1 for p in people if p.department == spec.department)
            say(f"  {spec.department}: {count} people")
    # One shared demo password. Hashing it once, not 150 times, keeps the demo fast (a password
    # hash is deliberately slow); a password is an account credential, not a ledger event.
    User.objects.filter(organisation=org).update(password=make_password(DEMO_PASSWORD))


def delete_northwind() -> bool:
    """Delete Northwind and everything in it (its people, their events); return if it existed."""
    return delete_organisation(SLUG)


def delete_organisation(slug: str) -> bool:
    """Delete the demo organisation ``slug`` and everything in it; return if it existed."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return False
    erase_organisation(organisation)
    return True
