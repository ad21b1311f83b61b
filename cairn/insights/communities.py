"""What a community did for its people, for its facilitators and the organisation's admins.

Counts, rates and averages only, a fixed number of queries whatever the community's size.
Helping and earned trust compare the community's members with everyone else in the
organisation over the same weeks, so a trend in the whole organisation is not mistaken for
the community's doing.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cairn.communities.models import Community, Membership, Reply
from cairn.learning.models import Goal
from cairn.ledger.helping import helping_before_after
from cairn.trust.history import BeforeAfter, trust_before_after, trust_rows

#: The window figures are counted over, and compared with the one before it.
WINDOW = timedelta(days=90)
#: Active contributors are counted over this many recent days.
RECENT = timedelta(days=30)
#: How many weeks the activity chart shows.
WEEKS = 12
#: Who is compared with whom.
NAMES = ("members", "everyone else")


@dataclass
class CommunityOutcomes:
    """The figures of one community's outcomes page (and its CSV)."""

    members: int = 0
    facilitators: int = 0
    waiting: int = 0
    joined: int = 0
    left: int = 0
    contributors: int = 0
    threads: int = 0
    answered: int = 0
    median_hours_to_first_reply: float | None = None
    replies: int = 0
    resources: int = 0
    posts: int = 0
    requests: int = 0
    requests_answered: int = 0
    goals_set: int = 0
    goals_progressed: int = 0
    goals_achieved: int = 0
    members_by_month: list[tuple[str, int]] = field(default_factory=list)
    activity_by_week: list[tuple[str, int]] = field(default_factory=list)
    helping: list[tuple[str, float, float]] = field(default_factory=list)
    trust: list[BeforeAfter] = field(default_factory=list)

    @property
    def contributor_percent(self) -> int:
        """Return the share of members who contributed in the last 30 days, in percent."""
        return round(100 * self.contributors / self.members) if self.members else 0

    def rows(self) -> list[tuple[str, object]]:
        """Return every figure as (what, value) for the table and the CSV."""
        days = WINDOW.days
        rows: list[tuple[str, object]] = [
            ("Members", self.members),
            ("Facilitators", self.facilitators),
            ("Waiting to join", self.waiting),
            (f"Joined in the last {days} days", self.joined),
            (f"Left in the last {days} days", self.left),
            (f"Members who contributed in the last {RECENT.days} days", self.contributors),
            ("Share of members contributing (%)", self.contributor_percent),
            (f"Threads started in the last {days} days", self.threads),
            ("Of them answered by someone else", self.answered),
            ("Median hours to the first answer", self.median_hours_to_first_reply),
            (f"Replies in the last {days} days", self.replies),
            (f"Resources shared in the last {days} days", self.resources),
            (f"Know-how posts in the last {days} days", self.posts),
            (f"Requests for help in the last {days} days", self.requests),
            ("Of them answered", self.requests_answered),
            (f"Goals members set in the last {days} days", self.goals_set),
            ("Members' goals with a milestone reached", self.goals_progressed),
            ("Members' goals achieved", self.goals_achieved),
        ]
        for who, before, after in self.helping:
            rows.append((f"Help given per person per month, {who}, previous {days} days", before))
            rows.append((f"Help given per person per month, {who}, last {days} days", after))
        rows.extend(trust_rows(self.trust))
        return rows


def community_outcomes(community: Community, now: datetime | None = None) -> CommunityOutcomes:
    """Return the outcomes of ``community`` as of ``now``."""
    now = now or timezone.now()
    since = now - WINDOW
    out = CommunityOutcomes()
    memberships = community.memberships.all()
    active = Q(status=Membership.Status.ACTIVE)
    counts = memberships.aggregate(
        members=Count("pk", filter=active),
        facilitators=Count("pk", filter=active & Q(role=Membership.Role.FACILITATOR)),
        waiting=Count("pk", filter=Q(status=Membership.Status.PENDING)),
        joined=Count("pk", filter=Q(joined_at__gte=since)),
        left=Count("pk", filter=Q(left_at__gte=since)),
    )
    out.members, out.facilitators = counts["members"], counts["facilitators"]
    out.waiting, out.joined, out.left = counts["waiting"], counts["joined"], counts["left"]
    member_ids = list(memberships.filter(active).values_list("user_id", flat=True))
    _members_by_month(out, community, now)
    _threads(out, community, since)
    _activity(out, community, member_ids, now)
    goals = Goal.objects.filter(owner_id__in=member_ids, organisation_id=community.organisation_id)
    figures = goals.progress_since(since)
    out.goals_set, out.goals_progressed = figures["set"], figures["progressed"]
    out.goals_achieved = figures["achieved"]
    out.helping = helping_before_after(
        community.organisation_id, member_ids, since, WINDOW, names=NAMES
    )
    out.trust = trust_before_after(
        community.organisation_id, member_ids, since.date(), now.date(), names=NAMES
    )
    return out


def _members_by_month(out: CommunityOutcomes, community: Community, now: datetime) -> None:
    """Members joined per month over the last twelve months."""
    joined = (
        community.memberships.filter(joined_at__gte=now - timedelta(days=365))
        .annotate(month=TruncMonth("joined_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    out.members_by_month = [(f"{row['month']:%b %Y}", row["n"]) for row in joined]


def _threads(out: CommunityOutcomes, community: Community, since: datetime) -> None:
    """Threads started in the window, how many someone else answered, and how soon."""
    started = community.threads.filter(created_at__gte=since)
    threads = {
        pk: (created, author)
        for pk, created, author in started.values_list("pk", "created_at", "author_id")
    }
    out.threads = len(threads)
    first_answer: dict[int, datetime] = {}
    replies = Reply.objects.filter(thread_id__in=list(threads)).order_by("created_at")
    for thread_id, author, created in replies.values_list("thread_id", "author_id", "created_at"):
        if author is not None and author != threads[thread_id][1]:
            first_answer.setdefault(thread_id, created)
    out.answered = len(first_answer)
    waits = [(first - threads[pk][0]).total_seconds() / 3600 for pk, first in first_answer.items()]
    if waits:
        out.median_hours_to_first_reply = round(statistics.median(waits), 1)


def _activity(
    out: CommunityOutcomes, community: Community, member_ids: list[int], now: datetime
) -> None:
    """Contributions per week (threads, replies, resources, posts, requests) and who made them."""
    start = now - timedelta(weeks=WEEKS)
    since = now - WINDOW
    contributions = [
        list(
            community.threads.filter(created_at__gte=start).values_list("created_at", "author_id")
        ),
        list(
            Reply.objects.filter(thread__community=community, created_at__gte=start).values_list(
                "created_at", "author_id"
            )
        ),
        list(
            community.resources.filter(created_at__gte=start).values_list(
                "created_at", "shared_by_id"
            )
        ),
        list(community.posts.filter(created_at__gte=start).values_list("created_at", "author_id")),
        list(
            community.help_requests.filter(created_at__gte=start).values_list(
                "created_at", "asker_id"
            )
        ),
    ]
    threads, replies, resources, posts, requests = contributions
    out.replies = sum(1 for when, _ in replies if when >= since)
    out.resources = sum(1 for when, _ in resources if when >= since)
    out.posts = sum(1 for when, _ in posts if when >= since)
    out.requests = sum(1 for when, _ in requests if when >= since)
    out.requests_answered = community.help_requests.filter(
        created_at__gte=since, responses__isnull=False
    ).aggregate(n=Count("pk", distinct=True))["n"]
    members = set(member_ids)
    recent = now - RECENT
    out.contributors = len(
        {who for rows in contributions for when, who in rows if when >= recent and who in members}
    )
    counts = [0] * WEEKS
    for rows in contributions:
        for when, _ in rows:
            counts[min(WEEKS - 1, (when - start).days // 7)] += 1
    out.activity_by_week = [
        (f"Week of {(start + timedelta(weeks=i)):%d %b}", n) for i, n in enumerate(counts)
    ]
