"""Every change to goals, relationships, sessions and feedback goes through these functions.

``check_*`` functions validate and raise :class:`~cairn.errors.ActionError`; ``do_*`` functions
perform the change and record its ledger event in the same transaction.
"""

from cairn.learning.actions.check_ins import (
    check_in_summary,
    do_answer_check_in,
    do_ask_check_ins,
)
from cairn.learning.actions.feedback import (
    check_feedback,
    do_give_feedback,
    feedback_summary,
    feedback_url,
)
from cairn.learning.actions.goals import (
    do_add_milestone,
    do_close_goal,
    do_complete_milestone,
    do_reflect,
    do_set_goal,
    do_update_goal,
)
from cairn.learning.actions.health import (
    do_answer_proposal,
    do_close_relationship,
    do_lapse_proposals,
    do_nudge_quiet,
    do_propose_session,
    do_remind_proposals,
    do_set_rhythm,
    do_withdraw_proposal,
)
from cairn.learning.actions.relationships import (
    active_mentoring_count,
    check_can_request,
    do_accept,
    do_add_member,
    do_complete_relationship,
    do_decline,
    do_log_session,
    do_request_relationship,
    do_withdraw,
    expire_requests,
    has_capacity,
)

__all__ = [
    "active_mentoring_count",
    "check_can_request",
    "check_feedback",
    "check_in_summary",
    "do_answer_check_in",
    "do_ask_check_ins",
    "do_answer_proposal",
    "do_close_relationship",
    "do_lapse_proposals",
    "do_nudge_quiet",
    "do_propose_session",
    "do_remind_proposals",
    "do_set_rhythm",
    "do_withdraw_proposal",
    "do_accept",
    "do_add_member",
    "do_add_milestone",
    "do_close_goal",
    "do_complete_milestone",
    "do_complete_relationship",
    "do_decline",
    "do_give_feedback",
    "do_log_session",
    "do_reflect",
    "do_request_relationship",
    "do_set_goal",
    "do_update_goal",
    "do_withdraw",
    "expire_requests",
    "feedback_summary",
    "feedback_url",
    "has_capacity",
]
