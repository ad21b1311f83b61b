"""The plan of a large organisation's life: who is in it and everything they do, without a database.

:func:`plan_people` draws the people (departments and teams from Northwind's content, latent
traits like :class:`cairn.demo.history.Traits`, a handful of bad actors); :func:`plan_life` turns
them and a seed into a time-ordered list of :class:`Op`, each one call of an action at a given
moment. The plan also keeps, on the op that creates each object, the object's final state, so
an executor writing rows in bulk can write each row once, already as the actions leave it.

Every op is one the actions accept at its moment: the plan keeps within the daily limits and
praise caps, asks only mentors with room, and touches only open goals and requests.
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from cairn.demo import history, northwind
from cairn.demo.history import Traits
from cairn.people.models import User

DOMAIN = "meridian.example"
ADMIN_EMAIL = f"admin@{DOMAIN}"
MEMBER_EMAIL = f"member@{DOMAIN}"
#: Share of people who game praise and break promises (at least two: they praise each other).
BAD_ACTOR_SHARE = 0.005

THANK_NOTES = (
    "Thank you for your help this week.",
    "That made my day easier — thank you.",
    "Thanks for taking the time to explain it.",
    "Really appreciated your patience today.",
)
RING_NOTE = "You are the best, as always!"
COMMENTS = (
    "Thank you for writing this down — the bit about asking early landed.",
    "Saving this. Did you find it works for small teams too?",
)


@dataclass
class Person:
    """One planned person: the fields of ``do_add_person`` and the traits that drive them."""

    spec: northwind.PersonSpec
    traits: Traits
    bad: bool = False


@dataclass(slots=True)
class Op:
    """One call of an action at moment ``at`` by person ``actor``.

    ``other`` is the person it is addressed to, ``ref`` the index of the op that created the
    object acted on, ``text`` the words written and ``extra`` what else the action takes.
    ``state`` is set on ops that create an object: its fields as the last op leaves them.
    """

    kind: str
    at: datetime
    actor: int
    other: int = -1
    ref: int = -1
    text: str = ""
    extra: Any = None
    state: dict[str, Any] | None = None


@dataclass
class Plan:
    """People, the moment the organisation was created, and everything they do, in order."""

    people: list[Person]
    created_at: datetime
    start: datetime
    end: datetime
    ops: list[Op] = field(default_factory=list)


# --- People ------------------------------------------------------------------------------------

_LATIN = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "œ": "oe"})


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.lower().translate(_LATIN))
    plain = plain.encode("ascii", "ignore").decode()
    return ".".join(re.sub(r"[^a-z-]", "", part) for part in plain.split())


def plan_people(size: int, seed: int, domain: str = DOMAIN) -> list[Person]:
    """Return ``size`` people in Northwind's departments and teams, managers first, with
    addresses at ``domain`` (``admin@`` and ``member@`` the demo sign-ins)."""
    admin_email, member_email = f"admin@{domain}", f"member@{domain}"
    rng = random.Random(seed)
    firsts = [name.split()[0] for name, _ in northwind.NAMES]
    lasts = [name.split()[-1] for name, _ in northwind.NAMES]
    culture = {name.split()[0]: c for name, c in northwind.NAMES}
    teams = [(d, t) for d in northwind.DEPARTMENTS for t in d.teams]
    weights = [t.size for _, t in teams]
    emails: set[str] = set()
    people: list[Person] = []
    leads: dict[str, int] = {}

    def add(dept: Any, team: Any, level: str, manager: int | None) -> None:
        index = len(people)
        if index == 0:
            name, email = "Amara Mensah", admin_email
        else:
            first = rng.choice(firsts)
            name = f"{first} {rng.choice(lasts)}"
            email = f"{_ascii(name)}@{domain}"
            if email in emails:
                email = f"{_ascii(name)}.{index}@{domain}"
        emails.add(email)
        titles = team.titles.get(level) or team.titles["senior"] if team else ()
        title = (
            "Chief Executive"
            if index == 0
            else team.lead
            if level == "lead"
            else rng.choice(titles)
            if titles
            else dept.head
        )
        spec = northwind.PersonSpec(
            name=name,
            email=email,
            culture=culture.get(name.split()[0], "gb"),
            department=dept.name,
            team=team.name if team else dept.name,
            level=level,
            title=title,
            manager=people[manager].spec.email if manager is not None else None,
            role=User.Role.ADMIN if index == 0 else User.Role.MEMBER,
        )
        place = rng.choice(northwind.PLACES)
        spec.location, spec.city, spec.timezone = place.label, place.city, place.timezone
        spec.languages = ["English"] + ([place.language] if place.language else [])
        pools = [(team.skills if team else dept.skills, 3), (dept.skills, 1)]
        spec.offers = northwind._pick(rng, [*pools, (northwind.CROSS_CUTTING, 1)], 3)
        spec.wants = northwind._pick(
            rng, [*pools, (northwind.LEADERSHIP, 1)], rng.randint(2, 3), exclude=spec.offers
        )
        senior = level in {"lead", "head", "senior", "principal"}
        spec.open_to_mentor = rng.random() < (0.6 if senior else 0.15)
        spec.open_to_be_mentored = rng.random() < (0.35 if senior else 0.75)
        spec.open_to_peer = rng.random() < 0.5
        spec.mentoring_capacity = rng.randint(1, 3)
        people.append(Person(spec, Traits.draw(rng)))

    head = {}
    add(northwind.DEPARTMENTS[-1], None, "head", None)  # the admin, who leads the organisation
    while len(people) < size:
        dept, team = rng.choices(teams, weights)[0]
        if dept.name not in head:
            head[dept.name] = len(people)
            add(dept, None, "head", 0)
            continue
        if team.name not in leads:
            leads[team.name] = len(people)
            add(dept, team, "lead", head[dept.name])
            continue
        level = rng.choices(northwind.LEVELS, northwind.LEVEL_WEIGHTS)[0]
        add(dept, team, level, leads[team.name])
    member = next((p for p in people if p.spec.level == "mid"), None)
    if member is not None:  # the persona: an ordinary, dependable mid-level member
        old = member.spec.email
        member.spec.name, member.spec.email = "Tomás Herrera", member_email
        member.traits = Traits.helpful()
        for person in people:
            if person.spec.manager == old:
                person.spec.manager = member_email
    bad = max(2, round(size * BAD_ACTOR_SHARE)) if size >= 20 else 0
    ordinary = [p for p in people[1:] if p.spec.email != member_email]
    for person in rng.sample(ordinary, min(bad, len(ordinary))):
        person.bad = True
        person.traits.integrity, person.traits.generosity = 0.1, 0.2
        person.traits.competence = 0.2
    return people


# --- Life --------------------------------------------------------------------------------------


class _Picker:
    """Weighted draws from a fixed population in O(log n) each."""

    def __init__(self, rng: random.Random, weights: Sequence[float]) -> None:
        self.rng = rng
        self.cum = list(itertools.accumulate(max(w, 1e-3) for w in weights))

    def __call__(self) -> int:
        return bisect_left(self.cum, self.rng.random() * self.cum[-1])


class _Life:
    """Builds the ops day by day; later consequences wait in a heap until their moment."""

    def __init__(self, people: list[Person], seed: int, start: datetime, days: int) -> None:
        self.people = people
        self.rng = random.Random(seed + 1)
        self.start = start
        self.end = start + timedelta(days=days)
        self.days = days
        self.ops: list[Op] = []
        self.later: list[tuple[datetime, int, Callable[[datetime], None]]] = []
        self.counter = itertools.count()
        self.by_team: dict[str, list[int]] = {}
        self.offering: dict[str, list[int]] = {}
        for i, p in enumerate(people):
            self.by_team.setdefault(p.spec.team, []).append(i)
            for skill in p.spec.offers:
                self.offering.setdefault(skill, []).append(i)
        self.bad = [i for i, p in enumerate(people) if p.bad]
        t = [p.traits for p in people]
        rng = self.rng
        self.pick_thanker = _Picker(rng, [x.generosity * (0.3 + x.activity) for x in t])
        self.pick_asker = _Picker(rng, [(0.2 + x.courage) * (0.3 + x.activity) for x in t])
        self.pick_author = _Picker(rng, [x.generosity * (0.3 + x.activity) for x in t])
        self.pick_lesson = _Picker(rng, [x.courage * (0.3 + x.activity) for x in t])
        #: Communities: (op index, skill) and, per community, its members so far.
        self.communities: list[tuple[int, str]] = []
        self.members: dict[int, list[int]] = {}
        self.joined: set[tuple[int, int]] = set()
        self.community_days = self._community_days(days)
        #: Per person: open goal titles, mentees active or waiting, requests waiting on them.
        self.open_titles: list[set[str]] = [set() for _ in people]
        self.mentoring = [0] * len(people)
        self.waiting = [0] * len(people)
        self.praised: dict[tuple[str, int, int], datetime] = {}
        self.thanked_today: dict[int, int] = {}
        self.thanked_about: set[tuple[int, int]] = set()
        self.open_pairs: set[tuple[int, int, str]] = set()

    # -- plumbing ---------------------------------------------------------------------------

    def op(self, kind: str, at: datetime, actor: int, **fields: Any) -> int:
        self.ops.append(Op(kind, at, actor, **fields))
        return len(self.ops) - 1

    def at(self, moment: datetime, then: Callable[[datetime], None]) -> None:
        if moment < self.end:
            heapq.heappush(self.later, (moment, next(self.counter), then))

    def moment(self, day: int) -> datetime:
        return self.start + timedelta(days=day, seconds=self.rng.randint(8 * 3600, 18 * 3600))

    def hours(self, base: datetime, low: float, high: float) -> datetime:
        return base + timedelta(seconds=int(3600 * self.rng.uniform(low, high)))

    def times(self, per_person: float) -> int:
        expected = per_person * len(self.people)
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def may_praise(self, verb: str, giver: int, receiver: int, now: datetime) -> bool:
        """Return whether ``giver`` may praise ``receiver`` now (once a day: well under caps)."""
        last = self.praised.get((verb, giver, receiver))
        if last is not None and now - last < timedelta(hours=24):
            return False
        self.praised[(verb, giver, receiver)] = now
        return True

    def run(self) -> list[Op]:
        for day in range(self.days):
            midnight = self.start + timedelta(days=day)
            self.drain(midnight)
            for _ in range(self.community_days.get(day, 0)):
                self.start_community(self.moment(day))
            if midnight.weekday() < 5:
                self.one_day(day)
        self.drain(self.end)
        return self.ops

    def drain(self, until: datetime) -> None:
        while self.later and self.later[0][0] < until:
            moment, _, then = heapq.heappop(self.later)
            then(moment)

    def one_day(self, day: int) -> None:
        rng, n = self.rng, len(self.people)
        self.thanked_today = {}
        if self.communities:
            for _ in range(self.times(0.01 if day < 60 else 0.002)):
                self.join(self.moment(day), rng.randrange(n))
            for _ in range(self.times(0.002)):
                self.discuss(self.moment(day))
        for _ in range(self.times(0.09)):
            self.thank(self.moment(day), self.pick_thanker())
        for _ in range(self.times(0.022)):
            self.ask(self.moment(day), self.pick_asker())
        for _ in range(self.times(0.006)):
            self.share(self.moment(day), self.pick_author(), lesson=False)
        for _ in range(self.times(0.003)):
            self.share(self.moment(day), self.pick_lesson(), lesson=True)
        for _ in range(self.times(0.007)):
            person = rng.randrange(n)
            if self.people[person].spec.wants and len(self.open_titles[person]) < 2:
                self.set_goal(self.moment(day), person)
        for giver in self.bad:  # the ring praises itself every working day
            receiver = rng.choice(self.bad)
            at = self.moment(day)
            if receiver != giver and self.may_praise("thanked", giver, receiver, at):
                self.op("thank", at, giver, other=receiver, text=RING_NOTE)

    # -- communities ------------------------------------------------------------------------

    def _community_days(self, days: int) -> dict[int, int]:
        """Return how many communities start on each early day: one per ~150 people."""
        wanted = max(1, len(self.people) // 150) if len(self.people) >= 10 else 0
        starts: dict[int, int] = {}
        for _ in range(wanted):
            day = self.rng.randrange(min(days, 30)) if days else 0
            starts[day] = starts.get(day, 0) + 1
        return starts

    def start_community(self, at: datetime) -> None:
        number = len(self.communities)
        if number < len(history.COMMUNITIES):
            name, skill, _policy, description = history.COMMUNITIES[number]
        else:
            skill = self.rng.choice(list(self.offering))
            name = f"{skill} circle {number + 1}"
            description = f"People who practise {skill.lower()} together, every fortnight."
        founders = self.offering.get(skill) or list(range(len(self.people)))
        founder = max(founders[:500], key=lambda p: self.people[p].traits.generosity)
        community = self.op("community", at, founder, text=name, extra=description)
        self.communities.append((community, skill))
        self.members[community] = [founder]
        self.joined.add((founder, community))

    def join(self, at: datetime, person: int) -> None:
        spec = self.people[person].spec
        interests = set(spec.offers) | set(spec.wants)
        fitting = [c for c, skill in self.communities if skill in interests]
        community = self.rng.choice(fitting or [c for c, _ in self.communities])
        if (person, community) in self.joined:
            return
        self.joined.add((person, community))
        self.members[community].append(person)
        self.op("join", at, person, ref=community, text="I'd love to learn with you all.")

    def discuss(self, at: datetime) -> None:
        community, skill = self.rng.choice(self.communities)
        members = self.members[community]
        author = self.rng.choice(members)
        title = f"What's one thing about {skill.lower()} you changed your mind on?"
        body = "Mine: I used to think it was about talent. It's mostly practice."
        state: dict[str, Any] = {"last_activity_at": at}
        thread = self.op("thread", at, author, ref=community, text=title, extra=body, state=state)
        for member in self.rng.sample(members, k=min(len(members), self.rng.randint(0, 3))):
            if member != author:
                self.at(self.hours(at, 1, 48), partial(self._reply, member=member, thread=thread))

    def _reply(self, at: datetime, member: int, thread: int) -> None:
        self.op(
            "reply", at, member, ref=thread, text="Asking for help sooner. It saves everyone time."
        )
        (self.ops[thread].state or {})["last_activity_at"] = at

    # -- praise, requests, posts --------------------------------------------------------------

    def colleague(self, person: int) -> int:
        team = self.by_team[self.people[person].spec.team]
        if len(team) > 1 and self.rng.random() < 0.7:
            return self.rng.choice(team)
        return self.rng.randrange(len(self.people))

    def thank(self, at: datetime, sender: int, about: int = -1, note: str = "") -> None:
        if about < 0:
            recipient = self.colleague(sender)
        else:
            recipient = self.ops[about].actor
        if recipient == sender or self.thanked_today.get(sender, 0) >= 5:
            return
        if about >= 0 and (sender, about) in self.thanked_about:
            return
        if not self.may_praise("thanked", sender, recipient, at):
            return
        if about >= 0:
            self.thanked_about.add((sender, about))
        self.thanked_today[sender] = self.thanked_today.get(sender, 0) + 1
        text = note or self.rng.choice(THANK_NOTES)
        self.op("thank", at, sender, other=recipient, ref=about, text=text)

    def ask(self, at: datetime, asker: int) -> None:
        wants = self.people[asker].spec.wants
        if not wants:
            return
        rng = self.rng
        skill = rng.choice(wants)
        experts = [e for e in self.offering.get(skill, ()) if e != asker]
        directed = rng.sample(experts, k=min(len(experts), rng.choice((0, 1, 1, 2))))
        title = rng.choice(history.ASK_TITLES).format(skill=skill.lower())
        state: dict[str, Any] = {"first_response_at": None, "resolved_at": None, "responses": []}
        request = self.op("ask", at, asker, text=title, extra=(skill, directed), state=state)
        candidates = dict.fromkeys(directed + rng.sample(experts, k=min(len(experts), 2)))
        for helper in candidates:
            t = self.people[helper].traits
            if rng.random() < t.generosity * (0.4 + 0.6 * t.responsiveness):
                delay = min(48.0, rng.expovariate(1 / (1 + 20 * (1 - t.responsiveness))))
                self.at(self.hours(at, delay, delay + 0.5), self._respond(request, helper))
        self.at(self.hours(at, 60, 120), self._resolve(request))

    def _respond(self, request: int, helper: int) -> Callable[[datetime], None]:
        def respond(at: datetime) -> None:
            rng = self.rng
            state: dict[str, Any] = {"marked_at": None, "helpful": False, "accepted": False}
            response = self.op(
                "respond", at, helper, ref=request, text=rng.choice(history.ANSWERS), state=state
            )
            asked = self.ops[request].state or {}
            asked["first_response_at"] = asked["first_response_at"] or at
            asked["responses"].append(response)
            if rng.random() < 0.35 + 0.6 * self.people[helper].traits.competence:
                self.at(self.hours(at, 1, 30), self._mark(response))

        return respond

    def _mark(self, response: int) -> Callable[[datetime], None]:
        def mark(at: datetime) -> None:
            rng = self.rng
            request = self.ops[response].ref
            asker, helper = self.ops[request].actor, self.ops[response].actor
            accepted = rng.random() < 0.5
            self.op("mark", at, asker, ref=response, extra=accepted)
            state = self.ops[response].state or {}
            state.update(marked_at=at, helpful=True, accepted=accepted)
            traits = self.people[asker].traits
            if accepted and rng.random() < 0.35:
                self.feedback(self.hours(at, 0.1, 0.2), asker, helper, response)
            if rng.random() < 0.3 + 0.4 * traits.generosity:
                self.thank(self.hours(at, 0.2, 0.3), asker, about=response, note="Unblocked me.")
            if rng.random() < 0.3:
                self.promise(self.hours(at, 0.3, 0.4), asker, helper, request)

        return mark

    def _resolve(self, request: int) -> Callable[[datetime], None]:
        def resolve(at: datetime) -> None:
            state = self.ops[request].state or {}
            asker = self.ops[request].actor
            helped = [
                self.ops[r].actor
                for r in state["responses"]
                if (self.ops[r].state or {})["helpful"]
            ]
            if not helped and self.rng.random() < 0.5:
                return
            credits = []
            if self.rng.random() < 0.25 + 0.6 * self.people[asker].traits.generosity:
                credits = [
                    h for h in dict.fromkeys(helped) if self.may_praise("credited", asker, h, at)
                ]
            self.op("resolve", at, asker, ref=request, extra=tuple(credits))
            state["resolved_at"] = at

        return resolve

    def share(self, at: datetime, author: int, *, lesson: bool) -> None:
        spec = self.people[author].spec
        skills = spec.offers or spec.wants
        rng = self.rng
        skill = rng.choice(skills)
        if lesson:
            title, body, learned = rng.choice(history.LESSONS)
        else:
            title, body = rng.choice(history.KNOW_HOW)
            learned = ""
        post = self.op(
            "post",
            at,
            author,
            text=title.format(skill=skill.lower()),
            extra=(skill, body, learned),
        )
        for _ in range(rng.randint(0, 3)):
            reader = rng.randrange(len(self.people))
            if reader == author:
                continue
            when = self.hours(at, 1, 72)
            if rng.random() < 0.6:
                text = COMMENTS[0] if lesson else COMMENTS[1]
                self.at(when, partial(self._comment, reader=reader, post=post, text=text))
            else:
                self.at(when, partial(self.thank, sender=reader, about=post, note="Useful post."))

    def _comment(self, at: datetime, reader: int, post: int, text: str) -> None:
        self.op("comment", at, reader, ref=post, text=text)

    # -- goals, mentoring, promises -------------------------------------------------------------

    def set_goal(self, at: datetime, person: int) -> None:
        rng = self.rng
        spec = self.people[person].spec
        skill = rng.choice(spec.wants)
        title = rng.choice(history.GOAL_TITLES).format(skill=skill.lower())
        if title in self.open_titles[person]:
            return
        self.open_titles[person].add(title)
        roll = rng.random()
        visibility = "organisation" if roll < 0.7 else "partners" if roll < 0.9 else "private"
        target = (at + timedelta(days=rng.randint(90, 200))).date()
        state: dict[str, Any] = {
            "status": "open",
            "closed_at": None,
            "updated_at": at,
            "relationships": [],
        }
        goal = self.op(
            "goal",
            at,
            person,
            text=title,
            extra=(rng.choice(history.GOAL_WHYS), target, skill, visibility),
            state=state,
        )
        milestones = []
        for step, name in enumerate(rng.sample(history.MILESTONES, k=3), start=1):
            added = at + timedelta(seconds=step)
            milestones.append(
                self.op("milestone", added, person, ref=goal, text=name, state={"done_at": None})
            )
            state["updated_at"] = added
        when = at
        for milestone in milestones:
            when = self.hours(when, 24 * 10, 24 * 40)
            self.at(when, partial(self._milestone_done, person=person, milestone=milestone))
        outcome = "achieved" if rng.random() < 0.85 else "set_aside"
        self.at(self.hours(when, 24 * 5, 24 * 20), lambda t: self._close(t, person, goal, outcome))
        if visibility == "private":
            return
        if spec.open_to_be_mentored and rng.random() < 0.5:
            self.ask_mentor(self.hours(at, 0.1, 2), person, goal, skill)
        elif rng.random() < 0.15:
            self.ask_peer(self.hours(at, 0.1, 2), person, goal, skill)

    def _milestone_done(self, at: datetime, person: int, milestone: int) -> None:
        goal = self.ops[milestone].ref
        state = self.ops[goal].state or {}
        self.op("milestone_done", at, person, ref=milestone)
        (self.ops[milestone].state or {})["done_at"] = at
        for relationship in state["relationships"]:
            self._touch(relationship, at)

    def _close(self, at: datetime, person: int, goal: int, outcome: str) -> None:
        state = self.ops[goal].state or {}
        reflection = (
            "What helped most was asking early and practising on real work."
            if outcome == "achieved"
            else "Priorities moved; I'll pick this up again after the launch."
        )
        self.op("close_goal", at, person, ref=goal, text=reflection, extra=outcome)
        state.update(status=outcome, closed_at=at, updated_at=at, closing_reflection=reflection)
        self.open_titles[person].discard(self.ops[goal].text)
        for relationship in list(state["relationships"]):
            rel = self.ops[relationship].state or {}
            if rel["status"] == "active":
                self._complete(at + timedelta(minutes=5), relationship)
        state["relationships"] = []

    def _touch(self, relationship: int, at: datetime) -> None:
        state = self.ops[relationship].state or {}
        if state["status"] == "active":
            state["last_active_at"] = max(state["last_active_at"] or at, at)

    def ask_mentor(self, at: datetime, person: int, goal: int, skill: str) -> None:
        mentors = [
            m
            for m in self.offering.get(skill, ())
            if m != person
            and self.people[m].spec.open_to_mentor
            and self.mentoring[m] < self.people[m].spec.mentoring_capacity
            and self.waiting[m] < 4
        ]
        if mentors:
            self._request(at, person, self.rng.choice(mentors), goal, skill, "mentoring")

    def ask_peer(self, at: datetime, person: int, goal: int, skill: str) -> None:
        team = self.by_team[self.people[person].spec.team]
        peers = [p for p in team if p != person and skill in self.people[p].spec.wants]
        if peers:
            self._request(at, person, self.rng.choice(peers), goal, skill, "peer")

    def _request(
        self, at: datetime, learner: int, answerer: int, goal: int, skill: str, kind: str
    ) -> None:
        if (learner, answerer, kind) in self.open_pairs:
            return
        self.open_pairs.add((learner, answerer, kind))
        message = (
            f"I'm working on {skill.lower()} and you're the person people point me to. "
            "Could we meet every couple of weeks?"
            if kind == "mentoring"
            else f"We both want to get better at {skill.lower()} — learn it together?"
        )
        state: dict[str, Any] = {
            "status": "requested",
            "responded_at": None,
            "completed_at": None,
            "last_active_at": None,
            "reflected": {},
        }
        relationship = self.op(
            "request", at, learner, other=answerer, ref=goal, text=message, extra=kind, state=state
        )
        (self.ops[goal].state or {})["relationships"].append(relationship)
        mentoring = kind == "mentoring"
        if mentoring:
            self.mentoring[answerer] += 1
            self.waiting[answerer] += 1
        traits = self.people[answerer].traits
        if self.rng.random() > 0.35 + 0.65 * traits.responsiveness:
            return  # never answered: it waits, and the mentor's room stays taken
        delay = self.rng.expovariate(1 / (4 + 60 * (1 - traits.responsiveness)))
        accept = self.rng.random() < 0.8

        def answer(moment: datetime) -> None:
            if state["status"] != "requested":
                return
            if mentoring:
                self.waiting[answerer] -= 1
            state["responded_at"] = moment
            if not accept:
                state["status"] = "declined"
                self.open_pairs.discard((learner, answerer, kind))
                if mentoring:
                    self.mentoring[answerer] -= 1
                self.op("decline", moment, answerer, ref=relationship)
                return
            state["status"] = "active"
            state["last_active_at"] = moment
            self.op("accept", moment, answerer, ref=relationship)
            self.at(
                self.hours(moment, 48, 9 * 24),
                lambda t: self._session(t, relationship, learner, answerer, 1),
            )

        self.at(self.hours(at, delay, delay + 1), answer)

    def _session(self, at: datetime, relationship: int, learner: int, other: int, n: int) -> None:
        state = self.ops[relationship].state or {}
        if state["status"] != "active":
            return
        rng = self.rng
        held = at - timedelta(hours=1)
        logger = learner if rng.random() < 0.5 else other
        duration = rng.choice((30, 45, 60, 60, 90))
        notes = f"Session {n}: worked through a real example; next step agreed."
        session = self.op(
            "session", at, logger, ref=relationship, text=notes, extra=(held, duration)
        )
        self._touch(relationship, at)
        if rng.random() < 0.5:
            self.promise(self.hours(at, 0.1, 0.2), other, learner, relationship)
        if rng.random() < 0.4:
            self.promise(self.hours(at, 0.2, 0.3), learner, other, relationship)
        if rng.random() < 0.3:
            self.feedback(self.hours(at, 0.3, 0.4), learner, other, session)
        if n >= rng.randint(4, 8):
            self.at(self.hours(at, 48, 49), lambda t: self._complete(t, relationship))
            return
        gap = rng.choice((7, 14, 14, 30)) * rng.uniform(0.7, 1.3)
        self.at(
            self.hours(at, 24 * gap, 24 * gap + 1),
            lambda t: self._session(t, relationship, learner, other, n + 1),
        )

    def _complete(self, at: datetime, relationship: int) -> None:
        state = self.ops[relationship].state or {}
        if state["status"] != "active":
            return
        created = self.ops[relationship]
        learner, other = created.actor, created.other
        for step, person in enumerate((learner, other)):
            words = (
                "I came in unsure and leave with a way of working I trust."
                if person == learner
                else "I learned as much as I taught — thank you for the honest questions."
            )
            moment = at + timedelta(seconds=step)
            self.op("complete", moment, person, ref=relationship, text=words)
            state["reflected"][person] = (words, moment)
            if step == 0:
                state.update(status="completed", completed_at=moment)
        if created.extra == "mentoring":
            self.mentoring[other] -= 1
        self.open_pairs.discard((learner, other, created.extra))

    def feedback(self, at: datetime, giver: int, receiver: int, context: int) -> None:
        if not self.may_praise("rated", giver, receiver, at):
            return
        t = self.people[receiver].traits

        def score(level: float) -> int:
            return max(1, min(5, round(1 + 4 * level + self.rng.gauss(0, 0.6))))

        scores = {
            "helpfulness": score(0.5 * t.competence + 0.5 * t.generosity),
            "responsiveness": score(t.responsiveness),
            "openness": score(t.integrity),
            "presence": score(0.5 * t.integrity + 0.5 * t.generosity),
        }
        self.op("feedback", at, giver, other=receiver, ref=context, extra=scores)

    def promise(self, at: datetime, committer: int, counterpart: int, context: int) -> None:
        rng = self.rng
        due = at + timedelta(days=rng.randint(3, 10))
        state: dict[str, Any] = {"status": "open", "closed_at": None, "closed_by": None}
        commitment = self.op(
            "commit",
            at,
            committer,
            other=counterpart,
            ref=context,
            text=rng.choice(history.COMMITMENTS),
            extra=due,
            state=state,
        )
        kept = rng.random() < self.people[committer].traits.integrity
        confirm = self.hours(due, -48 if kept else 1, 60)
        confirm = max(confirm, at + timedelta(hours=1))
        outcome = "kept" if kept else "missed"

        def close(moment: datetime) -> None:
            self.op("confirm", moment, counterpart, ref=commitment, extra=outcome)
            state.update(status=outcome, closed_at=moment, closed_by=counterpart)

        self.at(confirm, close)


def plan_life(people: list[Person], seed: int, days: int, now: datetime) -> Plan:
    """Return the plan of ``days`` days of life ending at midnight before ``now``."""
    end = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    life = _Life(people, seed, start, days)
    return Plan(people, start - timedelta(hours=12), start, end, life.run())
