"""Ledger events as the messages a webhook or a chat channel receives.

A message says only what every member of the organisation may see: each event's object is
checked with its model's ``visible_to`` as :func:`cairn.visibility.any_member` (a member with
no ties to anyone) sees it, and an event whose object that member may not see is not sent at
all. So a private goal, a "mentors and partners" goal, an approval-only community's discussion,
a session's notes, a thank-you note or feedback never leaves Cairn.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse

from cairn.ledger.models import Event, Verb
from cairn.notifications.feed import LEFT_OUT, PHRASES, phrase_for, sentence
from cairn.notifications.links import load_objects, title_of, url_of
from cairn.people.models import Profile
from cairn.visibility import any_member

#: Feed activity that concerns two people only (thanks, commitments): no member without ties
#: ever sees its object, so it would never be sent, and it is not offered.
BETWEEN_TWO = frozenset({Verb.THANKED, Verb.COMMITTED, Verb.KEPT})
#: Where a verb's own label says too little on its own ("accepted", "joined").
CLEARER: dict[str, str] = {
    Verb.JOINED: "joined the organisation",
    Verb.HELPED: "helped someone (a response marked helpful)",
    Verb.CREDITED: "credited a colleague",
    Verb.RESPONDED: "responded to a request for help",
    Verb.MENTORED: "mentored someone",
    Verb.MENTORING_ACCEPTED: "began a mentoring or peer relationship",
    Verb.COMMENTED: "commented on a post or a discussion",
}
#: What an endpoint may choose to hear of: the activity the home feed shows, in words.
EVENT_TYPES: dict[str, str] = {
    verb: CLEARER.get(verb, Verb(verb).label) for verb in PHRASES if verb not in BETWEEN_TWO
}
#: What a new community channel hears of.
CHANNEL_DEFAULTS = (
    Verb.ASKED,
    Verb.SHARED,
    Verb.LESSON_SHARED,
    Verb.THREAD_STARTED,
    Verb.RESOURCE_SHARED,
)
#: What a channel may hear of: what can belong to a community or carry skills.
CHANNEL_EVENT_TYPES: dict[str, str] = {
    verb: EVENT_TYPES[verb]
    for verb in (
        *CHANNEL_DEFAULTS,
        Verb.REQUEST_RESOLVED,
        Verb.COMMUNITY_JOINED,
        Verb.COMMENTED,
    )
}
#: Namespace of message ids: one id per ledger event, the same on every retry.
MESSAGE_NAMESPACE = uuid.UUID("5b1f3a8e-0c47-4d8e-9a51-2f6de3c1b7a4")
TEST_TYPE = "cairn.test"


def message_id(event_id: int) -> str:
    """Return the ``webhook-id`` of the message about a ledger event (stable across retries)."""
    return f"msg_{uuid.uuid5(MESSAGE_NAMESPACE, f'cairn-event-{event_id}').hex}"


@dataclass(frozen=True)
class Link:
    """Something a message names: a person or an object, with its title and page."""

    title: str
    url: str
    type: str = ""
    id: str = ""
    handle: str = ""


@dataclass(frozen=True)
class Message:
    """What one event says to the outside: who did what to which visible thing."""

    id: str
    type: str
    time: str
    summary: str
    actor: Link | None
    subject: Link | None
    object: Link
    tags: list[str] = field(default_factory=list)
    event_id: int | None = None
    community_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the webhook body: ``type``, ``timestamp`` and ``data`` (Standard Webhooks)."""

        def link(value: Link | None) -> dict[str, str] | None:
            if value is None:
                return None
            fields = {"name" if value.handle else "title": value.title, "url": value.url}
            if value.handle:
                fields["handle"] = value.handle
            else:
                fields |= {"type": value.type, "id": value.id}
            return fields

        return {
            "type": self.type,
            "timestamp": self.time,
            "data": {
                "event": self.event_id,
                "summary": self.summary,
                "verb": EVENT_TYPES.get(self.type, self.type),
                "actor": link(self.actor),
                "subject": link(self.subject),
                "object": link(self.object),
                "tags": self.tags,
            },
        }


def absolute(path: str) -> str:
    """Return the full address of a page of this site."""
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _people(events: list[Event], organisation_id: int) -> dict[int, Link]:
    ids = {e.actor_id for e in events if e.actor_id} | {
        e.subject_id for e in events if e.subject_id
    }
    rows = (
        Profile.objects.visible_to(any_member(organisation_id))
        .filter(user_id__in=ids)
        .values_list("user_id", "name", "handle")
    )
    return {
        pk: Link(name, absolute(reverse("profile", args=[handle])), handle=handle)
        for pk, name, handle in rows
    }


def _tags(objects: Iterable[models.Model]) -> dict[tuple[str, str], list[str]]:
    """Return the skill names of the objects that carry skills (requests, posts)."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        if any(f.name == "skills" for f in obj._meta.many_to_many):
            by_model[type(obj)].append(obj)
    tags = {}
    for rows in by_model.values():
        prefetch_related_objects(rows, "skills")
        for obj in rows:
            tags[(obj._meta.label_lower, str(obj.pk))] = sorted(
                s.name
                for s in obj.skills.all()  # type: ignore[attr-defined]
            )
    return tags


def messages_for(events: list[Event], organisation_id: int) -> dict[int, Message]:
    """Return the message for each event every member may see, keyed by event id; events of
    another organisation, without an object, or with one a member may not see, are left out."""
    events = [
        e
        for e in events
        if e.organisation_id == organisation_id
        and e.verb in EVENT_TYPES
        and (e.verb, e.object_type) not in LEFT_OUT
    ]
    shown = load_objects(events, any_member(organisation_id))
    people = _people(events, organisation_id)
    tags = _tags(shown.values())
    messages = {}
    for event in events:
        key = (event.object_type, event.object_id)
        if key not in shown:
            continue
        obj = shown[key]
        actor = people.get(event.actor_id)  # type: ignore[arg-type]
        subject = people.get(event.subject_id) if event.subject_id else None
        title = title_of(obj)[:200]
        target = Link(
            title or str(obj)[:200],
            absolute(url_of(obj)),
            type=event.object_type,
            id=event.object_id,
        )
        phrase = phrase_for(
            event.verb, event.object_type, subject.title if subject else "a colleague"
        )
        summary = sentence(actor.title if actor else "Someone", phrase, title, event.verb)
        community = (event.context or {}).get("community")
        if event.object_type == "communities.community":
            community = obj.pk
        messages[event.pk] = Message(
            id=message_id(event.pk),
            type=event.verb,
            time=event.time.isoformat(),
            summary=summary,
            actor=actor,
            subject=subject,
            object=target,
            tags=tags.get(key, []),
            event_id=event.pk,
            community_id=community if isinstance(community, int) else None,
        )
    return messages


def trial_message(now_iso: str, organisation_name: str) -> Message:
    """Return the message the "send a test" button sends (a fresh id each time)."""
    home = absolute("/")
    return Message(
        id=f"msg_test_{uuid.uuid4().hex}",
        type=TEST_TYPE,
        time=now_iso,
        summary=f"A test from Cairn for {organisation_name}: this endpoint is connected.",
        actor=None,
        subject=None,
        object=Link("Cairn", home, type="site", id=""),
    )


# --- Chat formats -----------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chat_line(message: Message) -> str:
    """Return the message in one plain sentence, e.g. "Bob Baker asked for help: “…” (tagged
    Python)"."""
    line = message.summary
    if message.tags:
        line += f" (tagged {', '.join(message.tags)})"
    return line


def slack_body(message: Message) -> dict[str, Any]:
    """Return a Slack incoming-webhook body: the sentence with a link to the page."""
    text = _slack_escape(chat_line(message))
    if message.object.url:
        text += f" <{message.object.url}|Open in Cairn>"
    return {"text": text, "unfurl_links": False}


def teams_body(message: Message) -> dict[str, Any]:
    """Return a Teams incoming-webhook (Workflows) body: an Adaptive Card with the sentence and
    a button to the page."""
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [{"type": "TextBlock", "text": chat_line(message), "wrap": True}],
    }
    if message.object.url:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": "Open in Cairn", "url": message.object.url}
        ]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }
