"""The home feed: what my communities, mentors, mentees, partners and the people I follow did.

Read from the ledger, one page at a time, with every object loaded in bulk and checked for
visibility, so a private goal or an approval-only community's thread never shows to someone
who may not see it, and feedback (``rated``) never shows at all.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from cairn.communities.access import community_ids_of
from cairn.learning.access import partner_ids
from cairn.ledger.models import Event, Verb
from cairn.notifications.access import followed_ids
from cairn.notifications.links import load_objects, url_of, visible_keys
from cairn.people.models import User

#: What the feed shows, and how each reads ({subject} is the other person's name). Feedback,
#: misses and unanswered requests stay out: the feed celebrates, it does not shame.
PHRASES: dict[str, str] = {
    Verb.JOINED: "joined",
    Verb.HELPED: "helped {subject}",
    Verb.THANKED: "thanked {subject}",
    Verb.CREDITED: "credited {subject}",
    Verb.SHARED: "shared know-how",
    Verb.LESSON_SHARED: "shared a lesson learned",
    Verb.ASKED: "asked for help",
    Verb.RESPONDED: "responded to {subject}",
    Verb.COMMITTED: "made a commitment to {subject}",
    Verb.KEPT: "confirmed that {subject} kept a commitment",
    Verb.MENTORED: "mentored {subject}",
    Verb.GOAL_SET: "set a learning goal",
    Verb.MILESTONE_DONE: "reached a milestone",
    Verb.GOAL_CLOSED: "closed a goal",
    Verb.MENTORING_ACCEPTED: "began working with {subject}",
    Verb.RELATIONSHIP_COMPLETED: "completed a relationship",
    Verb.SESSION_LOGGED: "logged a session",
    Verb.COMMUNITY_CREATED: "started a community",
    Verb.COMMUNITY_JOINED: "joined a community",
    Verb.THREAD_STARTED: "started a discussion",
    Verb.RESOURCE_SHARED: "shared a resource",
    Verb.REQUEST_RESOLVED: "resolved a request",
    Verb.COMMENTED: "commented",
}

PAGE = 30
#: Candidates read per page: some will be hidden by visibility.
WINDOW = PAGE * 3


@dataclass
class FeedItem:
    """One line of the feed."""

    time: datetime
    actor_name: str
    actor_handle: str
    phrase: str
    title: str
    url: str


def feed_for(user: User, limit: int = PAGE) -> list[FeedItem]:
    """Return the latest things the people and communities around ``user`` did."""
    if user.organisation_id is None:
        return []
    people = (set(partner_ids(user)) | followed_ids(user)) - {user.pk}
    communities = set(community_ids_of(user))
    source = Q(actor_id__in=people)
    if communities:
        source |= Q(context__community__in=sorted(communities))
        source |= Q(
            object_type="communities.community",
            object_id__in=[str(pk) for pk in sorted(communities)],
        )
    if not people and not communities:
        return []
    events = list(
        Event.objects.filter(source, organisation_id=user.organisation_id, verb__in=PHRASES)
        .exclude(actor_id=user.pk)
        .exclude(actor__isnull=True)
        .select_related("actor__profile", "subject__profile")
        .order_by("-time", "-pk")[:WINDOW]
    )
    objects = load_objects(events)
    visible = visible_keys(objects, user)
    items = []
    for event in events:
        key = (event.object_type, event.object_id)
        if key not in visible:  # no object, a vanished one, or one the viewer may not see
            continue
        obj = objects[key]
        subject = getattr(getattr(event.subject, "profile", None), "name", "") or "a colleague"
        profile = getattr(event.actor, "profile", None)
        items.append(
            FeedItem(
                time=event.time,
                actor_name=getattr(profile, "name", "Someone"),
                actor_handle=getattr(profile, "handle", ""),
                phrase=PHRASES[event.verb].format(subject=subject),
                title="" if obj._meta.label_lower == "people.profile" else str(obj)[:120],
                url=url_of(obj),
            )
        )
        if len(items) == limit:
            break
    return items
