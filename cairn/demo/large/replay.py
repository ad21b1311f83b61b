"""Run a plan through the real actions, one call per op, the clock moved to each op's moment.

This is the reference the bulk writer (:mod:`cairn.demo.large.bulk`) is tested against; it is
exact by construction and slow (each action checks, locks and records on its own).
"""

from collections.abc import Callable
from typing import Any

import time_machine

from cairn.commitments.actions import do_commit, do_confirm
from cairn.communities.actions import do_create_community, do_join, do_reply, do_start_thread
from cairn.demo.large.plan import Op, Plan
from cairn.exchange.actions import (
    do_ask,
    do_comment,
    do_mark_response,
    do_resolve,
    do_respond,
    do_share_post,
    do_thank,
)
from cairn.learning.actions.feedback import do_give_feedback
from cairn.learning.actions.goals import (
    do_add_milestone,
    do_close_goal,
    do_complete_milestone,
    do_set_goal,
)
from cairn.learning.actions.relationships import (
    do_accept,
    do_complete_relationship,
    do_decline,
    do_log_session,
    do_request_relationship,
)
from cairn.people.models import User

#: Words every op of a kind writes the same way, shared with the bulk writer.
ASK_DETAILS = "Context: a real piece of work due in a couple of weeks. Any pointers welcome."
CREDIT_LINE = "Pointed me the right way and followed up."
DECLINE_REASON = "I'm stretched this quarter and wouldn't do you justice — try someone in my team."

Made = dict[int, Any]
Handler = Callable[[Op, list[User], Made], Any]


def _ref(made: Made, op: Op) -> Any:
    return made[op.ref] if op.ref >= 0 else None


HANDLERS: dict[str, Handler] = {
    "community": lambda op, u, made: do_create_community(u[op.actor], op.text, op.extra),
    "join": lambda op, u, made: do_join(u[op.actor], made[op.ref], op.text),
    "thread": lambda op, u, made: do_start_thread(u[op.actor], made[op.ref], op.text, op.extra),
    "reply": lambda op, u, made: do_reply(u[op.actor], made[op.ref], op.text),
    "thank": lambda op, u, made: do_thank(u[op.actor], u[op.other], op.text, _ref(made, op)),
    "ask": lambda op, u, made: do_ask(
        u[op.actor],
        op.text,
        ASK_DETAILS,
        skills=[op.extra[0]],
        directed_to=[u[d] for d in op.extra[1]],
    ),
    "respond": lambda op, u, made: do_respond(u[op.actor], made[op.ref], op.text),
    "mark": lambda op, u, made: do_mark_response(
        u[op.actor], made[op.ref], helpful=True, accepted=op.extra
    ),
    "resolve": lambda op, u, made: do_resolve(
        u[op.actor], made[op.ref], [(u[c], CREDIT_LINE) for c in op.extra]
    ),
    "post": lambda op, u, made: do_share_post(
        u[op.actor],
        op.text,
        op.extra[1],
        kind="lesson" if op.extra[2] else "know_how",
        learned=op.extra[2],
        skills=[op.extra[0]],
    ),
    "comment": lambda op, u, made: do_comment(u[op.actor], made[op.ref], op.text),
    "goal": lambda op, u, made: do_set_goal(
        u[op.actor],
        op.text,
        why=op.extra[0],
        target_date=op.extra[1],
        skills=[op.extra[2]],
        visibility=op.extra[3],
    ),
    "milestone": lambda op, u, made: do_add_milestone(u[op.actor], made[op.ref], op.text),
    "milestone_done": lambda op, u, made: do_complete_milestone(u[op.actor], made[op.ref]),
    "close_goal": lambda op, u, made: do_close_goal(u[op.actor], made[op.ref], op.extra, op.text),
    "request": lambda op, u, made: do_request_relationship(
        u[op.actor], u[op.other], op.extra, made[op.ref], op.text
    ),
    "accept": lambda op, u, made: do_accept(u[op.actor], made[op.ref]),
    "decline": lambda op, u, made: do_decline(u[op.actor], made[op.ref], DECLINE_REASON),
    "session": lambda op, u, made: do_log_session(
        u[op.actor], made[op.ref], op.extra[0], op.extra[1], shared_notes=op.text
    ),
    "complete": lambda op, u, made: do_complete_relationship(u[op.actor], made[op.ref], op.text),
    "feedback": lambda op, u, made: do_give_feedback(
        u[op.actor], u[op.other], made[op.ref], op.extra, ""
    ),
    "commit": lambda op, u, made: do_commit(
        u[op.actor], u[op.other], op.text, op.extra, _ref(made, op)
    ),
    "confirm": lambda op, u, made: do_confirm(made[op.ref], u[op.actor], op.extra),
}


def replay(plan: Plan, users: list[User], tick: Callable[[int], None] = lambda n: None) -> None:
    """Call the action of every op at its moment (raises if an action refuses one)."""
    made: Made = {}
    with time_machine.travel(plan.start, tick=False) as clock:
        for index, op in enumerate(plan.ops):
            clock.move_to(op.at)
            made[index] = HANDLERS[op.kind](op, users, made)
            tick(1)
