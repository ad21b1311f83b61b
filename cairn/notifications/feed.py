"""The home feed: what my communities, mentors, mentees, partners and the people I follow did.

Read from the ledger, one page at a time, with every object loaded in bulk and checked for
visibility, so a private goal or an approval-only community's thread never shows to someone
who may not see it, and feedback (``rated``) never shows at all. Each line reads as a sentence
naming things by their own titles ("Diego answered Maja's request *Stuck on Excel*"), never by
a database id; a day's run of the same thing by the same person reads as one line ("Diego
thanked 3 people").
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from cairn.communities.access import community_ids_of
from cairn.learning.access import partner_ids
from cairn.ledger.models import Event, Verb
from cairn.notifications.access import followed_ids
from cairn.notifications.links import load_objects, title_of, url_of
from cairn.people.models import User

#: What the feed shows, and how each reads before the object's title: {subject} is the other
#: person's name ("you" to them), {subjects} its possessive ("your"). Feedback, misses and
#: unanswered requests stay out: the feed celebrates, it does not shame.
PHRASES: dict[str, str] = {
    Verb.JOINED: "joined",
    Verb.HELPED: "helped {subject} with",
    Verb.THANKED: "thanked {subject}",
    Verb.CREDITED: "credited {subject}",
    Verb.SHARED: "shared",
    Verb.LESSON_SHARED: "shared the lesson learned",
    Verb.ASKED: "asked for help with",
    Verb.RESPONDED: "answered {subjects} request",
    Verb.COMMITTED: "made {subject} a commitment",
    Verb.KEPT: "confirmed that {subject} kept a commitment",
    Verb.MENTORED: "mentored {subject} in a session",
    Verb.GOAL_SET: "set the learning goal",
    Verb.MILESTONE_DONE: "reached a milestone towards",
    Verb.GOAL_CLOSED: "closed the goal",
    Verb.MENTORING_ACCEPTED: "began working with {subject}",
    Verb.RELATIONSHIP_COMPLETED: "completed a mentoring or peer relationship",
    Verb.SESSION_LOGGED: "logged a session",
    Verb.COMMUNITY_CREATED: "started the community",
    Verb.COMMUNITY_JOINED: "joined the community",
    Verb.THREAD_STARTED: "started the discussion",
    Verb.RESOURCE_SHARED: "shared the resource",
    Verb.REQUEST_RESOLVED: "resolved the request",
    Verb.COMMENTED: "commented on",
}
#: Where the kind of object changes how a verb reads.
BY_OBJECT: dict[tuple[str, str], str] = {
    (Verb.COMMENTED, "communities.reply"): "replied in the discussion",
}
#: What the feed leaves out although its verb shows: answering a mentoring request reads as
#: "began working with" when accepted, and a decline is nobody else's news.
LEFT_OUT = frozenset({(Verb.RESPONDED, "learning.relationship")})
#: Verbs whose title is someone's own words, shown as a quotation after a colon.
QUOTED = frozenset({Verb.THANKED, Verb.CREDITED, Verb.COMMITTED, Verb.KEPT})
#: How a day's run of one verb by one person reads as one line.
MANY: dict[str, str] = {
    Verb.HELPED: "helped {count} people",
    Verb.THANKED: "thanked {count} people",
    Verb.CREDITED: "credited {count} people",
    Verb.SHARED: "shared {count} pieces of know-how",
    Verb.LESSON_SHARED: "shared {count} lessons learned",
    Verb.ASKED: "asked for help {count} times",
    Verb.RESPONDED: "answered {count} requests",
    Verb.COMMITTED: "made {count} commitments",
    Verb.KEPT: "confirmed {count} kept commitments",
    Verb.MENTORED: "mentored in {count} sessions",
    Verb.GOAL_SET: "set {count} learning goals",
    Verb.MILESTONE_DONE: "reached {count} milestones",
    Verb.GOAL_CLOSED: "closed {count} goals",
    Verb.MENTORING_ACCEPTED: "began working with {count} people",
    Verb.RELATIONSHIP_COMPLETED: "completed {count} relationships",
    Verb.SESSION_LOGGED: "logged {count} sessions",
    Verb.COMMUNITY_CREATED: "started {count} communities",
    Verb.COMMUNITY_JOINED: "joined {count} communities",
    Verb.THREAD_STARTED: "started {count} discussions",
    Verb.RESOURCE_SHARED: "shared {count} resources",
    Verb.REQUEST_RESOLVED: "resolved {count} requests",
    Verb.COMMENTED: "commented {count} times",
}

PAGE = 30
#: Candidates read per page: some will be hidden by visibility.
WINDOW = PAGE * 3


def phrase_for(verb: str, object_type: str, subject: str, subject_is_reader: bool = False) -> str:
    """Return how an event reads after its actor's name, e.g. "answered Maja Meyer's request"
    ("answered your request" to Maja herself)."""
    template = BY_OBJECT.get((verb, object_type), PHRASES[verb])
    if subject_is_reader:
        return template.format(subject="you", subjects="your")
    return template.format(subject=subject, subjects=f"{subject}’s")


def sentence(actor: str, phrase: str, title: str, verb: str) -> str:
    """Return the event as one plain sentence: the title follows the phrase, or is quoted
    after a colon when it is someone's own words."""
    if not title:
        return f"{actor} {phrase}"
    if verb in QUOTED:
        return f"{actor} {phrase}: “{title}”"
    return f"{actor} {phrase} “{title}”"


@dataclass
class FeedItem:
    """One line of the feed."""

    time: datetime
    actor_name: str
    actor_handle: str
    phrase: str
    title: str
    url: str
    verb: str = ""
    object_type: str = ""

    def is_quoted(self) -> bool:
        """Return whether the title is someone's own words (shown in quotation marks)."""
        return self.verb in QUOTED


@dataclass
class FeedPage:
    """A page of the feed and where the next one starts (None at the end)."""

    items: list[FeedItem]
    next_cursor: str | None


#: A position in the feed: the time and tie-breaking row of the last event read.
_CURSOR = re.compile(r"^(\d{1,18})-(\d{1,18})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(ValueError):
    """A ``before`` parameter that is not a position in the feed."""


def encode_cursor(event: Event) -> str:
    """Return the position just after ``event``, for the "show more" link."""
    micros = (event.time - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{event.pk}"


def decode_cursor(value: str) -> tuple[datetime, int]:
    """Return the (time, row) a cursor names, or raise :class:`BadCursor`."""
    match = _CURSOR.match(value or "")
    if match is None:
        raise BadCursor("before: not a position in the feed")
    micros, pk = int(match.group(1)), int(match.group(2))
    try:
        moment = _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        raise BadCursor("before: not a position in the feed") from None
    return moment, pk


def feed_page(user: User, before: str | None = None, limit: int = PAGE) -> FeedPage:
    """Return a page of the latest things the people and communities around ``user`` did,
    starting after the ``before`` cursor (raises :class:`BadCursor` for a malformed one)."""
    if user.organisation_id is None:
        return FeedPage([], None)
    people = (set(partner_ids(user)) | followed_ids(user)) - {user.pk}
    communities = set(community_ids_of(user))
    if not people and not communities:
        return FeedPage([], None)
    sources = [Q(actor_id__in=people)]
    if communities:
        sources.append(Q(context__community__in=sorted(communities)))
        sources.append(
            Q(
                object_type="communities.community",
                object_id__in=[str(pk) for pk in sorted(communities)],
            )
        )
    events_query = (
        Event.objects.filter(organisation_id=user.organisation_id, verb__in=PHRASES)
        .exclude(actor_id=user.pk)
        .exclude(actor__isnull=True)
    )
    for verb, object_type in LEFT_OUT:  # not read, nor their objects, nor counted as candidates
        events_query = events_query.exclude(verb=verb, object_type=object_type)
    if before:
        moment, pk = decode_cursor(before)
        events_query = events_query.filter(Q(time__lt=moment) | Q(time=moment, pk__lt=pk))
    candidates = _latest(events_query, sources, WINDOW)
    items: list[FeedItem] = []
    last_read: Event | None = None
    for events in _read_in_batches(candidates, first=limit + limit // 2):
        objects = load_objects(events, user)
        for event in events:
            last_read = event
            key = (event.object_type, event.object_id)
            if key not in objects:
                continue  # no object, a vanished one, or one the viewer may not see
            items.append(_item(event, objects[key], user))
            if len(items) == limit:
                break
        if len(items) == limit:
            break
    more = last_read is not None and (len(items) == limit or len(candidates) == WINDOW)
    return FeedPage(items, encode_cursor(last_read) if more and last_read else None)


def _item(event: Event, obj: Model, user: User) -> FeedItem:
    """Return the feed's line for ``event`` about ``obj``, as ``user`` reads it."""
    subject = getattr(getattr(event.subject, "profile", None), "name", "") or "a colleague"
    profile = getattr(event.actor, "profile", None)
    return FeedItem(
        time=event.time,
        actor_name=getattr(profile, "name", "Someone"),
        actor_handle=getattr(profile, "handle", ""),
        phrase=phrase_for(event.verb, event.object_type, subject, event.subject_id == user.pk),
        title=title_of(obj)[:120],
        url=url_of(obj),
        verb=event.verb,
        object_type=event.object_type,
    )


def _latest(events: QuerySet[Event], sources: list[Q], window: int) -> list[int]:
    """Return the ids of the ``window`` newest of ``events`` that come from any of
    ``sources``, newest first.

    Each source is read on its own, newest first, from its own index (the actors', the
    community's, the object's); the newest ``window`` of their union are the newest of the
    whole. One query over the three joined by OR would walk the organisation's history by
    time until it found enough of them: seconds' worth of rows for someone whose colleagues
    and communities are quiet.
    """
    newest: set[tuple[datetime, int]] = set()
    for source in sources:
        newest.update(
            events.filter(source).order_by("-time", "-pk").values_list("time", "pk")[:window]
        )
    return [pk for _, pk in sorted(newest, reverse=True)[:window]]


def _read_in_batches(candidates: list[int], first: int) -> Iterator[list[Event]]:
    """Yield the candidate events, newest first, with their actors and subjects: a first
    batch of ``first`` (a page's worth and some for the hidden ones), then the rest, so a page
    that fills from the first batch never builds the rows it would not show."""
    for start, end in ((0, first), (first, len(candidates))):
        chosen = candidates[start:end]
        if chosen:
            yield list(
                Event.objects.filter(pk__in=chosen)
                .select_related("actor__profile", "subject__profile")
                .order_by("-time", "-pk")
            )


def feed_for(user: User, limit: int = PAGE) -> list[FeedItem]:
    """Return the latest things the people and communities around ``user`` did."""
    return feed_page(user, None, limit).items


# --- Reading it: days, and a day's run of one thing by one person as one line -----------------


@dataclass
class FeedEntry:
    """One line on the page: one item, or a run of the same verb by the same person."""

    items: list[FeedItem]

    @property
    def first(self) -> FeedItem:
        return self.items[0]

    def is_group(self) -> bool:
        """Return whether the line stands for more than one item."""
        return len(self.items) > 1

    def summary(self) -> str:
        """Return what a run reads as after the actor's name ("thanked 3 people")."""
        return MANY[self.first.verb].format(count=len(self.items))


@dataclass
class FeedDay:
    """The lines of one day, in the reader's time zone."""

    day: date
    label: str
    entries: list[FeedEntry] = field(default_factory=list)
    #: Whether this day began on an earlier page (its heading is already shown).
    continued: bool = False


def day_label(day: date, today: date) -> str:
    """Return a day as a heading: "Today", "Yesterday", "Monday 30 November"."""
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if day.year == today.year:
        return f"{day:%A} {day.day} {day:%B}"
    return f"{day:%A} {day.day} {day:%B %Y}"


def by_day(
    items: list[FeedItem], tz: tzinfo, now: datetime | None = None, continuing: date | None = None
) -> list[FeedDay]:
    """Return the items grouped by day in ``tz``, newest first, each day's consecutive items of
    the same verb by the same person collapsed into one entry. ``continuing`` is the day the
    previous page ended on: a first day equal to it is marked continued."""
    today = (now or timezone.now()).astimezone(tz).date()
    days: list[FeedDay] = []
    for item in items:
        day = item.time.astimezone(tz).date()
        if not days or days[-1].day != day:
            days.append(FeedDay(day, day_label(day, today), continued=day == continuing))
        entries = days[-1].entries
        previous = entries[-1].first if entries else None
        if (
            previous is not None
            and item.verb in MANY
            and (previous.actor_handle, previous.verb, previous.object_type)
            == (item.actor_handle, item.verb, item.object_type)
        ):
            entries[-1].items.append(item)
        else:
            entries.append(FeedEntry([item]))
    return days
