"""Ledger events as xAPI 1.0.3 statements, validated with Ralph's models.

Each statement's id is a UUID derived from the ledger event (and the person it is about), so
sending it again never makes a second record. Verbs come from the ADL vocabulary where one
fits, and from Cairn's own IRIs otherwise. People are accounts on the site's home page, named
by an opaque id unless the organisation chose to send emails.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ralph.models.xapi.base.statements import BaseXapiStatement

from cairn.ledger.models import Event, Verb

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITY = "http://adlnet.gov/expapi/activities/"
#: Namespace for the ids of statements (a UUID5 namespace of Cairn's own).
STATEMENT_NAMESPACE = uuid.UUID("8f0f3c55-64a9-4f0e-9b6a-6f1d1f6f0c1e")


@dataclass(frozen=True)
class Mapping:
    """How one ledger verb becomes a statement."""

    verb: str  # an ADL verb IRI, or a name under Cairn's own verb IRI
    display: str
    activity_type: str
    activity_name: str
    about_subject: bool = False  # the statement's actor is the event's subject
    commitment: bool = False  # sent only where the organisation allows it


MAPPINGS: dict[str, Mapping] = {
    Verb.GOAL_SET: Mapping("set-goal", "set a learning goal", "objective", "Learning goal"),
    Verb.GOAL_CLOSED: Mapping(ADL + "completed", "completed", "objective", "Learning goal"),
    Verb.MENTORING_ACCEPTED: Mapping(
        "started-relationship", "started a learning relationship", "meeting", "Relationship"
    ),
    Verb.RELATIONSHIP_COMPLETED: Mapping(ADL + "completed", "completed", "meeting", "Relationship"),
    Verb.SESSION_LOGGED: Mapping(ADL + "attended", "attended", "meeting", "Learning session"),
    Verb.ASKED: Mapping(ADL + "asked", "asked", "question", "Request for help"),
    Verb.RESPONDED: Mapping(ADL + "responded", "responded", "question", "Request for help"),
    Verb.HELPED: Mapping("helped", "helped", "question", "Request for help"),
    Verb.LESSON_SHARED: Mapping(ADL + "shared", "shared", "link", "Lesson learned"),
    Verb.COMMUNITY_JOINED: Mapping(
        "joined-community", "joined a learning community", "interaction", "Community"
    ),
    Verb.KEPT: Mapping(
        "kept-commitment", "kept a commitment", "objective", "Commitment", True, True
    ),
    Verb.MISSED: Mapping(
        "missed-commitment", "missed a commitment", "objective", "Commitment", True, True
    ),
}
SENT_VERBS = tuple(MAPPINGS)


@dataclass(frozen=True)
class Person:
    """What a statement may say about a person."""

    pk: int
    name: str
    email: str


def statement_id(event_id: int) -> str:
    """Return the statement id of a ledger event: the same on every send."""
    return str(uuid.uuid5(STATEMENT_NAMESPACE, f"cairn-event-{event_id}"))


def _agent(person: Person, site: str, by_email: bool) -> dict:
    if by_email and person.email:
        return {"objectType": "Agent", "name": person.name, "mbox": f"mailto:{person.email}"}
    return {"objectType": "Agent", "account": {"homePage": site, "name": str(person.pk)}}


def statement_for(
    event: Event,
    people: dict[int, Person],
    *,
    site: str,
    send_commitments: bool = False,
    by_email: bool = False,
) -> dict | None:
    """Return the xAPI statement for a ledger event, or None for an event that is not sent.

    ``site`` is the site's base URL (no trailing slash); ``people`` holds at least the event's
    actor and subject. Raises ``pydantic.ValidationError`` if the statement is not valid xAPI.
    """
    mapping = MAPPINGS.get(event.verb)
    if mapping is None or (mapping.commitment and not send_commitments):
        return None
    if event.verb == Verb.GOAL_CLOSED and event.context.get("outcome") != "achieved":
        return None
    who = event.subject_id if mapping.about_subject else event.actor_id
    if who is None or who not in people:
        return None
    activity = (
        f"{site}/xapi/activities/{event.object_type or 'event'}/{event.object_id or event.pk}"
    )
    verb_id = (
        mapping.verb if mapping.verb.startswith("http") else f"{site}/xapi/verbs/{mapping.verb}"
    )
    statement = {
        "id": statement_id(event.pk),
        "version": XAPI_VERSION,
        "actor": _agent(people[who], site, by_email),
        "verb": {"id": verb_id, "display": {"en-US": mapping.display}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {
                "type": ADL_ACTIVITY + mapping.activity_type,
                "name": {"en-US": mapping.activity_name},
            },
        },
        "timestamp": event.time.isoformat(),
        "context": {"platform": "Cairn", "language": "en"},
    }
    if event.verb == Verb.HELPED and event.value:
        statement["result"] = {"duration": f"PT{round(event.value * 3600)}S"}
    return BaseXapiStatement(**statement).model_dump(mode="json", exclude_none=True)
