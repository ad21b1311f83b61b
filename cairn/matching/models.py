"""Mentoring programs: a cohort with a sign-up window, its participants and the proposed matches.

Recommendations ("find a mentor, peer or community") read the organisation's candidate index,
which the worker builds from profiles and stores in `RecommendationIndex`.
"""

import io
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cairn.people.locking import WorkState
from cairn.visibility import built_once_per_viewer

#: A background matching still running after this long is taken as lost and may be restarted.
STUCK_AFTER = timedelta(minutes=30)


class ProgramQuerySet(models.QuerySet["Program"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ProgramQuerySet":
        """Return the programs ``user`` may see: those of their organisation."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class Program(models.Model):
    """A mentoring program run by an organisation admin.

    Lifecycle: ``collecting`` (people sign up while the window is open) → ``matching`` (the
    assignment is being computed in the background) → ``proposed`` (the admin reviews and
    adjusts) → ``published`` (mentoring relationships are created and everyone is told).
    A failed run goes back to ``collecting`` with ``run_error`` set.
    """

    class Status(models.TextChoices):
        COLLECTING = "collecting", "Collecting sign-ups"
        MATCHING = "matching", "Matching in progress"
        PROPOSED = "proposed", "Matches proposed, not yet published"
        PUBLISHED = "published", "Matches published"

    class DepartmentRule(models.TextChoices):
        ALLOW = "allow", "Any department"
        FORBID = "forbid", "Always another department"
        REQUIRE = "require", "Always the same department"

    class Objective(models.TextChoices):
        TOTAL = "total", "Best overall fit"
        FAIR = "fair", "Best fit for the worst-matched mentee first"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=4000)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    #: A few questions asked at sign-up: ``[{"id": "q1", "label": "...", "kind": "text"|"choice",
    #: "choices": [...]}]``.
    questions = models.JSONField(default=list, blank=True)
    same_department = models.CharField(
        max_length=8, choices=DepartmentRule.choices, default=DepartmentRule.ALLOW
    )
    objective = models.CharField(max_length=8, choices=Objective.choices, default=Objective.TOTAL)
    #: Pairs that must never be matched: ``[[mentee_user_id, mentor_user_id], ...]``.
    excluded_pairs = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.COLLECTING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_started_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    run_error = models.TextField(blank=True)
    #: Figures of the last run: objective, matched, total, worst, worst_mentee, alternatives.
    summary = models.JSONField(default=dict, blank=True)
    #: The compatibility matrix of the last run (see `compat_matrix`), kept for adjustments.
    compat_blob = models.BinaryField(null=True, blank=True, editable=False)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        constraints = [
            # A double submission of the same new program creates one program.
            models.UniqueConstraint(fields=["organisation", "name"], name="program_unique_name"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="program_closes_after_opening",
            ),
        ]
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program", args=[self.pk])

    def is_admin(self, user) -> bool:
        """Return whether ``user`` administers this program (an admin of its organisation)."""
        return bool(
            getattr(user, "is_org_admin", False) and user.organisation_id == self.organisation_id
        )

    def is_signup_open(self, now=None) -> bool:
        """Return whether people can sign up (or change their sign-up) right now."""
        now = now or timezone.now()
        return self.status == self.Status.COLLECTING and self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        """Return whether the sign-up window is over."""
        return (now or timezone.now()) >= self.closes_at

    def can_run(self, now=None) -> bool:
        """Return whether the admin may (re)run the matching now."""
        return self.has_closed(now) and (
            self.status in (self.Status.COLLECTING, self.Status.PROPOSED) or self.is_stuck(now)
        )

    def is_stuck(self, now=None) -> bool:
        """Return whether a background matching has run far longer than it ever should."""
        now = now or timezone.now()
        return (
            self.status == self.Status.MATCHING
            and self.run_started_at is not None
            and now - self.run_started_at > STUCK_AFTER
        )

    def status_words(self, now=None) -> str:
        """Return where the program stands now, in plain words (the stored status stays
        "collecting" once the window closes, until an admin runs the matching)."""
        now = now or timezone.now()
        if self.status == self.Status.COLLECTING:
            if now < self.opens_at:
                return "Sign-ups not open yet"
            if self.has_closed(now):
                return "Sign-ups closed, waiting to be matched"
        return str(self.get_status_display())

    def window_words(self, now=None) -> str:
        """Return the sign-up window in plain words ("open until 3 March")."""
        now = now or timezone.now()
        closes = timezone.localtime(self.closes_at).strftime("%-d %B %Y, %H:%M")
        if now < self.opens_at:
            opens = timezone.localtime(self.opens_at).strftime("%-d %B %Y")
            return f"opens on {opens}, closes {closes}"
        if now < self.closes_at:
            return f"open until {closes}"
        return f"closed on {closes}"

    def compat_matrix(self) -> tuple[list[int], list[int], np.ndarray, np.ndarray] | None:
        """Return the last run's (mentee ids, mentor ids, compatibility, allowed), or None."""
        if not self.compat_blob:
            return None
        data = np.load(io.BytesIO(bytes(self.compat_blob)), allow_pickle=False)
        shape = tuple(data["shape"])
        allowed = np.unpackbits(data["allowed"])[: shape[0] * shape[1]].reshape(shape)
        return (
            data["mentees"].tolist(),
            data["mentors"].tolist(),
            data["compat"].astype(np.float64),
            allowed.astype(bool),
        )

    @staticmethod
    def pack_matrix(
        mentees: list[int], mentors: list[int], compat: np.ndarray, allowed: np.ndarray
    ) -> bytes:
        """Return the compressed bytes `compat_matrix` reads (participant ids, scores, rules)."""
        out = io.BytesIO()
        np.savez_compressed(
            out,
            mentees=np.asarray(mentees, dtype=np.int64),
            mentors=np.asarray(mentors, dtype=np.int64),
            compat=np.asarray(compat, dtype=np.float32),
            allowed=np.packbits(np.asarray(allowed, dtype=bool).ravel()),
            shape=np.asarray(compat.shape, dtype=np.int64),
        )
        return out.getvalue()


class Participant(models.Model):
    """A person signed up to a program as a mentee or a mentor, with their answers."""

    class Role(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_participations"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    answers = models.JSONField(default=dict, blank=True)
    #: Mentors: how many mentees they take in this program.
    capacity = models.PositiveSmallIntegerField(default=1)
    #: Mentees: what they want to grow, in their words (used for the semantic fit).
    goal_text = models.TextField(blank=True, max_length=2000)
    goal = models.ForeignKey(
        "learning.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Mentees: user ids of their top picks among the signed-up mentors, first pick first.
    picks = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A double submission of a sign-up leaves one sign-up.
            models.UniqueConstraint(fields=["program", "user"], name="participant_once")
        ]
        ordering = ["role", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id} as {self.role} in {self.program_id}"

    def is_mentor(self) -> bool:
        """Return whether this participant mentors in the program."""
        return self.role == self.Role.MENTOR


class Match(models.Model):
    """One mentee's proposed (then published) mentor, with its score and reasons."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    mentee = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="match")
    #: None when no mentor fits the rules and has a free slot.
    mentor = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="mentees"
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    adjusted = models.BooleanField(default=False)
    relationship = models.ForeignKey(
        "learning.Relationship", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["score", "pk"]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id}"

    def is_matched(self) -> bool:
        """Return whether the mentee has a mentor."""
        return self.mentor_id is not None

    def score_percent(self) -> int | None:
        """Return the score as a whole percentage, or None when unmatched."""
        return None if self.score is None else round(100 * min(max(self.score, 0.0), 1.0))


class RecommendationIndex(WorkState):
    """Per organisation: the candidate index recommendations read, as the worker last built it.

    Its input (see :class:`WorkState`) is what the index is built from: a profile, a skill, a
    relationship, trust, a community; the stored result is ``people`` and ``communities``, the
    two indexes as ``cairn.matching.engine.stored`` bytes.
    """

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="recommendation_index"
    )
    people = models.BinaryField(null=True, blank=True)
    communities = models.BinaryField(null=True, blank=True)
    embedder = models.CharField(max_length=40, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"recommendation index of organisation {self.organisation_id}"
