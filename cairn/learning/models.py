"""Learning goals, mentoring and peer relationships, their sessions, and feedback."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


def _colleague_of_some_organisation(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.organisation_id is not None


class GoalQuerySet(models.QuerySet["Goal"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "GoalQuerySet":
        """Return the goals ``user`` may see: their own, the organisation's, and the goals kept
        for "mentors and partners" of people in an active relationship with them."""
        if not _colleague_of_some_organisation(user):
            return self.none()
        shares_active = RelationshipMember.objects.filter(
            user_id=OuterRef("owner_id"),
            relationship__status=Relationship.Status.ACTIVE,
            relationship__members__user_id=user.pk,
        )
        return self.filter(organisation_id=user.organisation_id).filter(
            Q(owner_id=user.pk)
            | Q(visibility=Goal.Visibility.ORGANISATION)
            | (Q(visibility=Goal.Visibility.PARTNERS) & Exists(shares_active))
        )

    def progress_since(self, since) -> dict[str, int]:
        """Return how many of these goals were set, reached a milestone and were achieved
        since ``since`` (counts only, for outcome pages), in one query."""
        return self.aggregate(
            set=Count("pk", filter=Q(created_at__gte=since), distinct=True),
            progressed=Count("pk", filter=Q(milestones__done_at__gte=since), distinct=True),
            achieved=Count(
                "pk", filter=Q(status=Goal.Status.ACHIEVED, updated_at__gte=since), distinct=True
            ),
        )


class GoalPartQuerySet(models.QuerySet):
    """Milestones and reflections: seen by whoever may see their goal."""

    @built_once_per_viewer
    def visible_to(self, user):
        """Return the rows whose goal ``user`` may see."""
        return self.filter(Exists(Goal.objects.visible_to(user).filter(pk=OuterRef("goal_id"))))


class Goal(models.Model):
    """Something a person wants to learn, why, and by when.

    Visibility: ``private`` goals are seen by their owner only; ``partners`` goals also by the
    people in active relationships with the owner; ``organisation`` goals by every colleague.
    """

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        PARTNERS = "partners", "My mentors and partners"
        ORGANISATION = "organisation", "Everyone in my organisation"

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        ACHIEVED = "achieved", "Achieved"
        SET_ASIDE = "set_aside", "Set aside"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals"
    )
    title = models.CharField(max_length=160)
    why = models.TextField("why it matters", blank=True, max_length=4000)
    target_date = models.DateField(null=True, blank=True)
    skills = models.ManyToManyField("people.Skill", blank=True, related_name="goals")
    #: Learning communities (circles) that serve the goal; requests for help point here too.
    communities = models.ManyToManyField("communities.Community", blank=True, related_name="goals")
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    #: Progress the owner set by hand (0–100); None means "derive it from the milestones".
    progress_set = models.PositiveSmallIntegerField(null=True, blank=True)
    closing_reflection = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submission of the same new goal creates one goal.
            models.UniqueConstraint(
                fields=["owner", "title"],
                condition=Q(status="open"),
                name="goal_unique_open_title",
            ),
            models.CheckConstraint(
                condition=Q(progress_set__isnull=True) | Q(progress_set__lte=100),
                name="goal_progress_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goal", args=[self.pk])

    def is_open(self) -> bool:
        """Return whether the goal is still being worked on."""
        return self.status == self.Status.OPEN

    def progress(self) -> int:
        """Return progress in percent: as set by the owner, else the share of milestones done."""
        if self.status == self.Status.ACHIEVED:
            return 100
        if self.progress_set is not None:
            return self.progress_set
        milestones = list(self.milestones.all())
        if not milestones:
            return 0
        done = sum(1 for m in milestones if m.done_at is not None)
        return round(100 * done / len(milestones))

    def next_milestone(self) -> "Milestone | None":
        """Return the first milestone not reached yet (reads prefetched milestones), or None."""
        return next((m for m in self.milestones.all() if m.done_at is None), None)

    def is_overdue(self, today=None) -> bool:
        """Return whether an open goal is past its target date."""
        today = today or timezone.localdate()
        return self.is_open() and self.target_date is not None and self.target_date < today


class Milestone(models.Model):
    """A step towards a goal, ticked off when reached."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=160)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = GoalPartQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "title"], name="milestone_unique_title")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_done(self) -> bool:
        """Return whether the milestone has been reached."""
        return self.done_at is not None


class Reflection(models.Model):
    """A note the owner wrote along the way: what they tried, what they learned."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GoalPartQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "RelationshipQuerySet":
        """Return the relationships ``user`` may see (see :class:`Relationship`)."""
        if not _colleague_of_some_organisation(user):
            return self.none()
        member = RelationshipMember.objects.filter(relationship_id=OuterRef("pk"), user_id=user.pk)
        # The goal is looked up relationship by relationship: "goal in the goals the user may
        # see" made PostgreSQL list every visible goal of the organisation first.
        goal_seen = Exists(Goal.objects.visible_to(user).filter(pk=OuterRef("goal_id")))
        return self.filter(organisation_id=user.organisation_id).filter(
            Exists(member) | (Q(status__in=Relationship.UNDER_WAY) & goal_seen)
        )

    def of_member(self, user) -> "RelationshipQuerySet":
        """Return the relationships ``user`` takes part in."""
        return self.visible_to(user).filter(members__user_id=user.pk)

    def overseen_by(self, user) -> "RelationshipQuerySet":
        """Return the relationships whose health ``user`` oversees: every one of their
        organisation for its admins (who, and how it is going; never notes or feedback)."""
        if not getattr(user, "is_org_admin", False):
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def quiet_for(self, rhythms: float, now=None) -> "RelationshipQuerySet":
        """Return the active ones quiet for more than ``rhythms`` times their agreed rhythm."""
        now = now or timezone.now()
        latest = Coalesce("last_active_at", "responded_at", "created_at")
        overdue = Q()
        for days in Relationship.Rhythm.values:
            overdue |= Q(rhythm_days=days, latest_activity__lt=now - timedelta(days=rhythms * days))
        return (
            self.filter(status=Relationship.Status.ACTIVE)
            .annotate(latest_activity=latest)
            .filter(overdue)
        )

    def needing_attention(self, now=None) -> "RelationshipQuerySet":
        """Return the stalled ones still quiet a whole rhythm after both were nudged."""
        now = now or timezone.now()
        nudged_long_ago = Q()
        for days in Relationship.Rhythm.values:
            nudged_long_ago |= Q(rhythm_days=days, nudged_at__lte=now - timedelta(days=days))
        return self.quiet_for(2, now).filter(nudged_long_ago)

    def with_goal_visible(self, user) -> "RelationshipQuerySet":
        """Annotate ``goal_visible``: whether ``user`` may see the goal each one serves."""
        return self.annotate(
            goal_visible=Exists(Goal.objects.visible_to(user).filter(pk=OuterRef("goal_id")))
        )


class Relationship(models.Model):
    """Mentoring, coaching or a peer partnership: one-to-one or a group, serving a goal.

    Lifecycle: ``requested`` → ``active`` (accepted) or ``declined`` (with a kind reason),
    ``withdrawn`` by the requester or ``expired`` when never answered; ``active`` → ``completed``
    with a closing reflection from each side.

    Who sees what (decided once, here, and tested):

    * A request that never became active (requested, declined, withdrawn, expired) is seen by
      its members only: the requester and the person asked.
    * An active or completed relationship is seen by its members, and by colleagues who may see
      the goal it serves (the goal's visibility decides: a private goal keeps it to the members).
      They see who takes part, the sessions' dates, durations and *shared notes*.
    * *Private notes* of a session are seen by the members of the relationship only — in a
      one-to-one, the pair — and by no one else: not colleagues who may see the goal, not
      organisation admins, not staff through any page, endpoint, export or ledger event.
    """

    class Kind(models.TextChoices):
        MENTORING = "mentoring", "Mentoring"
        COACHING = "coaching", "Coaching"
        PEER = "peer", "Peer partnership"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for an answer"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Never answered"
        COMPLETED = "completed", "Completed"
        CLOSED = "closed", "Closed"

    class Rhythm(models.IntegerChoices):
        WEEKLY = 7, "Every week"
        FORTNIGHTLY = 14, "Every two weeks"
        MONTHLY = 30, "Every month"

    class CloseReason(models.TextChoices):
        GOT_WHAT_WE_NEEDED = "got_what_we_needed", "We got what we needed"
        NOT_A_FIT = "not_a_fit", "Not a fit"
        CIRCUMSTANCES = "circumstances", "Circumstances changed"

    class Health(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        SLOWING = "slowing", "Slowing"
        STALLED = "stalled", "Stalled"

    #: Accepted: seen by colleagues who may see the goal, not only by the members.
    UNDER_WAY = (Status.ACTIVE, Status.COMPLETED, Status.CLOSED)

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MENTORING)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="relationships"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: The person asked, who accepts or declines.
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(max_length=4000)
    decline_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: How often the pair agreed to meet; the health badge measures quiet against it.
    rhythm_days = models.PositiveSmallIntegerField(
        "how often you meet", choices=Rhythm.choices, default=Rhythm.FORTNIGHTLY
    )
    #: The latest activity the ledger reported (a session, a proposal, a milestone of the goal,
    #: a commitment between the members); kept by :mod:`cairn.learning.health`.
    last_active_at = models.DateTimeField(null=True, blank=True)
    #: When both were last nudged for missing the rhythm; cleared in effect by new activity.
    nudged_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)

    objects = RelationshipQuerySet.as_manager()
    #: Set on rows from :meth:`RelationshipQuerySet.with_goal_visible`; not a column.
    goal_visible: bool
    #: Set on rows from :meth:`RelationshipQuerySet.quiet_for`; not a column.
    latest_activity: datetime

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("relationship", args=[self.pk])

    def headline(self) -> str:
        """Return what a sentence about it names: nothing more, its sentence names the people
        (and the goal it serves may be private)."""
        return ""

    def is_mentoring(self) -> bool:
        """Return whether this relationship has mentors and learners (not peers)."""
        return self.kind != self.Kind.PEER

    def is_pending(self) -> bool:
        """Return whether the request still waits for an answer."""
        return self.status == self.Status.REQUESTED

    def is_under_way(self) -> bool:
        """Return whether the relationship was accepted (active or completed)."""
        return self.status in self.UNDER_WAY

    def expires_at(self):
        """Return when an unanswered request expires."""
        return self.created_at + timedelta(days=settings.CAIRN_REQUEST_EXPIRY_DAYS)

    def member_ids(self) -> set[int]:
        """Return the user ids of the members (uses prefetched members when present)."""
        return {m.user_id for m in self.members.all()}

    def is_member(self, user) -> bool:
        """Return whether ``user`` takes part in this relationship."""
        return getattr(user, "pk", None) in self.member_ids()

    def goal_title_for(self, user) -> str:
        """Return the goal's title if ``user`` may read it here, else an empty string.

        Asking someone shares a goal kept for "mentors and partners" with them; a private goal's
        title stays with its owner. Needs the ``goal_visible`` annotation
        (:meth:`RelationshipQuerySet.with_goal_visible`).
        """
        goal = self.goal
        if goal is None:
            return ""
        if user.pk == self.addressee_id and goal.visibility != Goal.Visibility.PRIVATE:
            return goal.title
        return goal.title if self.goal_visible else ""

    def mentors(self) -> list:
        """Return the members who mentor (or coach)."""
        return [m for m in self.members.all() if m.role == RelationshipMember.Role.MENTOR]

    def learners(self) -> list:
        """Return the members who learn."""
        return [m for m in self.members.all() if m.role == RelationshipMember.Role.LEARNER]

    def feedback_parties(self) -> set[int]:
        """Return who may give each other feedback on it: the members, once completed."""
        return self.member_ids() if self.status == self.Status.COMPLETED else set()

    def last_active(self):
        """Return when the relationship last showed life (its acceptance at the earliest)."""
        return self.last_active_at or self.responded_at or self.created_at

    def days_quiet(self, now=None) -> int:
        """Return the whole days since the relationship last showed life."""
        return max(0, ((now or timezone.now()) - self.last_active()).days)

    def health(self, now=None) -> str:
        """Return on track, slowing (a rhythm missed) or stalled (two); "" unless active."""
        if self.status != self.Status.ACTIVE:
            return ""
        quiet = self.days_quiet(now)
        if quiet <= self.rhythm_days:
            return self.Health.ON_TRACK
        if quiet <= 2 * self.rhythm_days:
            return self.Health.SLOWING
        return self.Health.STALLED

    def health_label(self, now=None) -> str:
        """Return the health badge's words."""
        health = self.health(now)
        return self.Health(health).label if health else ""

    def health_reason(self, now=None) -> str:
        """Return the badge explained in words: how long it has been quiet against the rhythm."""
        if self.status != self.Status.ACTIVE:
            return ""
        quiet = self.days_quiet(now)
        rhythm = self.Rhythm(self.rhythm_days).label.lower()
        since = "today" if quiet == 0 else f"{quiet} day{'s' if quiet != 1 else ''} ago"
        said = f"Last active {since}; the plan is to meet {rhythm}."
        health = self.health(now)
        if health == self.Health.SLOWING:
            return f"{said} One meeting is overdue: propose the next session."
        if health == self.Health.STALLED:
            return f"{said} Two or more meetings were missed: meet again, or close it kindly."
        return said

    def needs_attention(self, now=None) -> bool:
        """Return whether it stalled and stayed quiet a whole rhythm after both were nudged."""
        now = now or timezone.now()
        return (
            self.health(now) == self.Health.STALLED
            and self.nudged_at is not None
            and now - self.nudged_at >= timedelta(days=self.rhythm_days)
        )


class RelationshipMember(models.Model):
    """One person in a relationship, their role, and their closing reflection."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        LEARNER = "learner", "Learner"
        PEER = "peer", "Peer"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)
    closing_reflection = models.TextField(blank=True, max_length=4000)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "user"], name="member_unique_user")
        ]
        ordering = ["role", "joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id} as {self.role}"


class SessionQuerySet(models.QuerySet["Session"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "SessionQuerySet":
        """Return the sessions ``user`` may see: those of relationships they may see (the
        private notes are the members' only: :meth:`Session.private_notes_visible_to`)."""
        return self.filter(relationship__in=Relationship.objects.visible_to(user))


class Session(models.Model):
    """A session held within a relationship. See :class:`Relationship` for who sees the notes."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="sessions"
    )
    held_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    shared_notes = models.TextField(blank=True, max_length=8000)
    private_notes = models.TextField(blank=True, max_length=8000)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submission of the same session logs one session.
            models.UniqueConstraint(fields=["relationship", "held_at"], name="session_unique_time")
        ]
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return f"Session {self.held_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("relationship", args=[self.relationship_id]) + f"#session-{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: nothing more than "a session"."""
        return ""

    def hours(self) -> float:
        """Return the duration in hours."""
        return self.duration_minutes / 60

    def ends_at(self):
        """Return when the session ended."""
        return self.held_at + timedelta(minutes=self.duration_minutes)

    def private_notes_visible_to(self, user) -> bool:
        """Return whether ``user`` may read the private notes: members of the relationship only."""
        return self.relationship.is_member(user)

    def feedback_parties(self) -> set[int]:
        """Return who may give each other feedback on it: the relationship's members."""
        return self.relationship.member_ids()


class SessionProposalQuerySet(models.QuerySet["SessionProposal"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "SessionProposalQuerySet":
        """Return the proposals ``user`` may see: those of relationships they take part in."""
        return self.filter(relationship__in=Relationship.objects.of_member(user))


class SessionProposal(models.Model):
    """A next session one member proposes and another accepts or declines.

    Lifecycle: ``proposed`` → ``accepted`` or ``declined`` by another member, ``withdrawn`` by
    the proposer, or ``lapsed`` when nobody answered before its time (which counts as
    ``unanswered`` for the people who let it lapse). Seen by the relationship's members only.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Never answered"
        HELD = "held", "Held and logged"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionProposalQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submission of the same proposal proposes once.
            models.UniqueConstraint(
                fields=["relationship", "starts_at"],
                condition=Q(status="proposed"),
                name="proposal_unique_open_time",
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Session on {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("relationship", args=[self.relationship_id]) + f"#proposal-{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: nothing, its page shows the time in the
        reader's own time zone."""
        return ""

    def ends_at(self):
        """Return when the proposed session would end."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def is_open(self) -> bool:
        """Return whether it still waits for an answer."""
        return self.status == self.Status.PROPOSED

    def is_upcoming(self, now=None) -> bool:
        """Return whether it was accepted and has not started yet."""
        return self.status == self.Status.ACCEPTED and self.starts_at > (now or timezone.now())

    def is_to_log(self, now=None) -> bool:
        """Return whether it was accepted and its time has come: log how it went."""
        return self.status == self.Status.ACCEPTED and self.starts_at <= (now or timezone.now())


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "CheckInQuerySet":
        """Return the check-ins ``user`` may read: their own; the organisation's for its admins.
        The other side of the relationship never sees them."""
        if not _colleague_of_some_organisation(user):
            return self.none()
        if getattr(user, "is_org_admin", False):
            return self.filter(relationship__organisation_id=user.organisation_id)
        return self.filter(person_id=user.pk)


class CheckIn(models.Model):
    """How a relationship is going, asked of each member halfway and at the end.

    Three questions: how useful it is (1–5), whether the goal is moving, and anything the
    organisation's admins should know. The answers feed the admins' outcomes pages as counts and
    averages; the other members never see them, and the last answer is for admins only.
    """

    class Stage(models.TextChoices):
        MIDDLE = "middle", "Halfway"
        END = "end", "At the end"

    class Progress(models.TextChoices):
        YES = "yes", "Yes, clearly"
        SOMEWHAT = "somewhat", "Somewhat"
        NO = "no", "Not yet"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="check_ins"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=6, choices=Stage.choices)
    asked_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    usefulness = models.PositiveSmallIntegerField(null=True, blank=True)
    goal_moving = models.CharField(max_length=8, choices=Progress.choices, blank=True)
    note_for_admins = models.TextField(blank=True, max_length=2000)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "person", "stage"], name="check_in_once_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True) | Q(usefulness__gte=1, usefulness__lte=5),
                name="check_in_usefulness_1_to_5",
            ),
        ]
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"Check-in {self.get_stage_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("check_in", args=[self.pk])

    def is_answered(self) -> bool:
        """Return whether the person has answered."""
        return self.answered_at is not None


class Feedback(models.Model):
    """How working with someone felt, on four 1–5 dimensions and a private comment.

    Never shown attributed: the receiver sees only averages over at least
    ``FEEDBACK_MIN_FOR_SUMMARY`` feedbacks; nobody else sees any of it. The context is a session,
    a completed relationship or an accepted response to a help request (any object with
    ``feedback_parties()`` and an ``organisation``), held by a generic relation.
    """

    DIMENSIONS = ("helpfulness", "responsiveness", "openness", "presence")

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_received"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    context = GenericForeignKey("content_type", "object_id")
    helpfulness = models.PositiveSmallIntegerField()
    responsiveness = models.PositiveSmallIntegerField()
    openness = models.PositiveSmallIntegerField("openness and honesty")
    presence = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["giver", "receiver", "content_type", "object_id"],
                name="feedback_once_per_context",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{d}__gte": 1, f"{d}__lte": 5}), name=f"feedback_{d}_1_to_5"
                )
                for d in ("helpfulness", "responsiveness", "openness", "presence")
            ],
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"Feedback #{self.pk}"

    def headline(self) -> str:
        """Return what a sentence about it names: nothing, feedback is never attributed."""
        return ""

    def mean(self) -> float:
        """Return the mean of the four scores."""
        return sum(getattr(self, d) for d in self.DIMENSIONS) / len(self.DIMENSIONS)

    def trust_value(self) -> float:
        """Return the mean mapped onto the trust scale: (mean − 3) / 2, in [−1, 1]."""
        return (self.mean() - 3) / 2


#: The receiver sees averages only once this many feedbacks exist, so none is identifiable.
FEEDBACK_MIN_FOR_SUMMARY = 3
