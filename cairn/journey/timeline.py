"""A person's learning journey, read from the ledger: goals, relationships, sessions, lessons
shared, and help given and received — what they can show in a career conversation.

Each moment is private to its owner until they switch it to shared; a colleague sees only the
shared ones, and only those whose object they may see themselves (a private goal stays private
even if its moment was shared, because the object's own ``visible_to`` rule still applies).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from cairn.journey.models import SharedMoment
from cairn.ledger.models import Event, Verb
from cairn.notifications.links import load_objects, url_of
from cairn.people.models import User

#: What the owner did, as the owner reads it ({other} is the other person's name).
DONE: dict[str, str] = {
    Verb.GOAL_SET: "Set a learning goal",
    Verb.MILESTONE_DONE: "Reached a milestone",
    Verb.GOAL_REFLECTED: "Reflected on a goal",
    Verb.GOAL_CLOSED: "Closed a goal",
    Verb.MENTORING_ACCEPTED: "Began working with {other}",
    Verb.RELATIONSHIP_COMPLETED: "Completed a relationship",
    Verb.RELATIONSHIP_CLOSED: "Closed a relationship",
    Verb.SESSION_LOGGED: "Logged a session",
    Verb.MENTORED: "Mentored {other}",
    Verb.LESSON_SHARED: "Shared a lesson learned",
    Verb.SHARED: "Shared know-how",
    Verb.HELPED: "Helped {other}",
    Verb.RESPONDED: "Answered {other}",
    Verb.ASKED: "Asked for help",
    Verb.CREDITED: "Credited {other}",
    Verb.THANKED: "Thanked {other}",
}
#: What others did for the owner ({other} is who did it).
RECEIVED: dict[str, str] = {
    Verb.MENTORED: "Mentored by {other}",
    Verb.HELPED: "Helped by {other}",
    Verb.CREDITED: "Credited by {other}",
    Verb.THANKED: "Thanked by {other}",
    Verb.MENTORING_ACCEPTED: "{other} agreed to work with you",
}
#: Who a moment is about, in the words of a colleague reading someone's shared journey.
KINDS = {
    Verb.GOAL_SET: "goals",
    Verb.MILESTONE_DONE: "goals",
    Verb.GOAL_REFLECTED: "goals",
    Verb.GOAL_CLOSED: "goals",
    Verb.MENTORING_ACCEPTED: "relationships",
    Verb.RELATIONSHIP_COMPLETED: "relationships",
    Verb.RELATIONSHIP_CLOSED: "relationships",
    Verb.SESSION_LOGGED: "relationships",
    Verb.MENTORED: "relationships",
    Verb.LESSON_SHARED: "knowledge",
    Verb.SHARED: "knowledge",
    Verb.ASKED: "help",
    Verb.HELPED: "help",
    Verb.RESPONDED: "help",
    Verb.CREDITED: "help",
    Verb.THANKED: "help",
}
PAGE = 200


@dataclass
class Moment:
    """One line of a journey."""

    event_id: int
    time: datetime
    words: str
    kind: str
    title: str
    url: str
    shared: bool


def _events(owner: User):
    if owner.organisation_id is None:
        return Event.objects.none()  # platform staff keep no journey
    return (
        Event.objects.filter(organisation_id=owner.organisation_id)
        .filter(
            Q(actor_id=owner.pk, verb__in=DONE)
            | Q(subject_id=owner.pk, verb__in=RECEIVED) & ~Q(actor_id=owner.pk)
        )
        .select_related("actor__profile", "subject__profile")
        .order_by("-time", "-pk")
    )


def journey_of(owner: User, viewer: User, limit: int = PAGE) -> list[Moment]:
    """Return ``owner``'s journey as ``viewer`` may read it: everything for the owner, the
    shared moments whose objects the viewer may see for a colleague; newest first."""
    events = _events(owner)
    shared = set(
        SharedMoment.objects.visible_to(viewer)
        .filter(owner=owner)
        .values_list("event_id", flat=True)
    )
    own = viewer.pk == owner.pk
    if not own:
        events = events.filter(pk__in=shared)
    events = list(events[:limit])
    objects = load_objects(events, viewer)
    moments = []
    for event in events:
        key = (event.object_type, event.object_id)
        obj = objects.get(key)
        if not own and event.object_type and obj is None:
            continue  # shared, but about something this colleague may not see
        done = event.actor_id == owner.pk
        other_person = event.subject if done else event.actor
        other = getattr(getattr(other_person, "profile", None), "name", "") or "a colleague"
        words = (DONE if done else RECEIVED)[event.verb].format(other=other)
        title = "" if obj is None or obj._meta.label_lower == "people.profile" else str(obj)
        moments.append(
            Moment(
                event_id=event.pk,
                time=event.time,
                words=words,
                kind=KINDS.get(event.verb, "help"),
                title=title[:120],
                url=url_of(obj),
                shared=event.pk in shared,
            )
        )
    return moments


def own_event_for(owner: User, event_id: int) -> Event | None:
    """Return one moment of ``owner``'s own journey, or None."""
    return _events(owner).filter(pk=event_id).first()
