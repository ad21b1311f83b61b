"""The append-only activity ledger: one row per thing a person did."""

import math
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from cairn.append_only import AppendOnly, AppendOnlyQuerySet


class Verb(models.TextChoices):
    """What happened. The first block are the trust kinds of the event contract."""

    RATED = "rated", "rated"
    HELPED = "helped", "helped"
    THANKED = "thanked", "thanked"
    CREDITED = "credited", "credited"
    SHARED = "shared", "shared know-how"
    LESSON_SHARED = "lesson_shared", "shared a lesson learned"
    ASKED = "asked", "asked for help"
    RESPONDED = "responded", "responded"
    UNANSWERED = "unanswered", "went unanswered"
    COMMITTED = "committed", "committed"
    KEPT = "kept", "kept a commitment"
    MISSED = "missed", "missed a commitment"
    MENTORED = "mentored", "mentored"
    # Platform events: recorded for the feed and audit, not read by the trust engine.
    ORGANISATION_CREATED = "organisation_created", "created the organisation"
    INVITED = "invited", "invited"
    JOINED = "joined", "joined"
    PROFILE_UPDATED = "profile_updated", "updated their profile"
    ROLE_CHANGED = "role_changed", "changed a role"
    TOKEN_CREATED = "token_created", "created an API token"
    TOKEN_REVOKED = "token_revoked", "revoked an API token"
    CALENDAR_FEED_CREATED = "calendar_feed_created", "made a calendar link"
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", "turned off a calendar link"
    LRS_CONFIGURED = "lrs_configured", "set up the learning record store"
    WEBHOOK_ADDED = "webhook_added", "connected a webhook or chat channel"
    WEBHOOK_CHANGED = "webhook_changed", "changed a webhook or chat channel"
    WEBHOOK_REMOVED = "webhook_removed", "removed a webhook or chat channel"
    SSO_CONFIGURED = "sso_configured", "configured single sign-on"
    JOINING_CHANGED = "joining_changed", "changed who may join"
    FOLLOWED = "followed", "followed"
    UNFOLLOWED = "unfollowed", "stopped following"
    # Learning goals.
    GOAL_SET = "goal_set", "set a learning goal"
    GOAL_UPDATED = "goal_updated", "updated a goal"
    MILESTONE_DONE = "milestone_done", "reached a milestone"
    GOAL_REFLECTED = "goal_reflected", "reflected on a goal"
    GOAL_CLOSED = "goal_closed", "closed a goal"
    # Mentoring, coaching and peer partnerships.
    MENTORING_REQUESTED = "mentoring_requested", "asked for mentoring"
    MENTORING_ACCEPTED = "mentoring_accepted", "accepted"
    MENTORING_DECLINED = "mentoring_declined", "declined"
    MENTORING_WITHDRAWN = "mentoring_withdrawn", "withdrew a request"
    MEMBER_ADDED = "member_added", "added a member"
    RELATIONSHIP_COMPLETED = "relationship_completed", "completed a relationship"
    SESSION_LOGGED = "session_logged", "logged a session"
    SESSION_PROPOSED = "session_proposed", "proposed a session"
    SESSION_ACCEPTED = "session_accepted", "accepted a proposed session"
    SESSION_DECLINED = "session_declined", "declined a proposed session"
    RHYTHM_SET = "relationship_rhythm_set", "agreed how often to meet"
    RELATIONSHIP_CLOSED = "relationship_closed", "closed a relationship kindly"
    RELATIONSHIP_NUDGED = "relationship_nudged", "nudged a quiet relationship"
    SESSION_REMINDED = "session_reminded", "reminded of a session"
    JOURNEY_SHARED = "journey_shared", "changed what their journey shows"
    CHECK_IN_ASKED = "relationship_check_in_asked", "was asked how a relationship is going"
    CHECK_IN_ANSWERED = "relationship_check_in_answered", "said how a relationship is going"
    # Communities.
    COMMUNITY_CREATED = "community_created", "started a community"
    COMMUNITY_JOIN_REQUESTED = "community_join_requested", "asked to join"
    COMMUNITY_JOINED = "community_joined", "joined a community"
    COMMUNITY_LEFT = "community_left", "left a community"
    COMMUNITY_ARCHIVED = "community_archived", "archived a community"
    THREAD_STARTED = "thread_started", "started a discussion"
    RESOURCE_SHARED = "resource_shared", "shared a resource"
    COMMUNITY_JOIN_DECLINED = "community_join_declined", "declined a request to join"
    FACILITATOR_ADDED = "facilitator_added", "welcomed a facilitator"
    COMMUNITY_UPDATED = "community_updated", "updated a community"
    # Requests for help, posts and comments.
    RESPONSE_MARKED = "response_marked", "marked a response"
    REQUEST_RESOLVED = "request_resolved", "resolved a request"
    COMMENTED = "commented", "commented"
    # Commitments.
    COMMITMENT_RENEGOTIATED = "commitment_renegotiated", "renegotiated a commitment"
    COMMITMENT_CANCELLED = "commitment_cancelled", "cancelled a commitment"
    # Mentoring programs.
    PROGRAM_CREATED = "program_created", "started a mentoring program"
    PROGRAM_SIGNED_UP = "program_signed_up", "signed up to a mentoring program"
    PROGRAM_CLOSED = "program_closed", "closed the sign-ups of a program"
    PROGRAM_RUN = "program_run", "ran the matching of a program"
    PROGRAM_ADJUSTED = "program_adjusted", "adjusted a proposed match"
    PROGRAM_PUBLISHED = "program_published", "published the matches of a program"
    PROGRAM_MATCHED = "program_matched", "matched you in a mentoring program"
    # Safeguards.
    EVIDENCE_CORRECTED = "evidence_corrected", "corrected evidence that was gamed"
    RING_FLAGGED = "ring_flagged", "flagged a suspected ring of mutual praise"
    RING_REVIEWED = "ring_reviewed", "reviewed a suspected ring"
    DISPUTE_OPENED = "dispute_opened", "disputed an item of evidence"
    DISPUTE_RESOLVED = "dispute_resolved", "reviewed a dispute"
    # Moderation: flags and the decisions on what was flagged.
    FLAGGED = "flagged", "flagged something for moderators"
    CONTENT_HIDDEN = "content_hidden", "hid something from colleagues"
    CONTENT_RESTORED = "content_restored", "restored something that was hidden"
    CONTENT_REDACTED = "content_redacted", "edited out private information"
    FLAGS_DISMISSED = "flags_dismissed", "dismissed the flags on something"
    FLAG_UPHELD = "flag_upheld", "upheld a flag"
    FLAG_DISMISSED = "flag_dismissed", "dismissed a flag"
    # People's rights over their data.
    DATA_EXPORT_REQUESTED = "data_export_requested", "asked for a copy of the data held"
    ACCOUNT_ERASED = "account_erased", "erased an account"


TRUST_KINDS = frozenset(
    {
        Verb.RATED,
        Verb.HELPED,
        Verb.THANKED,
        Verb.CREDITED,
        Verb.SHARED,
        Verb.LESSON_SHARED,
        Verb.ASKED,
        Verb.RESPONDED,
        Verb.UNANSWERED,
        Verb.COMMITTED,
        Verb.KEPT,
        Verb.MISSED,
        Verb.MENTORED,
    }
)


#: Evidence of giving: helping, answering, mentoring (counted when it was given to someone).
GIVING = frozenset({Verb.HELPED, Verb.RESPONDED, Verb.MENTORED})
#: Evidence of being recognised for it: credited or thanked.
RECOGNITION = frozenset({Verb.CREDITED, Verb.THANKED})


#: The moderation decisions that hide content or show it again.
MODERATION_DECISIONS = (
    Verb.CONTENT_HIDDEN,
    Verb.CONTENT_RESTORED,
    Verb.FLAGS_DISMISSED,
    Verb.CONTENT_REDACTED,
)


class EventQuerySet(AppendOnlyQuerySet["Event"]):
    def seconds_until_freed(self, window: timedelta) -> int:
        """Return how long until the oldest of these events leaves a rolling ``window`` (≥ 1 s).

        What a refused daily limit or cap sends as ``Retry-After``.
        """
        oldest = self.order_by("time").values_list("time", flat=True).first()
        if oldest is None:
            return 1
        return max(1, math.ceil((oldest + window - timezone.now()).total_seconds()))

    def for_trust(self) -> "EventQuerySet":
        """Return the events the trust engine reads, oldest first."""
        return self.filter(verb__in=TRUST_KINDS).order_by("time", "pk")

    def overturned_ids(self) -> set[int]:
        """Return the ids of the events a dispute review overturned, as the ledger recorded
        each decision (``dispute_resolved`` with ``{"event": id, "outcome": "overturned"}``;
        a dispute is decided once). Filter by organisation first."""
        decisions = self.filter(verb=Verb.DISPUTE_RESOLVED, context__outcome="overturned")
        return {int(pk) for pk in decisions.values_list("context__event", flat=True)}

    def hidden_content_ids(self) -> set[int]:
        """Return the ids of the trust events about content moderators hid and have not shown
        again: its sharing, asking, responding and helping, and the credits given on it.

        Read from the ledger's record of each moderation decision, the last one about an object
        winning (``content_hidden`` hides; a restore, a dismissal or an edit shows it again).
        Filter by organisation first."""
        decisions = (
            self.filter(verb__in=MODERATION_DECISIONS)
            .order_by("time", "pk")
            .values_list("verb", "object_type", "object_id")
        )
        hidden: dict[tuple[str, str], bool] = {}
        for verb, object_type, object_id in decisions:
            hidden[(object_type, object_id)] = verb == Verb.CONTENT_HIDDEN
        still_hidden = [key for key, is_hidden in hidden.items() if is_hidden]
        if not still_hidden:
            return set()
        about = models.Q(pk__in=[])
        for object_type, object_id in still_hidden:
            about |= models.Q(object_type=object_type, object_id=object_id)
            about |= models.Q(verb=Verb.CREDITED, context__target=f"{object_type}:{object_id}")
        return set(self.filter(verb__in=TRUST_KINDS).filter(about).values_list("pk", flat=True))


class LedgerError(Exception):
    """A misuse of the ledger (an update, a delete, a record outside a transaction)."""


class Event(AppendOnly):
    """Something a person did, recorded in the same transaction as the change itself."""

    refusal = LedgerError
    never_updated = "The ledger is append-only: events are never updated."
    never_deleted = (
        "The ledger is append-only: a person's account is erased with "
        "cairn.privacy.actions.do_erase_account."
    )

    # PROTECT, not CASCADE: deleting a person or an organisation never removes events by the
    # way; a person is erased by cairn.privacy (their events stay, naming a tombstone) and an
    # organisation by cairn.ledger.record.erase_organisation.
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="events"
    )
    time = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Not a choices field: the Verb enum grows with the product, record() checks it, and the
    # table needs no migration each time.
    verb = models.CharField(max_length=32)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.FloatField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    #: The object :func:`~cairn.ledger.record.record` was given, as the action left it (not a
    #: column): the readers that hear of the event after commit in the same process use it
    #: instead of reading it again. None on an event read from the database.
    recorded_object: models.Model | None = None

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "time"]),
            # The latest of a kind, newest first with ties broken by id ("new colleagues": a
            # whole organisation may join in the same second), read in index order.
            models.Index(fields=["organisation", "verb", "time", "id"]),
            models.Index(fields=["subject", "verb"]),
            models.Index(fields=["actor", "verb"]),
            # Who did what to whom, counted over a whole organisation (insights' generous
            # helpers, matching's evidence) from the index alone, without reading the rows.
            models.Index(fields=["organisation", "verb", "actor", "subject"]),
            # What happened in a community and to it, for the feed of its members: each read
            # from its own index, so a member of small communities does not wait for a scan
            # of the whole organisation's history.
            models.Index(KeyTransform("community", "context"), name="ledger_event_community_idx"),
            models.Index(fields=["object_type", "object_id"]),
        ]
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_id} {self.verb} {self.subject_id or ''}"

    def verb_label(self) -> str:
        """Return the verb in words, e.g. "shared a lesson learned"."""
        try:
            return Verb(self.verb).label
        except ValueError:
            return self.verb.replace("_", " ")


class Tally(models.Model):
    """One person's running count, in one organisation, of the times they gave to someone
    (:data:`GIVING`) and the times they were recognised (:data:`RECOGNITION`).

    Kept by :func:`cairn.ledger.record.record` in the transaction that appends the event, so
    it changes exactly when an event commits; events are never updated or deleted one by one
    (an organisation is erased whole, its tallies with it). Rebuilt from the ledger by
    :func:`cairn.ledger.tally.recount` (the bulk demo builder, the migration that added it).
    """

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    given = models.PositiveIntegerField(default=0)
    recognised = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="ledger_tally_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: gave {self.given}, recognised {self.recognised}"
