"""Running the matching of a program, and adjusting what it proposes.

Small programs (at most ``CAIRN_PROGRAM_SYNC_PAIRS`` mentee-mentor pairs, 20,000 by default —
about a second) are matched in the request; larger ones in a background task
(``run_program_matching``, enqueued once the transaction commits, run by ``cairn db_worker``),
while the review page says "matching in progress" and refreshes itself. The task lives here,
beside the action that enqueues it, so that actions and tasks do not import each other.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cairn.errors import ActionError
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.matching.actions.programs import check_program_admin
from cairn.matching.matcher import compute_matches
from cairn.matching.models import Match, Participant, Program
from cairn.matching.tasks import run_program_matching
from cairn.matching.wording import ordinal
from cairn.people.locking import lock_row
from cairn.people.models import User

SYNC_PAIRS = 20_000


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
        program = lock_row(program)
        if program.status == Program.Status.MATCHING and not program.is_stuck():
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
            pk = program.pk
            transaction.on_commit(lambda: run_program_matching.enqueue(pk))
    if not background:
        compute_matches(program.pk)
        program.refresh_from_db()
    return program


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


def _adjusted_reasons(mentee: Participant, mentor: Participant | None) -> list[str]:
    if mentor is None:
        return ["left without a mentor by the program's admin"]
    reasons = ["chosen by the program's admin"]
    if mentor.user_id in mentee.picks:
        rank = mentee.picks.index(mentor.user_id) + 1
        reasons.append(f"their {ordinal(rank)} pick")
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


def _locked_proposal(program: Program) -> Program:
    """Lock the program; refuse (409) unless its matches are proposed and not yet published."""
    program = lock_row(program)
    if program.status != Program.Status.PROPOSED:
        raise ActionError("Matches can be adjusted once proposed, before publishing.", None, 409)
    return program


def _matrix(program: Program) -> Any:
    """Return the last run's compatibility matrix; refuse (409) when there is none."""
    matrix = program.compat_matrix()
    if matrix is None:
        raise ActionError("Run the matching again first.", status=409)
    return matrix


def _adjust(
    match: Match, mentee: Participant, mentor: Participant | None, score: float | None
) -> None:
    match.mentor, match.score, match.adjusted = mentor, score, True
    match.reasons = _adjusted_reasons(mentee, mentor)
    match.save(update_fields=["mentor", "score", "reasons", "adjusted"])


def _record_adjusted(admin: User, program: Program, context: dict[str, Any]) -> None:
    _refresh_summary(program)
    program.save(update_fields=["summary"])
    record(Verb.PROGRAM_ADJUSTED, actor=admin, obj=program, context=context)


def do_reassign(admin: User, program: Program, mentee_id: int, mentor_id: int | None) -> Match:
    """Give a mentee another mentor (or none), within capacities and the program's rules."""
    check_program_admin(admin, program)
    with transaction.atomic():
        program = _locked_proposal(program)
        mentee = _participant(program, mentee_id, Participant.Role.MENTEE, "mentee")
        match = Match.objects.select_for_update().filter(program=program, mentee=mentee).first()
        if match is None:
            raise ActionError("Run the matching again: this mentee has no proposal.", None, 409)
        if match.mentor_id == mentor_id:
            return match
        mentor, score = None, None
        if mentor_id is not None:
            mentor = _participant(program, mentor_id, Participant.Role.MENTOR, "mentor")
            score = _pair_check(program, _matrix(program), mentee, mentor)
            _check_room(program, mentor, {mentee.pk})
        _adjust(match, mentee, mentor, score)
        _record_adjusted(
            admin,
            program,
            {"mentee": mentee.user_id, "mentor": mentor.user_id if mentor else None},
        )
    return match


def do_swap(admin: User, program: Program, mentee_a_id: int, mentee_b_id: int) -> list[Match]:
    """Swap the mentors of two mentees, if the program's rules allow both new pairs."""
    check_program_admin(admin, program)
    if mentee_a_id == mentee_b_id:
        raise ActionError("Pick two different mentees.", field="other")
    with transaction.atomic():
        program = _locked_proposal(program)
        a = _participant(program, mentee_a_id, Participant.Role.MENTEE, "mentee")
        b = _participant(program, mentee_b_id, Participant.Role.MENTEE, "other")
        matches = {
            m.mentee_id: m
            for m in Match.objects.select_for_update(of=("self",))
            .select_related("mentor__user__profile")
            .filter(program=program, mentee__in=[a, b])
        }
        if len(matches) != 2:
            raise ActionError("Run the matching again: a mentee has no proposal.", None, 409)
        ma, mb = matches[a.pk], matches[b.pk]
        matrix = _matrix(program)
        new_a, new_b = mb.mentor, ma.mentor
        score_a = _pair_check(program, matrix, a, new_a) if new_a else None
        score_b = _pair_check(program, matrix, b, new_b) if new_b else None
        _adjust(ma, a, new_a, score_a)
        _adjust(mb, b, new_b, score_b)
        _record_adjusted(admin, program, {"swapped": [a.user_id, b.user_id]})
    return [ma, mb]


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
