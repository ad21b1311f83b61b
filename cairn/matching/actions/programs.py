"""Programs: create, close, keep pairs apart, and sign up."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.checks import check_aware, check_org_admin, clean_text, organisation_id_of
from cairn.errors import ActionError
from cairn.learning.models import Goal
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.matching import adapter
from cairn.matching.models import Participant, Program
from cairn.people.locking import lock_row
from cairn.people.models import User
from cairn.visibility import can_see

QUESTION_KINDS = ("text", "choice")
MAX_QUESTIONS = 8
MAX_PICKS = 3
MAX_CAPACITY = 10


# --- Creating and closing ----------------------------------------------------------------------


def check_program_admin(user: User, program: Program) -> None:
    """Say why ``user`` may not administer ``program``, if so."""
    if not can_see(user, program):
        raise ActionError("No such program.", status=404)
    check_org_admin(user, "run programs")


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
    check_org_admin(admin, "run programs")
    name = clean_text(name, "name", "the program a name", 120)
    description = clean_text(description, "description", "a description", 4000, required=False)
    check_aware(opens_at, "opens_at")
    check_aware(closes_at, "closes_at")
    if closes_at <= opens_at:
        raise ActionError("Sign-ups close after they open.", field="closes_at")
    if same_department not in Program.DepartmentRule.values:
        raise ActionError("Pick a department rule.", field="same_department")
    if objective not in Program.Objective.values:
        raise ActionError("Pick what the matching should aim for.", field="objective")
    cleaned = check_questions(questions)
    existing = Program.objects.filter(organisation_id=organisation_id_of(admin), name=name).first()
    if existing is not None:
        if existing.created_by_id == admin.pk and existing.created_at > timezone.now() - timedelta(
            minutes=10
        ):
            return existing
        raise ActionError("There is already a program with this name.", field="name")
    try:
        with transaction.atomic():
            program = Program.objects.create(
                organisation_id=organisation_id_of(admin),
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
        program = Program.objects.get(organisation_id=organisation_id_of(admin), name=name)
    return program


def do_close_signups(admin: User, program: Program) -> Program:
    """Close the sign-up window now. Closing a closed window changes nothing."""
    check_program_admin(admin, program)
    with transaction.atomic():
        program = lock_row(program)
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
        program = lock_row(program)
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
    if not can_see(user, program):
        raise ActionError("No such program.", status=404)
    if role not in Participant.Role.values:
        raise ActionError("Sign up as a mentee or as a mentor.", field="role")
    cleaned = check_answers(program, answers)
    goal_text = clean_text(goal_text, "goal_text", "what you want to grow", 2000, required=False)
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
        program = lock_row(program)
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
