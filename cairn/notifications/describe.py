"""How an event reads to the person it concerns, and which email category it belongs to."""

from cairn.ledger.models import Event, Verb
from cairn.notifications.models import Category

#: What the subject of an event reads; {actor} is the actor's name.
TEXTS: dict[str, str] = {
    Verb.COMMITTED: "{actor} made you a commitment",
    Verb.KEPT: "{actor} confirmed you kept your commitment",
    Verb.MISSED: "{actor} said a commitment to them was missed",
    Verb.COMMITMENT_RENEGOTIATED: "{actor} moved a commitment to you to a new date",
    Verb.COMMITMENT_CANCELLED: "{actor} cancelled a commitment between you",
    Verb.FOLLOWED: "{actor} started following you",
    Verb.THANKED: "{actor} thanked you",
    Verb.CREDITED: "{actor} credited you",
    Verb.HELPED: "{actor} helped you",
    Verb.RESPONDED: "{actor} responded to you",
    Verb.UNANSWERED: "A request from {actor} closed before you could answer",
    Verb.ASKED: "{actor} asked you for help",
    Verb.MENTORED: "{actor} mentored you",
    Verb.MENTORING_REQUESTED: "{actor} asked you for mentoring",
    Verb.MENTORING_ACCEPTED: "{actor} accepted your mentoring request",
    Verb.MENTORING_DECLINED: "{actor} answered your mentoring request",
    Verb.MENTORING_WITHDRAWN: "{actor} withdrew a mentoring request",
    Verb.MEMBER_ADDED: "{actor} added you",
    Verb.SESSION_LOGGED: "{actor} logged a session with you",
    Verb.RELATIONSHIP_COMPLETED: "{actor} completed your relationship",
    Verb.RELATIONSHIP_CLOSED: "{actor} closed your relationship kindly",
    Verb.RELATIONSHIP_NUDGED: "You have not met for a while: propose the next session, or close "
    "it kindly if you are done",
    Verb.RHYTHM_SET: "{actor} changed how often you meet",
    Verb.SESSION_PROPOSED: "{actor} proposed a session",
    Verb.SESSION_ACCEPTED: "{actor} accepted the session you proposed",
    Verb.SESSION_DECLINED: "{actor} cannot make the session you proposed",
    Verb.SESSION_REMINDED: "Your session is tomorrow; afterwards, log how it went",
    Verb.CHECK_IN_ASKED: "How is it going? Two minutes, three questions — only admins read them",
    Verb.COMMENTED: "{actor} commented",
    Verb.RESPONSE_MARKED: "{actor} marked your response",
    # Feedback is never attributed: no name, no link to who gave it.
    Verb.RATED: "You have new feedback from a colleague",
    Verb.DISPUTE_OPENED: "{actor} disputed evidence you gave and asks you to review it",
    Verb.DISPUTE_RESOLVED: "{actor} reviewed your dispute",
    # Moderation: the author reads what was decided and why, never who flagged it.
    Verb.CONTENT_HIDDEN: "Hidden from colleagues until reviewed (open it to appeal)",
    Verb.CONTENT_RESTORED: "A moderator showed again what you wrote",
    Verb.CONTENT_REDACTED: "A moderator edited private information out of what you wrote",
    Verb.FLAGS_DISMISSED: "A moderator reviewed flags on what you wrote and left it as it was",
    Verb.FLAG_UPHELD: "A moderator agreed with your flag",
    Verb.FLAG_DISMISSED: "A moderator reviewed your flag and left it as it was",
    Verb.DATA_EXPORT_REQUESTED: "{actor}, an admin, asked for a copy of the data Cairn holds "
    "about you",
}

ANONYMOUS = frozenset({Verb.RATED})
#: Kinds nobody is told about: hearing that someone stopped following you helps no one.
SILENT = frozenset({Verb.UNFOLLOWED, Verb.FLAGGED})
#: Kinds whose event carries a reason worth reading in the notification itself.
WITH_REASON = frozenset(
    {
        Verb.COMMITMENT_RENEGOTIATED,
        Verb.COMMITMENT_CANCELLED,
        Verb.CONTENT_HIDDEN,
        Verb.CONTENT_RESTORED,
        Verb.CONTENT_REDACTED,
        Verb.FLAGS_DISMISSED,
    }
)

CATEGORIES: dict[str, str] = {}
for _verb in (
    Verb.COMMITTED,
    Verb.KEPT,
    Verb.MISSED,
    Verb.COMMITMENT_RENEGOTIATED,
    Verb.COMMITMENT_CANCELLED,
):
    CATEGORIES[_verb] = Category.COMMITMENTS
for _verb in Verb:
    if _verb.startswith(("mentoring_", "goal_", "relationship_", "session_")):
        CATEGORIES[_verb] = Category.MENTORING
    elif _verb.startswith(("community_", "thread_", "resource_", "facilitator_")):
        CATEGORIES[_verb] = Category.COMMUNITIES
for _verb in (Verb.MENTORED, Verb.MEMBER_ADDED, Verb.MILESTONE_DONE):
    CATEGORIES[_verb] = Category.MENTORING
for _verb in (
    Verb.ASKED,
    Verb.RESPONDED,
    Verb.UNANSWERED,
    Verb.RESPONSE_MARKED,
    Verb.REQUEST_RESOLVED,
    Verb.COMMENTED,
    Verb.SHARED,
    Verb.LESSON_SHARED,
    Verb.HELPED,
):
    CATEGORIES[_verb] = Category.REQUESTS


def category_of(verb: str) -> str:
    """Return the email category of a verb (people, by default)."""
    return CATEGORIES.get(verb, Category.PEOPLE)


def text_for(event: Event, actor_name: str, object_title: str = "") -> str:
    """Return what the event's subject reads, e.g. "Bob Baker thanked you — Onboarding guide"."""
    template = TEXTS.get(event.verb, "{actor} {verb}")
    text = template.format(actor=actor_name or "Someone", verb=event.verb_label())
    if object_title and event.verb not in ANONYMOUS:
        title = object_title if len(object_title) <= 80 else object_title[:79] + "…"
        text = f"{text}: “{title}”"
    reason = (event.context or {}).get("reason")
    if reason and event.verb in WITH_REASON:
        text = f"{text} — {reason}"
    return text[:300]
