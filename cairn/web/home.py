"""What the home page leads with: the signed-in person's next steps, each read through the
owning app's getters, every list LIMITed so the page costs the same queries for a newcomer as
for someone with hundreds of goals, requests and commitments."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, tzinfo

from cairn.checks import organisation_id_of
from cairn.commitments.access import commitments_of
from cairn.commitments.models import Commitment
from cairn.exchange.access import requests_waiting_for
from cairn.exchange.models import HelpRequest
from cairn.learning import access as learning
from cairn.learning.models import Goal, Relationship, SessionProposal
from cairn.ledger.models import Event, Verb
from cairn.notifications.feed import FeedDay, by_day, decode_cursor, feed_page
from cairn.people.models import Profile, User
from cairn.trust.access import TrustCard, trust_card_for

#: How many of each kind of next step the page lists; the rest are a link away.
SHOWN = 5


@dataclass
class NextSteps:
    """What the person could do next, most pressing kinds first."""

    missing: list[str]
    goals: list[Goal]
    sessions: list[SessionProposal]
    mentoring_requests: list[Relationship]
    requests: list[HelpRequest]
    commitments: list[Commitment]
    quiet: list[Relationship]
    trust: TrustCard
    #: For an admin: how many of the organisation's relationships need attention.
    attention: int | None = None
    new_colleagues: list[Profile] = field(default_factory=list)

    def is_new(self) -> bool:
        """Return whether nothing is under way yet: the page then says how to begin."""
        return not (
            self.goals
            or self.sessions
            or self.mentoring_requests
            or self.requests
            or self.commitments
            or self.quiet
        )


def profile_gaps(person: Profile) -> list[str]:
    """Return what the person's profile does not say yet, in words."""
    missing = []
    if not person.bio:
        missing.append("a short bio")
    if not person.offers.exists():
        missing.append("what you can help with")
    if not person.wants.exists():
        missing.append("what you want to grow")
    return missing


def new_colleagues(user: User, limit: int = SHOWN) -> list[Profile]:
    """Return the colleagues who joined most recently (not the person themself)."""
    joined = (
        Event.objects.filter(organisation_id=organisation_id_of(user), verb=Verb.JOINED)
        .exclude(actor_id=user.pk)
        .select_related("actor__profile")
        .order_by("-time", "-pk")[:limit]
    )
    return [e.actor.profile for e in joined if e.actor is not None]


def next_steps_for(user: User, person: Profile) -> NextSteps:
    """Return the person's next steps, each list at most :data:`SHOWN` long."""
    commitments = list(
        commitments_of(user).filter(status=Commitment.Status.OPEN).order_by("due_at", "pk")[:SHOWN]
    )
    # Most people are in no active relationship and asked for none: one plain read of their
    # relationships' statuses spares them the three lists' visibility-checked queries.
    statuses = learning.relationship_statuses_of(user)
    active = Relationship.Status.ACTIVE in statuses
    return NextSteps(
        missing=profile_gaps(person),
        goals=learning.goals_in_progress(user, SHOWN),
        sessions=learning.sessions_ahead(user, SHOWN) if active else [],
        mentoring_requests=(
            learning.mentoring_requests_to(user, SHOWN) if learning.ASKED_OF_ME in statuses else []
        ),
        requests=requests_waiting_for(user, SHOWN),
        commitments=commitments,
        quiet=learning.quiet_relationships_of(user, SHOWN) if active else [],
        trust=trust_card_for(user, person),
        attention=learning.attention_count(user) if user.is_org_admin else None,
        new_colleagues=new_colleagues(user),
    )


def zone_of(person: Profile) -> tzinfo:
    """Return the person's time zone (UTC if the stored name is unknown)."""
    try:
        return zoneinfo.ZoneInfo(person.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@dataclass
class AroundYou:
    """A page of the feed, by day, and where the next page starts."""

    days: list[FeedDay]
    next_cursor: str | None


def around(user: User, person: Profile, before: str | None, appended: bool) -> AroundYou:
    """Return a page of the feed grouped by day in the person's time zone. A page ``appended``
    under an earlier one leaves out the heading of the day that page ended on. Raises
    :class:`cairn.notifications.feed.BadCursor` for a malformed ``before``."""
    zone = zone_of(person)
    continuing: date | None = None
    if before and appended:
        continuing = decode_cursor(before)[0].astimezone(zone).date()
    page = feed_page(user, before)
    return AroundYou(by_day(page.items, zone, continuing=continuing), page.next_cursor)
