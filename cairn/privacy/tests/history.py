"""A full history for bob, built through the real actions: every kind of row that can name
him, each of his words carrying ``WORDS`` so a scan can find them."""

from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

from cairn.calendars.actions import do_create_calendar_feed
from cairn.commitments.actions import do_commit, do_confirm, do_renegotiate
from cairn.communities import actions as communities
from cairn.disputes.actions import do_open_dispute
from cairn.disputes.tests.helpers import missed_commitment
from cairn.exchange import actions as exchange
from cairn.learning.actions import (
    do_accept,
    do_add_milestone,
    do_log_session,
    do_reflect,
    do_request_relationship,
    do_set_goal,
)
from cairn.learning.actions.feedback import do_give_feedback
from cairn.matching.actions import do_create_program
from cairn.matching.actions.programs import do_sign_up
from cairn.notifications.actions import do_follow, do_update_email_settings
from cairn.people.actions import do_create_api_token, do_update_profile
from cairn.people.models import User

#: In everything bob writes; after erasure no table may hold it.
WORDS = "Zanzibar-quince"
#: In what carol writes about Carol's own things; it must survive bob's erasure.
THEIRS = "Carol-own-words"


def build_history(bob: User, alice: User, carol: User) -> dict[str, Model]:
    """Give ``bob`` a full history with alice and carol; return the rows others still need."""
    now = timezone.now()
    rows: dict[str, Model] = {}
    do_update_profile(bob, bio=f"{WORDS} bio", location=f"{WORDS} town")
    do_create_api_token(bob, f"{WORDS} script")
    goal = do_set_goal(bob, f"{WORDS} goal", why=f"{WORDS} why", visibility="organisation")
    do_add_milestone(bob, goal, f"{WORDS} milestone")
    do_reflect(bob, goal, f"{WORDS} reflection")
    relationship = do_request_relationship(bob, carol, "peer", goal, f"{WORDS} message")
    do_accept(carol, relationship)
    session = do_log_session(
        bob, relationship, now - timedelta(days=2), 45, f"{WORDS} shared", f"{WORDS} private"
    )
    rows["carol_session"] = do_log_session(
        carol, relationship, now - timedelta(days=1), 30, f"{THEIRS} shared", ""
    )
    do_give_feedback(bob, carol, session, _scores(4), comment=f"{WORDS} feedback")
    do_give_feedback(carol, bob, session, _scores(5), comment=f"{THEIRS} about bob")
    request = exchange.do_ask(bob, f"{WORDS} request", f"{WORDS} details", directed_to=[carol])
    carol_response = exchange.do_respond(carol, request, f"{THEIRS} answer")
    rows["carol_response"] = carol_response
    exchange.do_mark_response(bob, carol_response, helpful=True)
    carols_request = exchange.do_ask(carol, f"{THEIRS} question", directed_to=[bob])
    bob_response = exchange.do_respond(bob, carols_request, f"{WORDS} answer")
    rows["bob_response"] = bob_response
    exchange.do_mark_response(carol, bob_response, helpful=True)
    exchange.do_resolve(carol, carols_request, credits=[(bob, f"Thanks Bob Baker, {THEIRS}")])
    post = exchange.do_share_post(
        bob, f"{WORDS} post", f"{WORDS} body", kind="lesson", learned=WORDS
    )
    exchange.do_comment(bob, post, f"{WORDS} comment")
    rows["carol_comment"] = exchange.do_comment(carol, post, f"{THEIRS} comment")
    exchange.do_thank(bob, carol, f"{WORDS} thanks")
    exchange.do_thank(carol, bob, f"{THEIRS} thanks to Bob Baker")
    carols_post = exchange.do_share_post(carol, f"{THEIRS} post", "body")
    exchange.do_credit(carol, carols_post, [(bob, f"{THEIRS} credit")])
    commitment = do_commit(bob, carol, f"{WORDS} promise", now + timedelta(days=3))
    do_renegotiate(commitment, bob, now + timedelta(days=5), f"{WORDS} reason")
    kept = do_commit(
        carol, bob, f"{THEIRS} promise", now - timedelta(days=1), now=now - timedelta(days=3)
    )
    do_confirm(kept, bob, "kept")
    _, missed = missed_commitment(bob, alice, f"{WORDS} missed promise")
    do_open_dispute(bob, missed, f"{WORDS} dispute")
    community = communities.do_create_community(carol, f"{THEIRS} circle", f"{THEIRS} about")
    communities.do_join(bob, community, f"{WORDS} join")
    thread = communities.do_start_thread(bob, community, f"{WORDS} thread", f"{WORDS} thread body")
    rows["carol_reply"] = communities.do_reply(carol, thread, f"{THEIRS} reply")
    communities.do_reply(bob, thread, f"{WORDS} reply")
    communities.do_share_resource(
        bob, community, f"{WORDS} resource", "https://example.com/", WORDS
    )
    program = do_create_program(
        alice,
        name="Spring mentoring",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    do_sign_up(bob, program, role="mentee", goal_text=f"{WORDS} want")
    do_follow(carol, bob)
    do_follow(bob, carol)
    do_create_calendar_feed(bob)
    do_update_email_settings(bob, digest="daily", categories=["mentoring"])
    rows["program"] = program
    rows["thread"] = thread
    rows["request"] = request
    rows["post"] = post
    return rows


def _scores(value: int) -> dict[str, int]:
    return dict.fromkeys(("helpfulness", "responsiveness", "openness", "presence"), value)
