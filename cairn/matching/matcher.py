"""Running the matching engine over a program and storing what it proposes.

The body of the background task (``cairn.matching.tasks.run_program_matching``) and of a small
program's matching in the request (:func:`cairn.matching.actions.do_run_matching`): program rows
-> engine -> ``Match`` rows. It records no events; starting the run is the action that does.
"""

import math
from typing import Any

from django.db import transaction
from django.utils import timezone

from cairn.matching import adapter
from cairn.matching.engine import InfeasibleAssignment, ProgramError, match_program
from cairn.matching.models import Match, Participant, Program
from cairn.matching.wording import reasons_text
from cairn.people.locking import lock_row


def finite(x: Any) -> float | None:
    """Return ``x`` as a finite float, or None."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _give_back(program: Program, message: str) -> None:
    with transaction.atomic():
        program = lock_row(program)
        if program.status == Program.Status.MATCHING:
            program.status = Program.Status.COLLECTING
            program.run_error = message
            program.save(update_fields=["status", "run_error"])


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
        _give_back(program, f"No match could be made: {error}")
        return {"error": str(error)}
    except Exception:
        # Never leave a program stuck in "matching": say so, let the admin run it again.
        _give_back(program, "Something went wrong while matching. Please run it again.")
        raise
    by_person = {adapter.person_id(p.user_id): p for p in [*mentees, *mentors]}
    rows = []
    for mentee, proposed in zip(mentees, result.rows, strict=True):
        mentor = by_person.get(proposed.mentor) if proposed.mentor else None
        score = finite(proposed.score) if mentor is not None else None
        reasons = reasons_text(proposed.reasons)
        rows.append(Match(mentee=mentee, mentor=mentor, score=score, reasons=reasons))
    summary = _summary(result.summary, by_person)
    blob = Program.pack_matrix(
        [p.pk for p in mentees], [p.pk for p in mentors], result.compat, result.allowed
    )
    with transaction.atomic():
        program = lock_row(program)
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
        "total": finite(raw.get("total")),
        "worst": finite(raw.get("worst")),
        "worst_mentee": worst.pk if worst is not None else None,
        "other_objective": other,
        "other_total": finite(raw.get(f"{other}_total")),
        "other_worst": finite(raw.get(f"{other}_worst")),
    }
