"""Every change to mentoring programs goes through these functions.

``check_*`` functions validate and raise :class:`~cairn.errors.ActionError`; ``do_*`` functions
perform the change and record its ledger event in the same transaction. See ``matching`` for when
the matching runs in the request and when in a background task.
"""

from cairn.matching.actions.matching import (
    SYNC_PAIRS,
    compute_matches,
    do_reassign,
    do_run_matching,
    do_swap,
    run_program_matching,
    score_words,
)
from cairn.matching.actions.programs import (
    check_answers,
    check_program_admin,
    check_questions,
    do_close_signups,
    do_create_program,
    do_exclude_pair,
    do_sign_up,
    parse_questions,
)
from cairn.matching.actions.publishing import do_publish, do_start_program_relationship
from cairn.matching.actions.recommendations import do_prepare_recommendations

__all__ = [
    "SYNC_PAIRS",
    "check_answers",
    "check_program_admin",
    "check_questions",
    "compute_matches",
    "do_close_signups",
    "do_create_program",
    "do_exclude_pair",
    "do_prepare_recommendations",
    "do_publish",
    "do_reassign",
    "do_run_matching",
    "do_sign_up",
    "do_start_program_relationship",
    "do_swap",
    "parse_questions",
    "run_program_matching",
    "score_words",
]
