"""Write a plan's rows in bulk: the rows and ledger events the actions would write, and no more.

Each op that creates an object writes its row once, already in the state the plan's later ops
leave it (a request resolved, a goal closed); every op writes the events its action records,
in the same order, with the same values. Ops are taken in chunks: the objects of a chunk are
inserted model by model (parents first), then the chunk's events. :mod:`cairn.demo.large.replay`
is the reference; ``cairn/demo/tests/test_large.py`` compares the two.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import slugify

from cairn.commitments.models import Commitment
from cairn.communities.models import Community, Membership, Reply, Thread
from cairn.demo.large.plan import Op, Plan
from cairn.demo.large.replay import ASK_DETAILS, CREDIT_LINE, DECLINE_REASON
from cairn.exchange.models import Comment, Credit, HelpRequest, Post, Response, Thanks
from cairn.learning.models import (
    Feedback,
    Goal,
    Milestone,
    Relationship,
    RelationshipMember,
    Session,
)
from cairn.ledger.models import Event, Verb
from cairn.people.models import Department, Organisation, Profile, Skill, User

CHUNK = 20_000
BATCH = 5_000

Role = RelationshipMember.Role
#: Models whose rows reference only people and earlier rows of this list, in insert order.
PARENTS: tuple[type[models.Model], ...] = (
    Community,
    Membership,
    Thread,
    Reply,
    Goal,
    Milestone,
    Relationship,
    RelationshipMember,
    Session,
    HelpRequest,
    Response,
    Post,
    Comment,
)
#: Models that point at another row by content type and id, so need its id first.
GENERIC: tuple[type[models.Model], ...] = (Thanks, Credit, Commitment, Feedback)


class BulkWriter:
    """Turns ops into rows; ``pk`` maps an op's index to the id of the row it created."""

    def __init__(self, org: Organisation, plan: Plan, users: list[User]) -> None:
        self.org = org
        self.plan = plan
        self.user_ids = [u.pk for u in users]
        self.skills = {s.name: s.pk for s in Skill.objects.filter(organisation=org)}
        self.pk: dict[int, int] = {}
        self.ct: dict[type[models.Model], int] = {
            m: ContentType.objects.get_for_model(m).pk
            for m in (HelpRequest, Post, Response, Session, Relationship)
        }
        self.label: dict[type[models.Model], str] = {
            HelpRequest: "exchange.helprequest",
            Post: "exchange.post",
            Response: "exchange.response",
            Session: "learning.session",
            Relationship: "learning.relationship",
        }
        self.ref_model: dict[int, type[models.Model]] = {}
        self.credits: dict[int, list[int]] = {}

    def write(self, tick: Callable[[int], None] = lambda n: None) -> int:
        """Insert every row of the plan; return the number of events written."""
        events = 0
        ops = self.plan.ops
        for begin in range(0, len(ops), CHUNK):
            chunk = range(begin, min(begin + CHUNK, len(ops)))
            self._objects(chunk, PARENTS, self._parent)
            self._objects(chunk, GENERIC, self._generic)
            rows = [event for i in chunk for event in self._events(i, ops[i])]
            Event.objects.bulk_create(rows, batch_size=BATCH)
            events += len(rows)
            tick(len(chunk))
        return events

    # -- objects ------------------------------------------------------------------------------

    def _objects(
        self,
        chunk: range,
        order: tuple[type[models.Model], ...],
        build: Callable[[int, Op], list[models.Model]],
    ) -> None:
        made: dict[type[models.Model], list[tuple[int, models.Model]]] = {m: [] for m in order}
        main: list[tuple[int, models.Model]] = []
        links: list[tuple[int, Op]] = []
        self.current: dict[int, models.Model] = {}
        for i in chunk:
            rows = build(i, self.plan.ops[i])
            for row in rows:
                made[type(row)].append((i, row))
            if rows and not isinstance(rows[0], Credit):
                self.current[i] = rows[0]  # the op's own row; the rest hang from it
                main.append((i, rows[0]))
            if order is PARENTS and self.plan.ops[i].kind in {"ask", "post", "goal"}:
                links.append((i, self.plan.ops[i]))
        for model in order:
            model._default_manager.bulk_create([row for _, row in made[model]], batch_size=BATCH)
        for i, row in main:
            self.pk[i] = row.pk
            self.ref_model[i] = type(row)
        for i, row in made.get(Credit, []):
            self.credits.setdefault(i, []).append(row.pk)
        self._links(links)

    def _links(self, ops: list[tuple[int, Op]]) -> None:
        goal_skills: list[models.Model] = []
        request_skills: list[models.Model] = []
        directed: list[models.Model] = []
        post_skills: list[models.Model] = []
        for i, op in ops:
            if op.kind == "goal":
                goal_skills.append(
                    Goal.skills.through(goal_id=self.pk[i], skill_id=self._skill(op.extra[2]))
                )
            elif op.kind == "ask":
                request_skills.append(
                    HelpRequest.skills.through(
                        helprequest_id=self.pk[i], skill_id=self._skill(op.extra[0])
                    )
                )
                directed += [
                    HelpRequest.directed_to.through(
                        helprequest_id=self.pk[i], user_id=self.user_ids[d]
                    )
                    for d in op.extra[1]
                ]
            elif op.kind == "post":
                post_skills.append(
                    Post.skills.through(post_id=self.pk[i], skill_id=self._skill(op.extra[0]))
                )
        for rows in (goal_skills, request_skills, directed, post_skills):
            if rows:
                manager: models.Manager[models.Model] = type(rows[0])._default_manager
                manager.bulk_create(rows, batch_size=BATCH)

    def _row(self, ref: int, model: type[models.Model]) -> Any:
        """Return the row op ``ref`` created: the unsaved one of this chunk, or by its id."""
        return self.current.get(ref) or model(pk=self.pk[ref])

    def _skill(self, name: str) -> int:
        return self.skills[name]

    def _parent(self, i: int, op: Op) -> list[models.Model]:
        org, u, state = self.org, self.user_ids, op.state or {}
        if op.kind == "community":
            community = Community(
                organisation=org,
                name=op.text,
                slug=slugify(op.text)[:130],
                description=op.extra,
                policy=Community.Policy.OPEN,
                created_by_id=u[op.actor],
                created_at=op.at,
            )
            founder = Membership(
                community=community,
                user_id=u[op.actor],
                role=Membership.Role.FACILITATOR,
                status=Membership.Status.ACTIVE,
                joined_at=op.at,
                requested_at=op.at,
            )
            return [community, founder]
        if op.kind == "join":
            return [
                Membership(
                    community=self._row(op.ref, Community),
                    user_id=u[op.actor],
                    message=op.text,
                    requested_at=op.at,
                    role=Membership.Role.MEMBER,
                    status=Membership.Status.ACTIVE,
                    joined_at=op.at,
                )
            ]
        if op.kind == "thread":
            return [
                Thread(
                    community=self._row(op.ref, Community),
                    author_id=u[op.actor],
                    title=op.text,
                    body=op.extra,
                    created_at=op.at,
                    last_activity_at=state["last_activity_at"],
                )
            ]
        if op.kind == "reply":
            return [
                Reply(
                    thread=self._row(op.ref, Thread),
                    author_id=u[op.actor],
                    body=op.text,
                    created_at=op.at,
                )
            ]
        if op.kind == "goal":
            why, target, _skill, visibility = op.extra
            goal = Goal(
                organisation=org,
                owner_id=u[op.actor],
                title=op.text,
                why=why,
                target_date=target,
                visibility=visibility,
                created_at=op.at,
                updated_at=state["updated_at"],
                status=state["status"],
                closed_at=state["closed_at"],
            )
            goal.closing_reflection = state.get("closing_reflection", "")
            return [goal]
        if op.kind == "milestone":
            return [
                Milestone(
                    goal=self._row(op.ref, Goal),
                    title=op.text,
                    created_at=op.at,
                    done_at=state["done_at"],
                )
            ]
        if op.kind == "request":
            relationship = Relationship(
                organisation=org,
                kind=op.extra,
                goal=self._row(op.ref, Goal),
                requested_by_id=u[op.actor],
                addressee_id=u[op.other],
                message=op.text,
                created_at=op.at,
                status=state["status"],
                responded_at=state["responded_at"],
                completed_at=state["completed_at"],
                last_active_at=state["last_active_at"],
            )
            if state["status"] == "declined":
                relationship.decline_reason = DECLINE_REASON
            peer = op.extra == Relationship.Kind.PEER
            roles = (
                (op.actor, Role.PEER if peer else Role.LEARNER),
                (op.other, Role.PEER if peer else Role.MENTOR),
            )
            members: list[models.Model] = []
            for person, role in roles:
                words, moment = state["reflected"].get(person, ("", None))
                members.append(
                    RelationshipMember(
                        relationship=relationship,
                        user_id=u[person],
                        role=role,
                        joined_at=op.at,
                        closing_reflection=words,
                        reflected_at=moment,
                    )
                )
            return [relationship, *members]
        if op.kind == "session":
            held, duration = op.extra
            return [
                Session(
                    relationship=self._row(op.ref, Relationship),
                    held_at=held,
                    duration_minutes=duration,
                    shared_notes=op.text,
                    logged_by_id=u[op.actor],
                    created_at=op.at,
                )
            ]
        if op.kind == "ask":
            return [
                HelpRequest(
                    organisation=org,
                    asker_id=u[op.actor],
                    title=op.text,
                    details=ASK_DETAILS,
                    created_at=op.at,
                    status="resolved" if state["resolved_at"] else "open",
                    first_response_at=state["first_response_at"],
                    resolved_at=state["resolved_at"],
                )
            ]
        if op.kind == "respond":
            return [
                Response(
                    help_request=self._row(op.ref, HelpRequest),
                    responder_id=u[op.actor],
                    body=op.text,
                    created_at=op.at,
                    helpful=state["helpful"],
                    accepted=state["accepted"],
                    marked_at=state["marked_at"],
                    helped_recorded_at=state["marked_at"],
                )
            ]
        if op.kind == "post":
            _skill, body, learned = op.extra
            return [
                Post(
                    organisation=org,
                    author_id=u[op.actor],
                    kind=Post.Kind.LESSON if learned else Post.Kind.KNOW_HOW,
                    title=op.text,
                    body=body,
                    learned=learned,
                    created_at=op.at,
                )
            ]
        if op.kind == "comment":
            return [
                Comment(
                    post=self._row(op.ref, Post),
                    author_id=u[op.actor],
                    body=op.text,
                    created_at=op.at,
                )
            ]
        return []

    def _generic(self, i: int, op: Op) -> list[models.Model]:
        org, u, state = self.org, self.user_ids, op.state or {}
        if op.kind == "thank":
            model = self.ref_model.get(op.ref) if op.ref >= 0 else None
            return [
                Thanks(
                    organisation=org,
                    sender_id=u[op.actor],
                    recipient_id=u[op.other],
                    note=op.text,
                    content_type_id=self.ct[model] if model else None,
                    object_id=self.pk[op.ref] if model else None,
                    created_at=op.at,
                )
            ]
        if op.kind == "resolve":
            return [
                Credit(
                    organisation=org,
                    giver_id=u[op.actor],
                    recipient_id=u[c],
                    line=CREDIT_LINE,
                    content_type_id=self.ct[HelpRequest],
                    object_id=self.pk[op.ref],
                    created_at=op.at,
                )
                for c in op.extra
            ]
        if op.kind == "commit":
            model = self.ref_model[op.ref]
            return [
                Commitment(
                    organisation=org,
                    committer_id=u[op.actor],
                    counterpart_id=u[op.other],
                    text=op.text,
                    due_at=op.extra,
                    context_type_id=self.ct[model],
                    context_id=str(self.pk[op.ref]),
                    created_at=op.at,
                    status=state["status"],
                    closed_at=state["closed_at"],
                    closed_by_id=u[state["closed_by"]] if state["closed_by"] is not None else None,
                )
            ]
        if op.kind == "feedback":
            model = self.ref_model[op.ref]
            return [
                Feedback(
                    organisation=org,
                    giver_id=u[op.actor],
                    receiver_id=u[op.other],
                    content_type_id=self.ct[model],
                    object_id=self.pk[op.ref],
                    comment="",
                    created_at=op.at,
                    **op.extra,
                )
            ]
        return []

    # -- events -------------------------------------------------------------------------------

    def _event(
        self,
        verb: Verb,
        op: Op,
        obj: tuple[str, int],
        *,
        actor: int | None = None,
        subject: int | None = None,
        value: float | None = None,
        context: dict[str, Any] | None = None,
        time: datetime | None = None,
    ) -> Event:
        return Event(
            organisation=self.org,
            time=time or op.at,
            actor_id=self.user_ids[op.actor if actor is None else actor],
            verb=verb,
            object_type=obj[0],
            object_id=str(obj[1]),
            subject_id=self.user_ids[subject] if subject is not None else None,
            value=value,
            context=context or {},
        )

    def _events(self, i: int, op: Op) -> list[Event]:  # noqa: C901 - one branch per kind of op
        ops, pk = self.plan.ops, self.pk
        if op.kind == "community":
            return [
                self._event(
                    Verb.COMMUNITY_CREATED,
                    op,
                    ("communities.community", pk[i]),
                    context={"policy": "open"},
                )
            ]
        if op.kind == "join":
            return [self._event(Verb.COMMUNITY_JOINED, op, ("communities.community", pk[op.ref]))]
        if op.kind == "thread":
            return [
                self._event(
                    Verb.THREAD_STARTED,
                    op,
                    ("communities.thread", pk[i]),
                    context={"community": pk[op.ref]},
                )
            ]
        if op.kind == "reply":
            started = ops[op.ref]
            return [
                self._event(
                    Verb.COMMENTED,
                    op,
                    ("communities.reply", pk[i]),
                    subject=started.actor if started.actor != op.actor else None,
                    context={"thread": pk[op.ref], "community": pk[started.ref]},
                )
            ]
        if op.kind == "thank":
            context = {}
            if op.ref >= 0:
                context["about"] = f"{self.label[self.ref_model[op.ref]]}:{pk[op.ref]}"
            return [
                self._event(
                    Verb.THANKED, op, ("exchange.thanks", pk[i]), subject=op.other, context=context
                )
            ]
        if op.kind == "ask":
            directed = op.extra[1]
            return [
                self._event(
                    Verb.ASKED,
                    op,
                    ("exchange.helprequest", pk[i]),
                    subject=directed[0] if len(directed) == 1 else None,
                    context={
                        "directed_to": [self.user_ids[d] for d in directed],
                        "community": None,
                    },
                )
            ]
        if op.kind == "respond":
            asked = ops[op.ref]
            return [
                self._event(
                    Verb.RESPONDED,
                    op,
                    ("exchange.response", pk[i]),
                    subject=asked.actor,
                    value=(op.at - asked.at).total_seconds() / 3600,
                    context={"request": pk[op.ref]},
                )
            ]
        if op.kind == "mark":
            response = ops[op.ref]
            request = response.ref
            changes: dict[str, Any] = {"helpful": True}
            if op.extra:
                changes["accepted"] = True
            obj = ("exchange.response", pk[op.ref])
            return [
                self._event(
                    Verb.RESPONSE_MARKED,
                    op,
                    obj,
                    subject=response.actor,
                    context={**changes, "request": pk[request]},
                ),
                self._event(
                    Verb.HELPED,
                    op,
                    obj,
                    actor=response.actor,
                    subject=op.actor,
                    context={"request": pk[request]},
                ),
            ]
        if op.kind == "resolve":
            target = f"exchange.helprequest:{pk[op.ref]}"
            credits = self.credits.get(i, [])
            return [
                self._event(Verb.REQUEST_RESOLVED, op, ("exchange.helprequest", pk[op.ref])),
                *(
                    self._event(
                        Verb.CREDITED,
                        op,
                        ("exchange.credit", credit),
                        subject=person,
                        context={"target": target},
                    )
                    for person, credit in zip(op.extra, credits, strict=True)
                ),
            ]
        if op.kind == "post":
            verb = Verb.LESSON_SHARED if op.extra[2] else Verb.SHARED
            return [self._event(verb, op, ("exchange.post", pk[i]), context={"community": None})]
        if op.kind == "comment":
            author = ops[op.ref].actor
            return [
                self._event(
                    Verb.COMMENTED,
                    op,
                    ("exchange.comment", pk[i]),
                    subject=author if author != op.actor else None,
                    context={"post": pk[op.ref]},
                )
            ]
        if op.kind == "goal":
            return [
                self._event(
                    Verb.GOAL_SET, op, ("learning.goal", pk[i]), context={"visibility": op.extra[3]}
                )
            ]
        if op.kind == "milestone":
            return [
                self._event(
                    Verb.GOAL_UPDATED,
                    op,
                    ("learning.goal", pk[op.ref]),
                    context={"changed": ["milestones"], "milestone": pk[i]},
                )
            ]
        if op.kind == "milestone_done":
            goal = ops[op.ref].ref
            return [
                self._event(
                    Verb.MILESTONE_DONE,
                    op,
                    ("learning.goal", pk[goal]),
                    context={"milestone": pk[op.ref]},
                )
            ]
        if op.kind == "close_goal":
            return [
                self._event(
                    Verb.GOAL_CLOSED,
                    op,
                    ("learning.goal", pk[op.ref]),
                    context={"outcome": op.extra},
                )
            ]
        if op.kind == "request":
            return [
                self._event(
                    Verb.MENTORING_REQUESTED,
                    op,
                    ("learning.relationship", pk[i]),
                    subject=op.other,
                    context={"kind": op.extra},
                )
            ]
        if op.kind in {"accept", "decline"}:
            asked = ops[op.ref]
            obj = ("learning.relationship", pk[op.ref])
            hours = round((op.at - asked.at).total_seconds() / 3600, 2)
            verb = Verb.MENTORING_ACCEPTED if op.kind == "accept" else Verb.MENTORING_DECLINED
            return [
                self._event(verb, op, obj, subject=asked.actor),
                self._event(Verb.RESPONDED, op, obj, subject=asked.actor, value=hours),
            ]
        if op.kind == "session":
            held, duration = op.extra
            hours = duration / 60
            obj = ("learning.session", pk[i])
            events = [self._event(Verb.SESSION_LOGGED, op, obj, value=hours)]
            asked = ops[op.ref]
            if asked.extra == Relationship.Kind.MENTORING:
                events.append(
                    self._event(
                        Verb.MENTORED,
                        op,
                        obj,
                        actor=asked.other,
                        subject=asked.actor,
                        value=hours,
                        time=held,
                    )
                )
            return events
        if op.kind == "complete":
            asked = ops[op.ref]
            peer = asked.extra == Relationship.Kind.PEER
            role = Role.PEER if peer else (Role.LEARNER if op.actor == asked.actor else Role.MENTOR)
            closing = op.actor == asked.actor
            return [
                self._event(
                    Verb.RELATIONSHIP_COMPLETED,
                    op,
                    ("learning.relationship", pk[op.ref]),
                    context={"closed": closing, "role": role},
                )
            ]
        if op.kind == "feedback":
            value = Feedback(**op.extra).trust_value()
            context_label = self.label[self.ref_model[op.ref]]
            return [
                self._event(
                    Verb.RATED,
                    op,
                    ("learning.feedback", pk[i]),
                    subject=op.other,
                    value=value,
                    context={"context": context_label},
                )
            ]
        if op.kind == "commit":
            model = self.ref_model[op.ref]
            return [
                self._event(
                    Verb.COMMITTED,
                    op,
                    ("commitments.commitment", pk[i]),
                    subject=op.other,
                    value=op.extra.timestamp(),
                    context={"within": self.label[model], "within_id": str(pk[op.ref])},
                )
            ]
        if op.kind == "confirm":
            committed = ops[op.ref]
            verb = Verb.KEPT if op.extra == "kept" else Verb.MISSED
            return [
                self._event(
                    verb, op, ("commitments.commitment", pk[op.ref]), subject=committed.actor
                )
            ]
        raise ValueError(f"Unknown op kind {op.kind!r}")


def write_people(org: Organisation, plan: Plan, password: str) -> list[User]:
    """Insert everyone as ``do_add_person`` would (managers first); return the users in order.

    The account, its verified address, the profile with its department, manager and skills,
    and the ``joined`` event; ``password`` is the one hash everyone gets, as the demo sets it.
    """
    at = plan.created_at
    departments: dict[str, Department] = {}
    skills: dict[str, Skill] = {}
    for person in plan.people:
        spec = person.spec
        departments.setdefault(spec.department, Department(organisation=org, name=spec.department))
        for name in (*spec.offers, *spec.wants):
            name = " ".join(name.split())[:80]
            slug = slugify(name)[:90]
            skills.setdefault(slug, Skill(organisation=org, name=name, slug=slug))
    users = [
        User(
            email=p.spec.email.lower(),
            organisation=org,
            role=p.spec.role,
            password=password,
            date_joined=at,
        )
        for p in plan.people
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users],
        batch_size=BATCH,
    )
    handles: set[str] = set()
    profiles: list[Profile] = []
    managers: list[Profile | None] = []
    by_email: dict[str, Profile] = {}
    for user, person in zip(users, plan.people, strict=True):
        spec = person.spec
        base = slugify(spec.name).replace("-", ".")[:50]
        base = base or slugify(spec.email.split("@")[0])[:50] or "person"
        handle = _unique(base, handles)
        fields = spec.profile()
        fields.pop("offers"), fields.pop("wants")
        fields["department"] = departments[spec.department]
        profile = Profile(
            user=user,
            organisation=org,
            handle=handle,
            name=spec.name.strip(),
            **fields,
        )
        profiles.append(profile)
        managers.append(by_email[spec.manager] if spec.manager else None)
        by_email[spec.email] = profile
    # Departments and skills are made in the order the people first name them.
    order = {
        name: n for n, name in enumerate(dict.fromkeys(p.spec.department for p in plan.people))
    }
    Department.objects.bulk_create(sorted(departments.values(), key=lambda d: order[d.name]))
    Skill.objects.bulk_create(list(skills.values()), batch_size=BATCH)
    Profile.objects.bulk_create(profiles, batch_size=BATCH)
    # A manager's row must exist before a report points at it: point them all once inserted.
    for profile, manager in zip(profiles, managers, strict=True):
        profile.manager = manager
    Profile.objects.bulk_update(
        [p for p in profiles if p.manager is not None], ["manager"], batch_size=BATCH
    )
    offers: list[Any] = []
    wants: list[Any] = []
    for profile, person in zip(profiles, plan.people, strict=True):
        for names, rows, through in (
            (person.spec.offers, offers, Profile.offers.through),
            (person.spec.wants, wants, Profile.wants.through),
        ):
            for name in names:
                slug = slugify(" ".join(name.split())[:80])[:90]
                rows.append(through(profile_id=profile.pk, skill_id=skills[slug].pk))
    Profile.offers.through.objects.bulk_create(offers, batch_size=BATCH)
    Profile.wants.through.objects.bulk_create(wants, batch_size=BATCH)
    Event.objects.bulk_create(
        [
            Event(
                organisation=org,
                time=at,
                actor=user,
                verb=Verb.JOINED,
                object_type="people.profile",
                object_id=str(profile.pk),
            )
            for user, profile in zip(users, profiles, strict=True)
        ],
        batch_size=BATCH,
    )
    return users


def _unique(base: str, taken: set[str]) -> str:
    """Return ``base``, or ``base.2``, ``base.3``… : the first not in ``taken`` (then taken)."""
    handle, n = base, 2
    while handle in taken:
        handle, n = f"{base}.{n}", n + 1
    taken.add(handle)
    return handle
