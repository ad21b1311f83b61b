"""The thin layer between Cairn's rows and the pure matching engine.

profiles and relationships (queries) -> engine `Profile`s, which the worker builds into the
stored `Index` (`cairn.matching.builder`, `cairn.matching.indexes`) that recommendations read;
program participants -> engine `Program` -> `match_program` -> rows. Trust and responsiveness
come from `trust_figures`, the one place the trust app's numbers enter matching.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

from cairn.matching import indexes
from cairn.matching.engine import NEUTRAL, Index, Query, recommend
from cairn.matching.engine import Profile as EngineProfile
from cairn.matching.engine.program import Mentee
from cairn.matching.engine.program import Program as EngineProgram
from cairn.matching.wording import reasons_text

#: The embedder programs and indexes are built with (one per process; see `indexes.embedder`).
embedder = indexes.embedder

#: People who declined a seeker's request within this many days are not recommended to them.
DECLINED_RECENTLY_DAYS = 90

#: Kinds of recommendation, as the engine names them, with the words pages use.
MODES = {"mentor": "Mentors and coaches", "peer": "Peers growing the same skill",
         "community": "Communities"}  # fmt: skip


# --- Trust -------------------------------------------------------------------------------------


def trust_figures(organisation_id: int) -> dict[int, tuple[float, float]]:
    """Return ``{user_id: (trust, responsiveness)}`` in [0, 1] for an organisation.

    Reads the trust app's ``TrustProfile`` rows, each figure pulled towards neutral by how sure
    the trust engine is of it (``0.5 + confidence * (score - 0.5)``), so a newcomer neither gains
    nor loses. Anyone without a row — everyone, where the trust app is not installed or not yet
    migrated — is neutral: callers use ``.get(user_id, (NEUTRAL, NEUTRAL))``.
    """
    try:
        model = apps.get_model("trust", "TrustProfile")
    except LookupError:
        return {}
    wanted = ("user_id", "trust", "confidence", "responsiveness", "responsiveness_confidence")
    try:
        with transaction.atomic():
            rows = list(
                model._default_manager.filter(organisation_id=organisation_id).values_list(*wanted)
            )
    except (DatabaseError, FieldError):
        return {}
    return {
        user_id: (_shrunk(trust, conf), _shrunk(resp, resp_conf))
        for user_id, trust, conf, resp, resp_conf in rows
    }


def _shrunk(score: Any, confidence: Any) -> float:
    return NEUTRAL + min(max(_unit(confidence), 0.0), 1.0) * (_unit(score) - NEUTRAL)


def _unit(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return NEUTRAL
    return NEUTRAL if not np.isfinite(x) else min(max(x, 0.0), 1.0)


# --- Evidence from the ledger ------------------------------------------------------------------


def ledger_evidence(organisation_id: int) -> dict[int, tuple[str, ...]]:
    """Return plain facts about each person from the activity ledger, for the reasons.

    "answered 12 requests", "has mentored 3 colleagues", "credited by 4 colleagues" — counted
    over the whole ledger of the organisation in two queries; small numbers are left out.
    """
    from cairn.ledger.models import Event, Verb

    events = Event.objects.filter(organisation_id=organisation_id).order_by()
    done = (
        events.filter(verb__in=[Verb.RESPONDED, Verb.MENTORED])
        .values("actor_id", "verb")
        .annotate(n=Count("*"), people=Count("subject_id", distinct=True))
    )
    credited = (
        events.filter(verb=Verb.CREDITED, subject__isnull=False)
        .values("subject_id")
        .annotate(people=Count("actor_id", distinct=True))
    )
    facts: dict[int, list[str]] = {}
    for row in done:
        if row["verb"] == Verb.RESPONDED and row["n"] >= 3:
            facts.setdefault(row["actor_id"], []).append(f"answered {row['n']} requests")
        elif row["verb"] == Verb.MENTORED and row["people"] >= 1:
            k = row["people"]
            facts.setdefault(row["actor_id"], []).append(
                f"has mentored {k} colleague{'' if k == 1 else 's'}"
            )
    for credit in credited:
        if credit["people"] >= 2:
            facts.setdefault(credit["subject_id"], []).append(
                f"credited by {credit['people']} colleagues"
            )
    return {pk: tuple(sorted(v)) for pk, v in facts.items()}


# --- Profiles ----------------------------------------------------------------------------------


def active_mentee_counts(organisation_id: int) -> Counter[int]:
    """Return how many active mentoring relationships each person mentors in (one query)."""
    member = apps.get_model("learning", "RelationshipMember")
    rows = member.objects.filter(
        role="mentor",
        relationship__status="active",
        relationship__organisation_id=organisation_id,
    ).values_list("user_id", flat=True)
    return Counter(rows)


def declined_recently(user: Any, days: int = DECLINED_RECENTLY_DAYS) -> set[int]:
    """Return the ids of people who declined ``user``'s request in the last ``days`` days."""
    relationship = apps.get_model("learning", "Relationship")
    since = timezone.now() - timedelta(days=days)
    return set(
        relationship.objects.filter(
            requested_by=user, status="declined", responded_at__gte=since
        ).values_list("addressee_id", flat=True)
    )


def person_id(user_id: int) -> str:
    return f"u{user_id}"


def _skill_names(through: Any, profile_ids: Any) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(profile_id__in=profile_ids)
        .order_by(Lower("skill__name"))
        .values_list("profile_id", "skill__name")
    )
    for profile_id, name in rows:
        names.setdefault(profile_id, []).append(name)
    return names


def engine_profiles(organisation_id: int) -> list[EngineProfile]:
    """Return every active colleague of an organisation as the engine sees them.

    Plain rows, not model instances (a few milliseconds for 150 people): 8 queries whatever the
    size of the organisation.
    """
    profile_model = apps.get_model("people", "Profile")
    rows = list(
        profile_model.objects.filter(organisation_id=organisation_id, user__is_active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "title",
            "department__name",
            "timezone",
            "languages",
            "mentoring_capacity",
            "manager__user_id",
        )
    )
    ids = profile_model.objects.filter(organisation_id=organisation_id).values("pk")
    offers = _skill_names(profile_model.offers.through, ids)
    wants = _skill_names(profile_model.wants.through, ids)
    busy = active_mentee_counts(organisation_id)
    figures = trust_figures(organisation_id)
    evidence = ledger_evidence(organisation_id)
    out = []
    for pk, user_id, title, department, tz, languages, capacity, manager in rows:
        trust, resp = figures.get(user_id, (NEUTRAL, NEUTRAL))
        out.append(
            EngineProfile(
                person=person_id(user_id),
                department=department or "",
                timezone=tz or "",
                languages=frozenset(str(x).strip().lower() for x in languages or [] if x),
                offers="; ".join(x for x in ("; ".join(offers.get(pk, [])), title) if x),
                wants="; ".join(wants.get(pk, [])),
                capacity=max(0, capacity - busy.get(user_id, 0)),
                manager=person_id(manager) if manager else "",
                trust=trust,
                responsiveness=resp,
                evidence=evidence.get(user_id, ()),
            )
        )
    return out


def organisation_communities(organisation_id: int) -> list[EngineProfile]:
    """Return the organisation's communities that are not archived, as engine profiles (who
    may see which is decided per request)."""
    from cairn.communities.models import Community

    rows = (
        Community.objects.filter(organisation_id=organisation_id, archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "name", "description")
    )
    return [
        EngineProfile(person=f"c{pk}", offers="; ".join(x for x in (name, description) if x))
        for pk, name, description in rows
    ]


# --- Recommendations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One recommended person or community, ready for a page or the API."""

    kind: str
    score: float
    reasons: list[str]  # in words, most important first
    profile: Any = None
    community: Any = None

    def percent(self) -> int:
        """Return the score as a whole percentage."""
        return round(100 * min(max(self.score, 0.0), 1.0))


def goal_text(goal: Any) -> str:
    """Return the text a goal is matched on: its title, why it matters, and its skills."""
    skills = ", ".join(goal_skills(goal))
    return ". ".join(x for x in (goal.title, skills, goal.why[:500]) if x)


def goal_skills(goal: Any) -> list[str]:
    """Return the names of the skills a goal names, matched by name against what people list."""
    return [s.name for s in goal.skills.all()]


class NotReady(Exception):
    """No usable index of the organisation is stored yet: the worker is preparing it."""


def recommendations(
    user: Any, text: str, k: int = 6, skills: Sequence[str] = ()
) -> dict[str, list[Suggestion]]:
    """Return mentors, peers and communities for ``user`` and a goal ``text``, best first.

    ``skills`` are the skills the goal names (people listing them rank first). Excluded: the
    person themself, their manager chain, mentors with no free slot, people who declined them
    in the last `DECLINED_RECENTLY_DAYS` days, and anyone or anything too far from the goal.

    Reads the indexes the worker stored (:mod:`cairn.matching.indexes`) and never builds one:
    the work and the queries do not grow with the organisation, only with ``k``.

    Raises
    ------
    NotReady
        If no usable index of the organisation is stored yet.
    """
    stored = indexes.stored_indexes(user.organisation_id)
    index = stored.people
    if index is None:
        raise NotReady
    at = index.position.get(person_id(user.pk))
    seeker = None if at is None else index.profiles[at]
    exclude = {person_id(pk) for pk in declined_recently(user)}
    found: dict[str, list[tuple[str, Any]]] = {}
    for mode in ("mentor", "peer"):
        query = Query(goal=text, seeker=seeker, mode=mode, exclude=exclude, skills=skills)
        found[mode] = [(r.person, r) for r in recommend(index, query, k=k)]
    found["community"] = []
    communities = stored.communities
    if communities is not None and len(communities):
        hidden = _hidden_communities(user, communities)
        query = Query(goal=text, seeker=seeker, mode="community", exclude=hidden, skills=skills)
        found["community"] = [(r.person, r) for r in recommend(communities, query, k=k)]
    return _attach(found)


def _hidden_communities(user: Any, communities: Index) -> set[str]:
    """Return the communities of the index ``user`` may not see or join now (one query)."""
    from cairn.communities.models import Community

    open_to_user = set(
        Community.objects.visible_to(user)
        .filter(archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return {p.person for p in communities.profiles if int(p.person[1:]) not in open_to_user}


def _attach(found: dict[str, list[tuple[str, Any]]]) -> dict[str, list[Suggestion]]:
    """Turn engine ids back into profiles and communities, in two queries."""
    profile_model = apps.get_model("people", "Profile")
    community_model = apps.get_model("communities", "Community")
    user_ids = {int(pid[1:]) for mode in ("mentor", "peer") for pid, _ in found[mode]}
    community_ids = {int(pid[1:]) for pid, _ in found["community"]}
    profiles = {
        p.user_id: p
        for p in profile_model.objects.filter(user_id__in=user_ids, user__is_active=True)
        .select_related("department")
        .prefetch_related("offers")
    }
    communities = community_model.objects.in_bulk(community_ids)
    out: dict[str, list[Suggestion]] = {}
    for mode, rows in found.items():
        items = []
        for pid, rec in rows:
            key = int(pid[1:])
            if mode == "community":
                if key in communities:
                    words = reasons_text(rec.reasons)
                    items.append(Suggestion(mode, rec.score, words, None, communities[key]))
            elif key in profiles:
                items.append(Suggestion(mode, rec.score, reasons_text(rec.reasons), profiles[key]))
        out[mode] = items
    return out


# --- Programs ----------------------------------------------------------------------------------


def program_for_engine(program: Any) -> tuple[EngineProgram, list[Any], list[Any]]:
    """Return the engine's view of a program, and its mentee and mentor participants in order.

    Profiles are read as plain rows (5 queries whatever the size of the program).
    """
    participants = list(
        program.participants.order_by("pk").only(
            "pk", "program_id", "user_id", "role", "capacity", "goal_text", "picks", "answers"
        )
    )
    profile_model = apps.get_model("people", "Profile")
    people = profile_model.objects.filter(user_id__in=program.participants.values("user_id"))
    rows = {
        row[1]: row
        for row in people.values_list(
            "pk", "user_id", "title", "department__name", "timezone", "languages",
            "manager__user_id",
        )
    }  # fmt: skip
    offered = _skill_names(profile_model.offers.through, people.values("pk"))
    wanted = _skill_names(profile_model.wants.through, people.values("pk"))
    figures = trust_figures(program.organisation_id)
    mentees = [p for p in participants if p.role == "mentee" and p.user_id in rows]
    mentors = [p for p in participants if p.role == "mentor" and p.user_id in rows]
    mentor_ids = {m.user_id for m in mentors}
    text_questions = {q["id"] for q in program.questions if q.get("kind") == "text"}

    def wants_of(part: Any) -> str:
        return "; ".join(wanted.get(rows[part.user_id][0], []))

    def profile_of(part: Any, capacity: int = 0) -> EngineProfile:
        pk, user_id, title, department, tz, languages, manager = rows[part.user_id]
        trust, resp = figures.get(user_id, (NEUTRAL, NEUTRAL))
        # Mentors' free-text answers ("what can you help with?") add to what they offer;
        # choices ("Weekly") say nothing about a skill.
        answers = "; ".join(
            str(v) for k, v in (part.answers or {}).items() if v and k in text_questions
        )
        skills = "; ".join(offered.get(pk, []))
        offers = "; ".join(x for x in (skills, title, answers if part.is_mentor() else "") if x)
        return EngineProfile(
            person=person_id(user_id),
            department=department or "",
            timezone=tz or "",
            languages=frozenset(str(x).strip().lower() for x in languages or [] if x),
            offers=offers,
            wants=wants_of(part),
            capacity=capacity,
            manager=person_id(manager) if manager else "",
            trust=trust,
            responsiveness=resp,
        )

    engine_mentors = [profile_of(m, m.capacity) for m in mentors]
    engine_mentees = [
        Mentee(
            profile=profile_of(e),
            goal=e.goal_text or wants_of(e) or "mentoring",
            picks=tuple(person_id(u) for u in e.picks if u in mentor_ids),
        )
        for e in mentees
    ]
    mentee_ids = {e.user_id for e in mentees}
    excluded = frozenset(
        (person_id(a), person_id(b))
        for a, b in (program.excluded_pairs or [])
        if a in mentee_ids and b in mentor_ids
    )
    engine_program = EngineProgram(
        mentees=engine_mentees,
        mentors=engine_mentors,
        excluded=excluded,
        same_department=program.same_department,
        objective=program.objective,
        name=program.name,
    )
    return engine_program, mentees, mentors


def mentor_choices(program: Any) -> Any:
    """Return the program's mentors, for pick lists (one query)."""
    return (
        program.participants.filter(role="mentor")
        .select_related("user__profile")
        .order_by("user__profile__name")
    )
