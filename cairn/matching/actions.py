"""Every change to mentoring programs goes through these functions.

``check_*`` functions validate and raise :class:`~cairn.errors.ActionError`; ``do_*`` functions
perform the change and record its ledger event in the same transaction.

Running the matching: small programs (at most ``CAIRN_PROGRAM_SYNC_PAIRS`` mentee-mentor pairs,
20,000 by default — about a second) are matched in the request; larger ones in a background
task (``run_program_matching``, enqueued once the transaction commits), while the program's
page says "matching in progress" and refreshes itself.
"""

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from cairn.errors import ActionError
from cairn.learning.models import Goal, Relationship, RelationshipMember
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.matching import adapter
from cairn.matching.engine import InfeasibleAssignment, ProgramError, match_program
from cairn.matching.models import Match, Participant, Program
from cairn.people.models import User

QUESTION_KINDS = ("text", "choice")
MAX_QUESTIONS = 8
MAX_PICKS = 3
MAX_CAPACITY = 10
SYNC_PAIRS = 20_000


def _text(value: str, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(f"Please give {label}.", field=field)
    if len(value) > max_length:
        raise ActionError(f"Keep {label} under {max_length} characters.", field=field)
    return value


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


# --- Creating and closing ----------------------------------------------------------------------


def check_program_admin(user: User, program: Program) -> None:
    """Say why ``user`` may not administer ``program``, if so."""
    if not program.is_visible_to(user):
        raise ActionError("No such program.", status=404)
    if not user.is_org_admin:
        raise ActionError("Only an organisation admin runs programs.", status=403)


def check_questions(questions: Any) -> list[dict[str, Any]]:
    """Return the sign-up questions cleaned up, or say what is wrong with them."""
    if questions in (None, ""):
        return []
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise ActionError(f"Ask at most {MAX_QUESTIONS} questions.", field="questions")
    out = []
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict):
            raise ActionError(f"Question {n} is not a question.", field="questions")
        label = str(q.get("label", "")).strip()
        if not label or len(label) > 200:
            raise ActionError(f"Question {n} needs words (under 200 characters).", "questions")
        kind = q.get("kind", "text")
        if kind not in QUESTION_KINDS:
            raise ActionError(f"Question {n} is text or choice, not {kind!r}.", "questions")
        choices = [str(c).strip()[:80] for c in q.get("choices") or [] if str(c).strip()]
        if kind == "choice" and len(choices) < 2:
            raise ActionError(f"Question {n} needs at least two choices.", field="questions")
        out.append(
            {"id": f"q{n}", "label": label, "kind": kind, "choices": choices if choices else []}
        )
    return out


def parse_questions(text: str) -> list[dict[str, Any]]:
    """Return questions from one-per-line text: ``Label`` or ``Label: choice | choice``."""
    questions = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        label, _, rest = line.partition(":")
        choices = [c.strip() for c in rest.split("|") if c.strip()] if "|" in rest else []
        if choices:
            questions.append({"label": label.strip(), "kind": "choice", "choices": choices})
        else:
            questions.append({"label": line, "kind": "text"})
    return questions


def do_create_program(
    admin: User,
    *,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    questions: Any = None,
    same_department: str = Program.DepartmentRule.ALLOW,
    objective: str = Program.Objective.TOTAL,
) -> Program:
    """Start a mentoring program. Submitting the same new program twice returns the first."""
    if not admin.is_org_admin:
        raise ActionError("Only an organisation admin runs programs.", status=403)
    name = _text(name, "name", "the program a name", 120)
    description = _text(description, "description", "a description", 4000, required=False)
    for field, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if value is None or timezone.is_naive(value):
            raise ActionError("Give the time with its time zone.", field=field)
    if closes_at <= opens_at:
        raise ActionError("Sign-ups close after they open.", field="closes_at")
    if same_department not in Program.DepartmentRule.values:
        raise ActionError("Pick a department rule.", field="same_department")
    if objective not in Program.Objective.values:
        raise ActionError("Pick what the matching should aim for.", field="objective")
    cleaned = check_questions(questions)
    existing = Program.objects.filter(organisation_id=admin.organisation_id, name=name).first()
    if existing is not None:
        if existing.created_by_id == admin.pk and existing.created_at > timezone.now() - timedelta(
            minutes=10
        ):
            return existing
        raise ActionError("There is already a program with this name.", field="name")
    try:
        with transaction.atomic():
            program = Program.objects.create(
                organisation_id=admin.organisation_id,
                name=name,
                description=description,
                opens_at=opens_at,
                closes_at=closes_at,
                questions=cleaned,
                same_department=same_department,
                objective=objective,
                created_by=admin,
            )
            record(Verb.PROGRAM_CREATED, actor=admin, obj=program)
    except IntegrityError:
        # Two submissions at once: the other one won.
        program = Program.objects.get(organisation_id=admin.organisation_id, name=name)
    return program


def do_close_signups(admin: User, program: Program) -> Program:
    """Close the sign-up window now. Closing a closed window changes nothing."""
    check_program_admin(admin, program)
    with transaction.atomic():
        program = _lock(program)
        now = timezone.now()
        if program.has_closed(now):
            return program
        program.closes_at = now
        program.opens_at = min(program.opens_at, now - timedelta(seconds=1))
        program.save(update_fields=["closes_at", "opens_at"])
        record(Verb.PROGRAM_CLOSED, actor=admin, obj=program)
    return program


def do_exclude_pair(admin: User, program: Program, mentee_id: int, mentor_id: int) -> Program:
    """Never match this mentee with this mentor (user ids; e.g. they already work closely)."""
    check_program_admin(admin, program)
    with transaction.atomic():
        program = _lock(program)
        if program.status not in (Program.Status.COLLECTING, Program.Status.PROPOSED):
            raise ActionError("Pairs are set apart before the matches are published.", "mentee")
        roles = dict(
            program.participants.filter(user_id__in=[mentee_id, mentor_id]).values_list(
                "user_id", "role"
            )
        )
        if roles.get(mentee_id) != Participant.Role.MENTEE:
            raise ActionError("Pick a mentee of this program.", field="mentee")
        if roles.get(mentor_id) != Participant.Role.MENTOR:
            raise ActionError("Pick a mentor of this program.", field="mentor")
        pair = [int(mentee_id), int(mentor_id)]
        if pair in program.excluded_pairs:
            return program
        program.excluded_pairs = [*program.excluded_pairs, pair]
        program.save(update_fields=["excluded_pairs"])
        record(Verb.PROGRAM_ADJUSTED, actor=admin, obj=program, context={"excluded": pair})
    return program


# --- Signing up --------------------------------------------------------------------------------


def check_answers(program: Program, answers: Any) -> dict[str, str]:
    """Return the answers to the program's questions, or say which one is wrong."""
    answers = answers or {}
    if not isinstance(answers, dict):
        raise ActionError("Answers go by question.", field="answers")
    out = {}
    for q in program.questions:
        value = str(answers.get(q["id"], "") or "").strip()
        if q["kind"] == "choice" and value and value not in q["choices"]:
            raise ActionError(f"Pick one of the choices for “{q['label']}”.", field=q["id"])
        if len(value) > 1000:
            raise ActionError("Keep each answer under 1000 characters.", field=q["id"])
        if value:
            out[q["id"]] = value
    return out


def do_sign_up(
    user: User,
    program: Program,
    *,
    role: str,
    answers: Any = None,
    capacity: int = 1,
    goal_text: str = "",
    goal: Goal | None = None,
    picks: list[int] | None = None,
) -> Participant:
    """Sign up to a program as mentee or mentor, or change one's sign-up while it is open.

    Signing up twice (a double click) leaves one sign-up; the ledger hears of a change only.
    """
    if not program.is_visible_to(user):
        raise ActionError("No such program.", status=404)
    if role not in Participant.Role.values:
        raise ActionError("Sign up as a mentee or as a mentor.", field="role")
    cleaned = check_answers(program, answers)
    goal_text = _text(goal_text, "goal_text", "what you want to grow", 2000, required=False)
    if goal is not None and (goal.owner_id != user.pk or not goal.is_open()):
        raise ActionError("Pick one of your open goals.", field="goal")
    picks = [int(p) for p in picks or []]
    if role == Participant.Role.MENTOR:
        if not 1 <= int(capacity) <= MAX_CAPACITY:
            raise ActionError(f"Take between 1 and {MAX_CAPACITY} mentees.", field="capacity")
        goal, goal_text, picks = None, "", []
    else:
        capacity = 0
        if goal is not None and not goal_text:
            goal_text = adapter.goal_text(goal)
        if not goal_text:
            raise ActionError("Say what you want to grow, or pick a goal.", field="goal_text")
        if len(picks) > MAX_PICKS or len(set(picks)) != len(picks):
            raise ActionError(f"Pick up to {MAX_PICKS} different mentors.", field="picks")
    with transaction.atomic():
        program = _lock(program)
        if not program.is_signup_open():
            raise ActionError("Sign-ups for this program are closed.", status=409)
        if picks:
            mentors = set(
                program.participants.filter(role=Participant.Role.MENTOR, user_id__in=picks)
                .exclude(user=user)
                .values_list("user_id", flat=True)
            )
            if set(picks) - mentors:
                raise ActionError("Pick among the mentors signed up so far.", field="picks")
        values = {
            "role": role,
            "answers": cleaned,
            "capacity": int(capacity),
            "goal_text": goal_text,
            "goal": goal,
            "picks": picks,
        }
        participant = program.participants.filter(user=user).first()
        if participant is None:
            participant = Participant.objects.create(program=program, user=user, **values)
            record(Verb.PROGRAM_SIGNED_UP, actor=user, obj=program, context={"role": role})
            return participant
        changed = [k for k, v in values.items() if getattr(participant, k) != v]
        if changed:
            for k in changed:
                setattr(participant, k, values[k])
            participant.updated_at = timezone.now()
            participant.save(update_fields=[*changed, "updated_at"])
            record(
                Verb.PROGRAM_SIGNED_UP,
                actor=user,
                obj=program,
                context={"role": role, "updated": changed},
            )
    return participant


# --- Matching ----------------------------------------------------------------------------------


def do_run_matching(admin: User, program: Program, objective: str | None = None) -> Program:
    """Start the matching of a closed program (again, after adjustments are thrown away).

    Small programs are matched before this returns; large ones in the background. Starting it
    while it runs (a double click) changes nothing.
    """
    check_program_admin(admin, program)
    if objective is not None and objective not in Program.Objective.values:
        raise ActionError("Pick what the matching should aim for.", field="objective")
    with transaction.atomic():
        program = _lock(program)
        if program.status == Program.Status.MATCHING:
            return program
        if not program.has_closed():
            raise ActionError("Close the sign-ups before matching.", status=409)
        if not program.can_run():
            raise ActionError("The matches are already published.", status=409)
        counts = dict(program.participants.values_list("role").annotate(n=Count("pk")).order_by())
        mentees, mentors = counts.get("mentee", 0), counts.get("mentor", 0)
        if not mentees or not mentors:
            raise ActionError("A program needs at least one mentee and one mentor.", status=409)
        background = mentees * mentors > getattr(settings, "CAIRN_PROGRAM_SYNC_PAIRS", SYNC_PAIRS)
        if objective:
            program.objective = objective
        program.status = Program.Status.MATCHING
        program.run_by = admin
        program.run_started_at = timezone.now()
        program.run_error = ""
        program.save(update_fields=["objective", "status", "run_by", "run_started_at", "run_error"])
        record(
            Verb.PROGRAM_RUN,
            actor=admin,
            obj=program,
            context={
                "objective": program.objective,
                "mentees": mentees,
                "mentors": mentors,
                "background": background,
            },
        )
        if background:
            from cairn.matching.tasks import run_program_matching

            pk = program.pk
            transaction.on_commit(lambda: run_program_matching.enqueue(pk))
    if not background:
        compute_matches(program.pk)
        program.refresh_from_db()
    return program


def _finite(x: Any) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def compute_matches(program_id: int) -> dict[str, Any]:
    """Compute and store the proposed matches of a program in ``matching`` state.

    Called by the task (or in the request for small programs). Returns the summary; a program
    that cannot be matched goes back to collecting with ``run_error`` saying why.
    """
    program = Program.objects.filter(pk=program_id, status=Program.Status.MATCHING).first()
    if program is None:
        return {}
    engine_program, mentees, mentors = adapter.program_for_engine(program)
    try:
        result = match_program(engine_program, adapter.embedder())
    except (InfeasibleAssignment, ProgramError, ValueError) as error:
        with transaction.atomic():
            program = _lock(program)
            if program.status == Program.Status.MATCHING:
                program.status = Program.Status.COLLECTING
                program.run_error = f"No match could be made: {error}"
                program.save(update_fields=["status", "run_error"])
        return {"error": str(error)}
    by_person = {adapter.person_id(p.user_id): p for p in [*mentees, *mentors]}
    rows = []
    for i, row in enumerate(result.rows):
        mentor = by_person.get(row["mentor"]) if row["mentor"] else None
        score = _finite(row["score"]) if mentor is not None else None
        reasons = [r.strip() for r in row["reasons"].split(";") if r.strip()]
        rows.append(Match(mentee=mentees[i], mentor=mentor, score=score, reasons=reasons))
    summary = _summary(result.summary, by_person)
    blob = Program.pack_matrix(
        [p.pk for p in mentees], [p.pk for p in mentors], result.compat, result.allowed
    )
    with transaction.atomic():
        program = _lock(program)
        if program.status != Program.Status.MATCHING:
            return {}
        program.matches.all().delete()
        for m in rows:
            m.program = program
        Match.objects.bulk_create(rows)
        program.status = Program.Status.PROPOSED
        program.matched_at = timezone.now()
        program.summary = summary
        program.compat_blob = blob
        program.save(update_fields=["status", "matched_at", "summary", "compat_blob"])
    return summary


def _summary(raw: dict[str, Any], by_person: dict[str, Participant]) -> dict[str, Any]:
    worst = by_person.get(str(raw.get("worst_mentee", "")))
    other = "fair" if raw.get("objective") == "total" else "total"
    return {
        "objective": raw.get("objective"),
        "mentees": int(raw.get("mentees", 0)),
        "matched": int(raw.get("matched", 0)),
        "total": _finite(raw.get("total")),
        "worst": _finite(raw.get("worst")),
        "worst_mentee": worst.pk if worst is not None else None,
        "other_objective": other,
        "other_total": _finite(raw.get(f"{other}_total")),
        "other_worst": _finite(raw.get(f"{other}_worst")),
    }


def _refresh_summary(program: Program) -> None:
    matches = list(program.matches.all())
    scores = [m.score for m in matches if m.mentor_id is not None and m.score is not None]
    worst = min(
        (m for m in matches if m.mentor_id is not None and m.score is not None),
        key=lambda m: m.score,  # type: ignore[arg-type, return-value]
        default=None,
    )
    program.summary = {
        **program.summary,
        "matched": len(scores),
        "total": float(sum(scores)) if scores else None,
        "worst": float(min(scores)) if scores else None,
        "worst_mentee": worst.mentee_id if worst is not None else None,
        "adjusted": True,
    }


def _pair_check(program: Program, matrix: Any, mentee: Participant, mentor: Participant) -> float:
    """Return the pair's score, or say which hard rule it breaks."""
    mentee_ids, mentor_ids, compat, allowed = matrix
    if mentee.pk not in mentee_ids or mentor.pk not in mentor_ids:
        raise ActionError("Run the matching again: people changed since.", status=409)
    i, j = mentee_ids.index(mentee.pk), mentor_ids.index(mentor.pk)
    if not allowed[i, j] or [mentee.user_id, mentor.user_id] in program.excluded_pairs:
        raise ActionError(
            f"{mentee.user.profile.name} cannot be matched with {mentor.user.profile.name}: "
            "the program's rules keep them apart (themselves, their manager chain, the "
            "department rule, or a pair set apart).",
            field="mentor",
        )
    return float(compat[i, j])


def _check_room(program: Program, mentor: Participant, leaving: set[int]) -> None:
    taken = program.matches.filter(mentor=mentor).exclude(mentee_id__in=leaving).count()
    if taken >= mentor.capacity:
        raise ActionError(
            f"{mentor.user.profile.name} already has {mentor.capacity} "
            f"mentee{'s' if mentor.capacity != 1 else ''} in this program.",
            field="mentor",
        )


def _adjusted_reasons(mentee: Participant, mentor: Participant) -> list[str]:
    reasons = ["chosen by the program's admin"]
    if mentor.user_id in mentee.picks:
        rank = mentee.picks.index(mentor.user_id) + 1
        reasons.append(f"their {({1: '1st', 2: '2nd', 3: '3rd'}).get(rank, f'{rank}th')} pick")
    return reasons


def _participant(program: Program, participant_id: int, role: str, field: str) -> Participant:
    found = (
        program.participants.select_related("user__profile")
        .filter(pk=participant_id, role=role)
        .first()
    )
    if found is None:
        raise ActionError(f"Pick a {role} of this program.", field=field)
    return found


def do_reassign(admin: User, program: Program, mentee_id: int, mentor_id: int | None) -> Match:
    """Give a mentee another mentor (or none), within capacities and the program's rules."""
    check_program_admin(admin, program)
    with transaction.atomic():
        program = _lock(program)
        if program.status != Program.Status.PROPOSED:
            raise ActionError(
                "Matches can be adjusted once proposed, before publishing.", None, 409
            )
        mentee = _participant(program, mentee_id, Participant.Role.MENTEE, "mentee")
        match = Match.objects.select_for_update().filter(program=program, mentee=mentee).first()
        if match is None:
            raise ActionError("Run the matching again: this mentee has no proposal.", None, 409)
        if match.mentor_id == mentor_id:
            return match
        if mentor_id is None:
            match.mentor, match.score = None, None
            match.reasons = ["left without a mentor by the program's admin"]
        else:
            mentor = _participant(program, mentor_id, Participant.Role.MENTOR, "mentor")
            matrix = program.compat_matrix()
            if matrix is None:
                raise ActionError("Run the matching again first.", status=409)
            score = _pair_check(program, matrix, mentee, mentor)
            _check_room(program, mentor, {mentee.pk})
            match.mentor, match.score = mentor, score
            match.reasons = _adjusted_reasons(mentee, mentor)
        match.adjusted = True
        match.save(update_fields=["mentor", "score", "reasons", "adjusted"])
        _refresh_summary(program)
        program.save(update_fields=["summary"])
        record(
            Verb.PROGRAM_ADJUSTED,
            actor=admin,
            obj=program,
            context={
                "mentee": mentee.user_id,
                "mentor": match.mentor.user_id if match.mentor else None,
            },
        )
    return match


def do_swap(admin: User, program: Program, mentee_a_id: int, mentee_b_id: int) -> list[Match]:
    """Swap the mentors of two mentees, if the program's rules allow both new pairs."""
    check_program_admin(admin, program)
    if mentee_a_id == mentee_b_id:
        raise ActionError("Pick two different mentees.", field="other")
    with transaction.atomic():
        program = _lock(program)
        if program.status != Program.Status.PROPOSED:
            raise ActionError(
                "Matches can be adjusted once proposed, before publishing.", None, 409
            )
        a = _participant(program, mentee_a_id, Participant.Role.MENTEE, "mentee")
        b = _participant(program, mentee_b_id, Participant.Role.MENTEE, "other")
        matches = {
            m.mentee_id: m
            for m in Match.objects.select_for_update()
            .select_related("mentor__user__profile")
            .filter(program=program, mentee__in=[a, b])
        }
        if len(matches) != 2:
            raise ActionError("Run the matching again: a mentee has no proposal.", None, 409)
        ma, mb = matches[a.pk], matches[b.pk]
        matrix = program.compat_matrix()
        if matrix is None:
            raise ActionError("Run the matching again first.", status=409)
        new_a, new_b = mb.mentor, ma.mentor
        score_a = _pair_check(program, matrix, a, new_a) if new_a else None
        score_b = _pair_check(program, matrix, b, new_b) if new_b else None
        for match, mentee, mentor, score in ((ma, a, new_a, score_a), (mb, b, new_b, score_b)):
            match.mentor, match.score, match.adjusted = mentor, score, True
            match.reasons = (
                _adjusted_reasons(mentee, mentor)
                if mentor
                else ["left without a mentor by the program's admin"]
            )
            match.save(update_fields=["mentor", "score", "reasons", "adjusted"])
        _refresh_summary(program)
        program.save(update_fields=["summary"])
        record(
            Verb.PROGRAM_ADJUSTED,
            actor=admin,
            obj=program,
            context={"swapped": [a.user_id, b.user_id]},
        )
    return [ma, mb]


# --- Publishing --------------------------------------------------------------------------------


def do_start_program_relationship(
    admin: User, program: Program, mentee: User, mentor: User, goal: Goal | None
) -> Relationship:
    """Create the active mentoring relationship of a published match and tell the pair.

    The learning app's request-and-accept flow does not fit a match both sides signed up for,
    so the relationship starts active here, with the same members and roles that flow creates;
    ``program_matched`` is recorded with the mentee as subject and the mentor notified too.
    An active mentoring relationship the two already have is reused.
    """
    existing = (
        Relationship.objects.filter(
            organisation_id=program.organisation_id,
            status=Relationship.Status.ACTIVE,
            kind=Relationship.Kind.MENTORING,
            members__user=mentee,
            members__role=RelationshipMember.Role.LEARNER,
        )
        .filter(
            pk__in=RelationshipMember.objects.filter(
                user=mentor, role=RelationshipMember.Role.MENTOR
            ).values("relationship_id")
        )
        .first()
    )
    relationship = existing
    if relationship is None:
        now = timezone.now()
        if goal is not None and (goal.owner_id != mentee.pk or not goal.is_open()):
            goal = None
        relationship = Relationship.objects.create(
            organisation_id=program.organisation_id,
            kind=Relationship.Kind.MENTORING,
            status=Relationship.Status.ACTIVE,
            goal=goal,
            requested_by=mentee,
            addressee=mentor,
            message=f"Matched in the mentoring program “{program.name}”.",
            created_at=now,
            responded_at=now,
        )
        RelationshipMember.objects.bulk_create(
            [
                RelationshipMember(
                    relationship=relationship, user=mentee, role=RelationshipMember.Role.LEARNER
                ),
                RelationshipMember(
                    relationship=relationship, user=mentor, role=RelationshipMember.Role.MENTOR
                ),
            ]
        )
    record(
        Verb.PROGRAM_MATCHED,
        actor=admin,
        subject=mentee,
        obj=program,
        context={
            "relationship": relationship.pk,
            "mentor": mentor.pk,
            "notify": [mentor.pk],
        },
    )
    return relationship


def do_publish(admin: User, program: Program) -> Program:
    """Publish the proposed matches: start each pair's mentoring and tell everyone.

    Publishing twice (a double click) publishes once.
    """
    check_program_admin(admin, program)
    with transaction.atomic():
        program = _lock(program)
        if program.status == Program.Status.PUBLISHED:
            return program
        if program.status != Program.Status.PROPOSED:
            raise ActionError("Run the matching and review it before publishing.", status=409)
        matches = list(
            program.matches.select_for_update().select_related(
                "mentee__user", "mentor__user", "mentee__goal"
            )
        )
        unmatched = []
        for match in matches:
            if match.mentor is None:
                unmatched.append(match.mentee.user_id)
                continue
            relationship = do_start_program_relationship(
                admin, program, match.mentee.user, match.mentor.user, match.mentee.goal
            )
            match.relationship = relationship
            match.save(update_fields=["relationship"])
        program.status = Program.Status.PUBLISHED
        program.published_at = timezone.now()
        program.save(update_fields=["status", "published_at"])
        record(
            Verb.PROGRAM_PUBLISHED,
            actor=admin,
            obj=program,
            context={
                "matched": len(matches) - len(unmatched),
                "unmatched": len(unmatched),
                "notify": unmatched,
            },
        )
    return program


def score_words(score: float | None) -> str:
    """Return a match score in plain words."""
    if score is None:
        return "no match"
    if score >= 0.75:
        return "an excellent fit"
    if score >= 0.6:
        return "a strong fit"
    if score >= 0.45:
        return "a fair fit"
    return "a weak fit"
