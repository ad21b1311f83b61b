"""Six months of Northwind life, replayed through the same actions the app uses.

Every person gets latent traits (generosity, integrity, courage, responsiveness, competence and
how active they are), and each working day they act on them: they set goals and ask for mentors,
mentors answer (or, now and then, never do), sessions are logged and promises made and kept or
missed, people ask for help and answer, mark what helped, credit and thank each other, share
know-how and lessons learned, start and join communities. Nothing is written around the actions:
the clock is moved (``time_machine``) and the action is called, so the ledger, notifications
and trust see exactly what they would have seen live.

An action that refuses (a mentor at capacity, a goal already closed…) is simply skipped, as a
person would move on.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import time_machine
from django.db.models import Model
from django.utils import timezone

from cairn.commitments.actions import do_commit, do_confirm
from cairn.communities.actions import (
    do_answer_join_request,
    do_create_community,
    do_join,
    do_reply,
    do_share_resource,
    do_start_thread,
)
from cairn.communities.models import Community, Membership, Thread
from cairn.errors import ActionError
from cairn.exchange.actions import (
    do_ask,
    do_comment,
    do_mark_response,
    do_resolve,
    do_respond,
    do_share_post,
    do_thank,
)
from cairn.exchange.models import HelpRequest, Response
from cairn.learning.actions import check_ins, health
from cairn.learning.actions.feedback import do_give_feedback
from cairn.learning.actions.goals import (
    do_add_milestone,
    do_close_goal,
    do_complete_milestone,
    do_reflect,
    do_set_goal,
)
from cairn.learning.actions.relationships import (
    do_accept,
    do_complete_relationship,
    do_decline,
    do_log_session,
    do_request_relationship,
    expire_requests,
)
from cairn.learning.models import CheckIn, Goal, Relationship
from cairn.matching.actions import do_close_signups as close_signups
from cairn.matching.actions import do_create_program as create_program
from cairn.matching.actions import do_publish as publish
from cairn.matching.actions import do_run_matching as run_matching
from cairn.matching.actions import do_sign_up as sign_up
from cairn.matching.models import Match, Program
from cairn.notifications.actions import do_follow
from cairn.people.models import Organisation, User

HISTORY_DAYS = 182
#: The demo's mentoring programme: sign-ups open on this day and close two weeks later.
PROGRAMME_OPENS = 20

COMMUNITIES = (
    ("Python guild", "Python", "open", "Code reviews, small tools and the odd lightning talk."),
    (
        "Data storytelling circle",
        "Data storytelling",
        "open",
        "We practise turning numbers into decisions: one chart, one story, every fortnight.",
    ),
    (
        "New managers circle",
        "Giving feedback",
        "approval",
        "A safe room for people in their first two years of managing. What is said here stays.",
    ),
    (
        "Speakers' corner",
        "Public speaking",
        "open",
        "Five-minute talks to a friendly crowd, with honest, kind feedback.",
    ),
    (
        "Negotiation lab",
        "Negotiation",
        "open",
        "Role-plays and real cases: pricing, scope, salaries, saying no.",
    ),
    (
        "AI tools lab",
        "AI tools",
        "open",
        "What works, what doesn't, and what we should not hand to a model.",
    ),
    (
        "Customer empathy club",
        "Customer interviews",
        "open",
        "Listening sessions, call recordings and the questions that get real answers.",
    ),
    (
        "Leading without authority",
        "Stakeholder management",
        "approval",
        "For people who need others to move and cannot tell them to.",
    ),
)

GOAL_TITLES = (
    "Get confident at {skill}",
    "Use {skill} in my day-to-day work",
    "Be the person my team asks about {skill}",
    "Learn {skill} well enough to teach it",
    "Stop avoiding {skill}",
)
GOAL_WHYS = (
    "It keeps coming up in my work and I keep handing it to someone else.",
    "My next role needs it, and I'd rather learn it now than in a hurry later.",
    "I noticed I freeze when it comes up. I want that to change.",
    "Our team depends on it and I want to carry my share.",
    "Honestly, curiosity — and a colleague who made it look fun.",
)
MILESTONES = (
    "Read up and write down three questions",
    "Try it once on a real piece of work",
    "Get feedback from someone who does it well",
    "Do it again without help",
    "Show what I learned to my team",
)
ASK_TITLES = (
    "How do you approach {skill} when the stakes are high?",
    "Could someone look at my first attempt at {skill}?",
    "Stuck on {skill} — where do I start?",
    "What's a good resource for getting better at {skill}?",
    "Anyone done {skill} with a sceptical audience?",
)
ANSWERS = (
    "I've been there. What helped me was starting small and asking for feedback early. Happy "
    "to look at it with you on a call.",
    "Here's the checklist I use; the second point is the one people forget.",
    "Try writing the outcome you want first, then work backwards. Shout if you want a review.",
    "I made every mistake possible with this last year — the short version is in my notes, "
    "I'll send them over.",
    "Two things: ask what they're afraid of, and agree what 'done' looks like before you start.",
)
KNOW_HOW = (
    ("A one-page template for {skill}", "I've used this for a year; steal it and adapt it."),
    ("Five things I wish I'd known about {skill}", "Short list, earned the hard way."),
    ("How we do {skill} in our team", "Our current way of working, and why we chose it."),
)
LESSONS = (
    (
        "The {skill} mistake that cost us a week",
        "I skipped a step because I was sure I knew the answer. I didn't.",
        "Check my assumption with one person before I act on it.",
    ),
    (
        "I said yes to too much and let people down",
        "Three commitments slipped in the same fortnight.",
        "Say no early, and say it kindly. A late yes is worse than an honest no.",
    ),
    (
        "My first {skill} attempt fell flat",
        "The room went quiet and not in a good way.",
        "Practise with a friendly audience first, and ask them what confused them.",
    ),
)
COMMITMENTS = (
    "I'll send you my notes before our next session",
    "I'll review your draft and send comments",
    "I'll introduce you to someone who has done this",
    "I'll try the exercise and report back",
    "I'll share the template I mentioned",
)


@dataclass
class Traits:
    """A person's latent behaviour, each in [0, 1]."""

    generosity: float
    integrity: float
    courage: float
    responsiveness: float
    competence: float
    activity: float

    @classmethod
    def helpful(cls) -> Traits:
        """Return the traits of an ordinary, dependable colleague (the demo's member persona)."""
        return cls(
            generosity=0.8,
            integrity=0.9,
            courage=0.55,
            responsiveness=0.8,
            competence=0.75,
            activity=0.6,
        )

    @classmethod
    def draw(cls, rng: random.Random) -> Traits:
        return cls(
            generosity=rng.betavariate(3, 2),
            integrity=rng.betavariate(6, 1.5),
            courage=rng.betavariate(2, 2.5),
            responsiveness=rng.betavariate(4, 2),
            competence=rng.betavariate(4, 2),
            activity=rng.betavariate(2, 3),
        )


@dataclass(eq=False)
class Person:
    user: User
    traits: Traits
    offers: list[str]
    wants: list[str]
    open_to_mentor: bool
    open_to_be_mentored: bool
    goals: list[Goal] = field(default_factory=list)


@dataclass
class Agenda:
    """Things that will happen on a later day: (moment, action) pairs, run in time order."""

    items: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)
    counter: int = 0

    def at(self, moment: datetime, action: Callable[[], object]) -> None:
        self.counter += 1
        self.items.append((moment, self.counter, action))

    def due(self, until: datetime) -> list[tuple[datetime, Callable[[], object]]]:
        self.items.sort(key=lambda item: (item[0], item[1]))
        ready = [(m, a) for m, _, a in self.items if m <= until]
        self.items = [item for item in self.items if item[0] > until]
        return ready


class History:
    """The replay: state plus one method per kind of thing people do."""

    def __init__(
        self, org: Organisation, seed: int, start: datetime, days: int, persona: str = ""
    ) -> None:
        self.org = org
        self.rng = random.Random(seed)
        self.start = start
        self.days = days
        self.agenda = Agenda()
        self.done: Counter[str] = Counter()
        users = (
            User.objects.filter(organisation=org, is_active=True)
            .select_related("profile")
            .prefetch_related("profile__offers", "profile__wants")
            .order_by("pk")
        )
        self.people = [
            Person(
                user=u,
                traits=Traits.draw(self.rng),
                offers=[s.name for s in u.profile.offers.all()],
                wants=[s.name for s in u.profile.wants.all()],
                open_to_mentor=u.profile.open_to_mentor,
                open_to_be_mentored=u.profile.open_to_be_mentored,
            )
            for u in users
        ]
        for person in self.people:
            if person.user.email == persona:
                person.traits = Traits.helpful()
        self.by_id = {p.user.pk: p for p in self.people}
        self.communities: list[tuple[Community, str]] = []
        self.clock: Any = None

    # -- plumbing ---------------------------------------------------------------------------

    def attempt[T](self, label: str, action: Callable[[], T]) -> T | None:
        """Run one action; a refusal is a person moving on, not an error."""
        try:
            result = action()
        except ActionError:
            self.done[f"refused: {label}"] += 1
            return None
        self.done[label] += 1
        return result

    def moment(self, day: int, hour: float | None = None) -> datetime:
        hour = self.rng.uniform(8.5, 17.5) if hour is None else hour
        return self.start + timedelta(days=day, hours=hour)

    def later(self, base: datetime, min_hours: float, max_hours: float) -> datetime:
        return base + timedelta(hours=self.rng.uniform(min_hours, max_hours))

    def pick(
        self, weights: Callable[[Person], float], exclude: AbstractSet[int] = frozenset()
    ) -> Person:
        pool = [p for p in self.people if p.user.pk not in exclude]
        return self.rng.choices(pool, weights=[max(weights(p), 1e-3) for p in pool])[0]

    def offering(self, skill: str, exclude: set[int]) -> list[Person]:
        return [p for p in self.people if skill in p.offers and p.user.pk not in exclude]

    # -- the days ---------------------------------------------------------------------------

    def run(self, say: Callable[[str], None]) -> Counter[str]:
        with time_machine.travel(self.start, tick=False) as clock:
            self.clock = clock
            self.start_communities()
            self.agenda.at(self.moment(PROGRAMME_OPENS, 10), self.open_programme)
            for day in range(self.days):
                when = self.start + timedelta(days=day)
                for moment, action in self.agenda.due(when + timedelta(days=1)):
                    clock.move_to(moment)
                    action()
                clock.move_to(self.moment(day, 7))
                self.daily_jobs()
                if when.weekday() >= 5:
                    continue
                clock.move_to(self.moment(day, 8))
                self.one_day(day)
                if day % 30 == 29:
                    say(f"  {day + 1} days of history")
            end = self.start + timedelta(days=self.days)
            for moment, action in self.agenda.due(end):
                clock.move_to(moment)
                action()
            clock.move_to(end)
            self.done["mentoring requests expired"] += expire_requests()
        return self.done

    def times(self, per_150_people: float) -> int:
        """Return how many times something happens today, scaled to the organisation's size."""
        expected = per_150_people * len(self.people) / 150
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def one_day(self, day: int) -> None:
        rng = self.rng
        if day < 45:
            for person in self.people:
                if person.wants and not person.goals and rng.random() < 0.05:
                    self.set_goal(day, person)
            for person in self.people:
                if rng.random() < 0.03:
                    self.join_communities(day, person)
                if rng.random() < 0.02:
                    self.follow(day, person)
        for _ in range(self.times(3.5)):
            self.ask_for_help(day)
        for _ in range(self.times(0.6)):
            self.share(day, lesson=False)
        for _ in range(self.times(0.3)):
            self.share(day, lesson=True)
        for _ in range(self.times(0.35)):
            self.discuss(day)
        for person in self.people:
            if person.goals and rng.random() < 0.01 * (1 + person.traits.activity):
                self.work_on_goal(day, person)

    # -- communities ------------------------------------------------------------------------

    def start_communities(self) -> None:
        for name, skill, policy, description in COMMUNITIES:
            founders = self.offering(skill, set()) or self.people
            founder = max(founders, key=lambda p: p.traits.generosity)
            self.clock.move_to(self.moment(self.rng.randint(0, 10)))
            community = self.attempt(
                "community started",
                partial(do_create_community, founder.user, name, description, policy),
            )
            if community is not None:
                self.communities.append((community, skill))
                if self.rng.random() < 0.7:
                    self.attempt(
                        "resource shared",
                        partial(
                            do_share_resource,
                            founder.user,
                            community,
                            f"Where to start with {skill.lower()}",
                            "https://intranet.northwind.example/learning/"
                            + skill.lower().replace(" ", "-"),
                            "Our reading list, kept short on purpose.",
                        ),
                    )

    def join_communities(self, day: int, person: Person) -> None:
        interests = set(person.offers) | set(person.wants)
        for community, skill in self.communities:
            if skill in interests or self.rng.random() < 0.05:
                membership = self.attempt(
                    "joined or asked to join",
                    partial(do_join, person.user, community, "I'd love to learn with you all."),
                )
                if (
                    isinstance(membership, Membership)
                    and membership.status == Membership.Status.PENDING
                    and community.created_by is not None
                ):
                    facilitator = community.created_by
                    self.agenda.at(
                        self.later(self.moment(day), 4, 60),
                        partial(
                            self.attempt,
                            "join request answered",
                            partial(do_answer_join_request, facilitator, membership, approve=True),
                        ),
                    )

    def discuss(self, day: int) -> None:
        if not self.communities:
            return
        community, skill = self.rng.choice(self.communities)
        members = list(
            Membership.objects.filter(
                community=community, status=Membership.Status.ACTIVE
            ).values_list("user_id", flat=True)
        )
        if len(members) < 2:
            return
        author = self.by_id.get(self.rng.choice(members))
        if author is None:
            return
        thread = self.attempt(
            "thread started",
            lambda: do_start_thread(
                author.user,
                community,
                f"What's one thing about {skill.lower()} you changed your mind on?",
                "Mine: I used to think it was about talent. It's mostly practice.",
            ),
        )
        if thread is None:
            return
        for member_id in self.rng.sample(members, k=min(len(members), self.rng.randint(0, 3))):
            if member_id == author.user.pk:
                continue
            self.agenda.at(
                self.later(self.moment(day), 1, 48),
                partial(self.reply, self.by_id[member_id], author, thread),
            )

    def reply(self, member: Person, author: Person, thread: Thread) -> None:
        """Reply to a thread; now and then offer the author something and promise it."""
        if (
            self.attempt(
                "reply",
                lambda: do_reply(
                    member.user, thread, "Asking for help sooner. It saves everyone time."
                ),
            )
            and self.rng.random() < 0.35
        ):
            self.promise(member, author, thread)

    # -- goals and mentoring ----------------------------------------------------------------

    def set_goal(self, day: int, person: Person) -> None:
        skill = self.rng.choice(person.wants)
        roll = self.rng.random()
        visibility = "organisation" if roll < 0.7 else "partners" if roll < 0.9 else "private"
        goal = self.attempt(
            "goal set",
            lambda: do_set_goal(
                person.user,
                self.rng.choice(GOAL_TITLES).format(skill=skill.lower()),
                why=self.rng.choice(GOAL_WHYS),
                target_date=(timezone.now() + timedelta(days=self.rng.randint(90, 200))).date(),
                skills=[skill],
                visibility=visibility,
            ),
        )
        if not isinstance(goal, Goal):
            return
        person.goals.append(goal)
        for title in self.rng.sample(MILESTONES, k=3):
            self.attempt("milestone added", partial(do_add_milestone, person.user, goal, title))
        if person.open_to_be_mentored and visibility != "private" and self.rng.random() < 0.6:
            self.ask_for_mentor(day, person, goal, skill)
        elif visibility != "private" and self.rng.random() < 0.15:
            self.ask_for_peer(day, person, goal, skill)

    def ask_for_mentor(self, day: int, person: Person, goal: Goal, skill: str) -> None:
        mentors = [p for p in self.offering(skill, {person.user.pk}) if p.open_to_mentor] or [
            p for p in self.people if p.open_to_mentor and p.user.pk != person.user.pk
        ]
        message = (
            f"I'm working on {skill.lower()} and you're the person people point me to. "
            "Could we meet every couple of weeks?"
        )
        kind = Relationship.Kind.MENTORING
        self.ask_one_of(day, person, goal, mentors, kind, "mentoring requested", message)

    def ask_for_peer(self, day: int, person: Person, goal: Goal, skill: str) -> None:
        peers = [p for p in self.people if skill in p.wants and p.user.pk != person.user.pk]
        message = f"We both want to get better at {skill.lower()} — learn it together?"
        kind = Relationship.Kind.PEER
        self.ask_one_of(day, person, goal, peers, kind, "peer partnership proposed", message)

    def ask_one_of(
        self,
        day: int,
        person: Person,
        goal: Goal,
        candidates: list[Person],
        kind: str,
        what: str,
        message: str,
    ) -> None:
        """Ask one of ``candidates``, chosen at random, for a relationship of ``kind`` about
        ``goal`` (``what`` names the attempt in the log), and plan their answer."""
        if not candidates:
            return
        other = self.rng.choice(candidates)
        relationship = self.attempt(
            what, lambda: do_request_relationship(person.user, other.user, kind, goal, message)
        )
        if isinstance(relationship, Relationship):
            self.plan_answer(day, relationship, other, person)

    def plan_answer(
        self, day: int, relationship: Relationship, answerer: Person, requester: Person
    ) -> None:
        traits = answerer.traits
        if self.rng.random() > 0.35 + 0.65 * traits.responsiveness:
            return  # never answered: expires at the end and is recorded as unanswered
        hours = self.rng.expovariate(1 / (4 + 60 * (1 - traits.responsiveness)))
        when = self.later(self.moment(day), hours, hours + 1)
        if self.rng.random() < 0.85:
            self.agenda.at(when, lambda: self.accept(relationship, answerer, requester))
        else:
            self.agenda.at(
                when,
                lambda: self.attempt(
                    "request declined",
                    lambda: do_decline(
                        answerer.user,
                        relationship,
                        "I'm stretched this quarter and wouldn't do you justice — try "
                        "asking again in the spring, or someone in my team.",
                    ),
                ),
            )

    # -- the mentoring programme --------------------------------------------------------------

    def open_programme(self) -> None:
        """An admin opens a programme; mentors and mentees sign up; two weeks later the admin
        closes it, runs the matching and publishes, and the pairs begin."""
        admin = User.objects.filter(organisation=self.org, role=User.Role.ADMIN).first()
        if admin is None:
            return
        now = timezone.now()
        programme = self.attempt(
            "programme created",
            lambda: create_program(
                admin,
                name="Autumn mentoring circle",
                description="Three months, a mentor from another team, meeting as often as "
                "the pair agree. Tell us what you want to grow.",
                opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(days=14),
            ),
        )
        if programme is None:
            return
        mentors = sorted(
            (p for p in self.people if p.open_to_mentor and p.offers),
            key=lambda p: -p.traits.competence,
        )[:10]
        taken = {p.user.pk for p in mentors}
        hopeful = [p for p in self.people if p.wants and p.user.pk not in taken]
        mentees = self.rng.sample(hopeful, min(16, len(hopeful)))
        for mentor in mentors:
            self.attempt(
                "programme sign-up",
                partial(sign_up, mentor.user, programme, role="mentor", capacity=2),
            )
        for mentee in mentees:
            want = self.rng.choice(mentee.wants)
            self.attempt(
                "programme sign-up",
                partial(
                    sign_up,
                    mentee.user,
                    programme,
                    role="mentee",
                    goal_text=f"Grow my {want} skills",
                ),
            )
        self.agenda.at(now + timedelta(days=14, hours=2), lambda: self.publish(admin, programme))

    def publish(self, admin: User, programme: Program) -> None:
        programme = close_signups(admin, programme)
        programme = run_matching(admin, programme)
        if programme.status != Program.Status.PROPOSED:
            return
        self.attempt("programme published", lambda: publish(admin, programme))
        for match in Match.objects.filter(program=programme, relationship__isnull=False):
            relationship = match.relationship
            if relationship is None or match.mentor is None:
                continue
            mentor = self.by_id.get(match.mentor.user_id)
            learner = self.by_id.get(match.mentee.user_id)
            if mentor is None or learner is None:
                continue
            rhythm = self.rng.choice((7, 14, 14, 30))
            self.attempt(
                "rhythm agreed",
                partial(health.do_set_rhythm, mentor.user, relationship, rhythm),
            )
            if self.rng.random() < 0.12:
                continue  # matched, and never met: the admins will see it stall
            first = timezone.now() + timedelta(days=self.rng.uniform(2, 12))
            self.agenda.at(
                first,
                partial(self.session, relationship, mentor, learner, 1),
            )

    def daily_jobs(self) -> None:
        """What ``cairn periodic`` does each day: lapse, remind, nudge."""
        self.done["session proposals lapsed"] += health.do_lapse_proposals()
        self.done["session reminders"] += health.do_remind_proposals()
        self.done["quiet relationships nudged"] += health.do_nudge_quiet()
        today = timezone.now()
        if check_ins.do_ask_check_ins():
            for asked in CheckIn.objects.filter(
                relationship__organisation=self.org, asked_at=today, answered_at__isnull=True
            ):
                self.plan_check_in(asked)

    def plan_check_in(self, asked: CheckIn) -> None:
        """Most people answer within a few days; how useful it felt follows the other's traits."""
        person = self.by_id.get(asked.person_id)
        if person is None or self.rng.random() > 0.45 + 0.5 * person.traits.responsiveness:
            return
        others = [
            self.by_id[m.user_id]
            for m in asked.relationship.members.all()
            if m.user_id != asked.person_id and m.user_id in self.by_id
        ]
        care = (
            min((o.traits.integrity + o.traits.generosity) / 2 for o in others) if others else 0.5
        )
        usefulness = max(1, min(5, round(1 + 4 * care + self.rng.gauss(0, 0.6))))
        moving = "yes" if care > 0.6 else ("somewhat" if care > 0.4 else "no")
        note = "" if self.rng.random() < 0.85 else "We would value a little more time for this."
        self.agenda.at(
            self.later(timezone.now(), 4, 96),
            lambda: self.attempt(
                "check-in answered",
                lambda: check_ins.do_answer_check_in(person.user, asked, usefulness, moving, note),
            ),
        )

    def accept(self, relationship: Relationship, answerer: Person, requester: Person) -> None:
        if self.attempt("request accepted", lambda: do_accept(answerer.user, relationship)):
            rhythm = self.rng.choice((7, 14, 14, 30))
            self.attempt(
                "rhythm agreed", lambda: health.do_set_rhythm(answerer.user, relationship, rhythm)
            )
            first = timezone.now() + timedelta(days=self.rng.uniform(2, 9))
            self.agenda.at(first, lambda: self.session(relationship, answerer, requester, 1))

    def plan_next(
        self, relationship: Relationship, mentor: Person, learner: Person, n: int, gap: timedelta
    ) -> None:
        """Meet again after ``gap``: often proposed and accepted first, else just held."""
        starts_at = timezone.now() + gap
        if self.rng.random() < 0.5:
            self.agenda.at(starts_at, lambda: self.session(relationship, mentor, learner, n))
            return
        proposer, answerer = self.rng.sample([mentor, learner], 2)
        proposal = self.attempt(
            "session proposed",
            lambda: health.do_propose_session(
                proposer.user, relationship, starts_at.replace(second=0)
            ),
        )
        if proposal is None:
            return
        self.agenda.at(
            self.later(timezone.now(), 1, 30),
            lambda: self.attempt(
                "proposed session accepted",
                lambda: health.do_answer_proposal(answerer.user, proposal, accept=True),
            ),
        )
        held = starts_at.replace(second=0) + timedelta(hours=1)
        self.agenda.at(held, lambda: self.session(relationship, mentor, learner, n))

    def go_quiet(self, relationship: Relationship, mentor: Person, learner: Person, n: int) -> None:
        """After a long silence (and Cairn's nudge), the pair recover, close kindly, or drift."""
        roll = self.rng.random()
        if roll < 0.5:
            self.plan_next(relationship, mentor, learner, n, timedelta(days=self.rng.uniform(3, 8)))
        elif roll < 0.8:
            reason = self.rng.choice(("not_a_fit", "circumstances", "got_what_we_needed"))
            closer = self.rng.choice((mentor, learner))
            self.attempt(
                "relationship closed kindly",
                lambda: health.do_close_relationship(
                    closer.user, relationship, reason, "Thank you — let's stay in touch."
                ),
            )
        else:
            self.done["relationship left to drift"] += 1

    def session(self, relationship: Relationship, mentor: Person, learner: Person, n: int) -> None:
        held_at = timezone.now() - timedelta(hours=1)
        logged = self.attempt(
            "session logged",
            lambda: do_log_session(
                learner.user if self.rng.random() < 0.5 else mentor.user,
                relationship,
                held_at,
                self.rng.choice((30, 45, 60, 60, 90)),
                shared_notes=f"Session {n}: worked through a real example; next step agreed.",
                private_notes="Felt more confident by the end." if n > 1 else "",
            ),
        )
        if logged is None:
            return
        if self.rng.random() < 0.5:
            self.promise(mentor, learner, relationship)
        if self.rng.random() < 0.4:
            self.promise(learner, mentor, relationship)
        if self.rng.random() < 0.3:
            self.feedback(learner, mentor, logged)
        if n >= self.rng.randint(4, 8):
            self.agenda.at(
                timezone.now() + timedelta(days=2),
                lambda: self.complete(relationship, mentor, learner),
            )
            return
        rhythm = Relationship.objects.values_list("rhythm_days", flat=True).get(pk=relationship.pk)
        # Less reliable pairs are likelier to let the rhythm slip and go quiet for a while.
        slips = 0.06 + 0.3 * (1 - min(mentor.traits.integrity, learner.traits.responsiveness))
        if self.rng.random() < slips:
            silence = timedelta(days=rhythm * self.rng.uniform(2.3, 3.5))
            self.agenda.at(
                timezone.now() + silence,
                lambda: self.go_quiet(relationship, mentor, learner, n + 1),
            )
            return
        gap = timedelta(days=rhythm * self.rng.uniform(0.6, 1.2))
        self.plan_next(relationship, mentor, learner, n + 1, gap)

    def complete(self, relationship: Relationship, mentor: Person, learner: Person) -> None:
        for person, words in (
            (learner, "I came in unsure and leave with a way of working I trust."),
            (mentor, "I learned as much as I taught — thank you for the honest questions."),
        ):
            self.attempt(
                "relationship completed",
                partial(do_complete_relationship, person.user, relationship, words),
            )
        relationship.refresh_from_db()
        self.feedback(learner, mentor, relationship)
        if self.rng.random() < 0.5:
            self.attempt(
                "thanks sent",
                lambda: do_thank(
                    learner.user, mentor.user, "Thank you for your time and your patience."
                ),
            )

    def feedback(self, giver: Person, receiver: Person, context: Model) -> None:
        t = receiver.traits

        def score(level: float) -> int:
            return max(1, min(5, round(1 + 4 * level + self.rng.gauss(0, 0.6))))

        self.attempt(
            "feedback given",
            lambda: do_give_feedback(
                giver.user,
                receiver.user,
                context,
                {
                    "helpfulness": score(0.5 * t.competence + 0.5 * t.generosity),
                    "responsiveness": score(t.responsiveness),
                    "openness": score(t.integrity),
                    "presence": score(0.5 * t.integrity + 0.5 * t.generosity),
                },
                "",
            ),
        )

    def promise(self, committer: Person, counterpart: Person, context: Model) -> None:
        due = timezone.now() + timedelta(days=self.rng.randint(3, 10))
        commitment = self.attempt(
            "commitment made",
            lambda: do_commit(
                committer.user, counterpart.user, self.rng.choice(COMMITMENTS), due, context
            ),
        )
        if commitment is None:
            return
        kept = self.rng.random() < committer.traits.integrity
        confirm_at = due + timedelta(hours=self.rng.uniform(-48 if kept else 1, 60))
        outcome = "kept" if kept else "missed"
        self.agenda.at(
            max(confirm_at, timezone.now() + timedelta(hours=1)),
            lambda: self.attempt(
                f"commitment {outcome}",
                lambda: do_confirm(commitment, counterpart.user, outcome),
            ),
        )

    def work_on_goal(self, day: int, person: Person) -> None:
        goal = self.rng.choice(person.goals)
        goal.refresh_from_db()
        if goal.status != Goal.Status.OPEN:
            return
        pending = list(goal.milestones.filter(done_at__isnull=True))
        if pending:
            self.attempt(
                "milestone reached", lambda: do_complete_milestone(person.user, pending[0])
            )
            if self.rng.random() < 0.5:
                self.attempt(
                    "reflection",
                    lambda: do_reflect(
                        person.user,
                        goal,
                        "Harder than I expected, and more useful. Next: do it without notes.",
                    ),
                )
        elif day > 60:
            achieved = self.rng.random() < 0.85
            self.attempt(
                "goal closed",
                lambda: do_close_goal(
                    person.user,
                    goal,
                    "achieved" if achieved else "set_aside",
                    "What helped most was asking early and practising on real work."
                    if achieved
                    else "Priorities moved; I'll pick this up again after the launch.",
                ),
            )

    # -- requests for help, posts, follows -----------------------------------------------------

    def ask_for_help(self, day: int) -> None:
        asker = self.pick(lambda p: (0.2 + p.traits.courage) * (0.3 + p.traits.activity))
        if not asker.wants:
            return
        skill = self.rng.choice(asker.wants)
        experts = self.offering(skill, {asker.user.pk})
        directed = self.rng.sample(experts, k=min(len(experts), self.rng.choice((0, 1, 1, 2))))
        request = self.attempt(
            "asked for help",
            lambda: do_ask(
                asker.user,
                self.rng.choice(ASK_TITLES).format(skill=skill.lower()),
                "Context: a real piece of work due in a couple of weeks. Any pointers welcome.",
                skills=[skill],
                directed_to=[p.user for p in directed],
                goal=next((g for g in asker.goals if g.status == Goal.Status.OPEN), None),
            ),
        )
        if request is None:
            return
        candidates = directed + self.rng.sample(experts, k=min(len(experts), 3))
        answered: list[Person] = []
        for helper in dict.fromkeys(candidates):
            t = helper.traits
            if self.rng.random() < t.generosity * (0.4 + 0.6 * t.responsiveness):
                hours = self.rng.expovariate(1 / (1 + 30 * (1 - t.responsiveness)))
                answered.append(helper)
                self.agenda.at(
                    self.later(self.moment(day), hours, hours + 0.5),
                    partial(self.respond, request, asker, helper),
                )
        if answered:
            self.agenda.at(
                self.later(self.moment(day), 60, 120), lambda: self.resolve(request, asker)
            )

    def respond(self, request: HelpRequest, asker: Person, helper: Person) -> None:
        response = self.attempt(
            "responded", lambda: do_respond(helper.user, request, self.rng.choice(ANSWERS))
        )
        if response is None:
            return
        if self.rng.random() < 0.35 + 0.6 * helper.traits.competence:
            self.agenda.at(
                timezone.now() + timedelta(hours=self.rng.uniform(1, 30)),
                lambda: self.mark(asker, helper, response),
            )

    def mark(self, asker: Person, helper: Person, response: Response) -> None:
        accepted = self.rng.random() < 0.5
        if self.attempt(
            "response marked",
            lambda: do_mark_response(asker.user, response, helpful=True, accepted=accepted),
        ):
            if accepted and self.rng.random() < 0.35:
                self.feedback(asker, helper, response)
            if self.rng.random() < 0.3 + 0.4 * asker.traits.generosity:
                self.attempt(
                    "thanks sent",
                    lambda: do_thank(
                        asker.user, helper.user, "That unblocked me — thank you.", response
                    ),
                )
            if self.rng.random() < 0.4:
                self.promise(asker, helper, response.help_request)
            if self.rng.random() < 0.4:
                self.promise(helper, asker, response.help_request)
            self.others_thank(asker, helper, response)

    def others_thank(self, asker: Person, helper: Person, response: Response) -> None:
        """Colleagues with the same question find the answer and thank its author too.

        Praise in a real organisation flows beyond the pair that worked together: an answer
        that unblocked one person is read and used by others who want the same skill.
        """
        skills = list(response.help_request.skills.values_list("name", flat=True))
        readers = [
            p
            for p in self.people
            if p.user.pk not in (asker.user.pk, helper.user.pk) and set(p.wants) & set(skills)
        ]
        for reader in self.rng.sample(readers, k=min(len(readers), 2)):
            if self.rng.random() < 0.25 + 0.3 * reader.traits.generosity:
                self.agenda.at(
                    timezone.now() + timedelta(hours=self.rng.uniform(2, 96)),
                    partial(
                        self.attempt,
                        "thanks sent",
                        partial(
                            do_thank,
                            reader.user,
                            helper.user,
                            "Found your answer — it helped me too.",
                            response,
                        ),
                    ),
                )

    def resolve(self, request: HelpRequest, asker: Person) -> None:
        request.refresh_from_db()
        helpful = list(request.responses.filter(helpful=True).select_related("responder"))
        if not helpful and self.rng.random() < 0.5:
            return
        credits = [(r.responder, "Pointed me the right way and followed up.") for r in helpful]
        if self.rng.random() > 0.25 + 0.6 * asker.traits.generosity:
            credits = []
        self.attempt("request resolved", lambda: do_resolve(asker.user, request, credits))

    def share(self, day: int, *, lesson: bool) -> None:
        if lesson:
            author = self.pick(lambda p: p.traits.courage * (0.3 + p.traits.activity))
        else:
            author = self.pick(lambda p: p.traits.generosity * (0.3 + p.traits.activity))
        skills = author.offers or author.wants
        if not skills:
            return
        skill = self.rng.choice(skills)
        if lesson:
            title, body, learned = self.rng.choice(LESSONS)
            post = self.attempt(
                "lesson shared",
                lambda: do_share_post(
                    author.user,
                    title.format(skill=skill.lower()),
                    body,
                    kind="lesson",
                    learned=learned,
                    skills=[skill],
                ),
            )
        else:
            title, body = self.rng.choice(KNOW_HOW)
            post = self.attempt(
                "know-how shared",
                lambda: do_share_post(
                    author.user, title.format(skill=skill.lower()), body, skills=[skill]
                ),
            )
        if post is None:
            return
        for reader in self.rng.sample(self.people, k=self.rng.randint(0, 3)):
            if reader.user.pk == author.user.pk:
                continue
            when = self.later(self.moment(day), 1, 72)
            if self.rng.random() < 0.6:
                self.agenda.at(
                    when,
                    partial(
                        self.attempt,
                        "commented",
                        partial(
                            do_comment,
                            reader.user,
                            post,
                            "Thank you for writing this down — the bit about asking early landed."
                            if lesson
                            else "Saving this. Did you find it works for small teams too?",
                        ),
                    ),
                )
            else:
                self.agenda.at(
                    when,
                    partial(
                        self.attempt,
                        "thanks sent",
                        partial(
                            do_thank, reader.user, author.user, "Useful post, thank you.", post
                        ),
                    ),
                )

    def follow(self, day: int, person: Person) -> None:
        others = self.rng.sample(self.people, k=3)
        for other in others:
            if other.user.pk != person.user.pk:
                self.attempt("followed", partial(do_follow, person.user, other.user))


def build_history(
    org: Organisation,
    *,
    seed: int,
    start: datetime,
    days: int,
    say: Callable[[str], None],
    persona: str = "",
) -> Counter[str]:
    """Replay ``days`` days of the organisation's life from ``start``; return what was done.

    ``persona`` is the email of the member a new user signs in as: they are given the traits
    of an ordinary, dependable colleague (:meth:`Traits.helpful`), so that what they see is
    what six months of such work earns.
    """
    return History(org, seed, start, days, persona).run(say)
