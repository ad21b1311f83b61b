"""Stored trust: one profile per person, recomputed from the ledger by the trust engine."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from cairn.people.locking import WorkState
from cairn.trust import words
from cairn.trust.engine import PRIVILEGE_THRESHOLD
from cairn.trust.engine.confidence import KNOWN_CONFIDENCE

#: The dimensions in the order the engine returns them, with the words people read.
DIMENSIONS = (
    ("generosity", "Generosity"),
    ("courage", "Humility & courage"),
    ("integrity", "Honesty & integrity"),
    ("responsiveness", "Responsiveness"),
)
# The engine's confidence is calibrated so that a score is known exactly when its confidence
# reaches KNOWN_CONFIDENCE (its interval is narrow enough and the vouching graph backs it; see
# docs/trust-confidence.md), and "well established" from ESTABLISHED_CONFIDENCE.


def standing_words(score: float, confidence: float) -> str:
    """Return a score in plain words, or "not yet known" when there is little evidence."""
    if confidence < KNOWN_CONFIDENCE:
        return "not yet known"
    if score >= 0.75:
        return "excellent"
    if score >= 0.6:
        return "strong"
    if score >= 0.45:
        return "fair"
    return "weak so far"


class TrustProfile(models.Model):
    """A person's trust as the engine last computed it, with the explanation behind it.

    ``explanation`` holds the engine's explanation as data: ``{"dimensions": {name:
    {"evidence": [facts], ...}}, "weakest": [names], "vouchers": int, "is_seed": bool,
    "backed": bool, ...}`` (see :func:`cairn.trust.adapter.explanation_of`); the methods below
    put it into words with :mod:`cairn.trust.words`. It never names who gave which feedback.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_profile"
    )
    trust = models.FloatField(default=0.0)
    confidence = models.FloatField(default=0.0)
    generosity = models.FloatField(default=0.5)
    courage = models.FloatField(default=0.5)
    integrity = models.FloatField(default=0.5)
    responsiveness = models.FloatField(default=0.5)
    generosity_confidence = models.FloatField(default=0.0)
    courage_confidence = models.FloatField(default=0.0)
    integrity_confidence = models.FloatField(default=0.0)
    responsiveness_confidence = models.FloatField(default=0.0)
    explanation = models.JSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-trust"])]

    def __str__(self) -> str:
        return f"trust of {self.user_id}: {self.trust:.2f}"

    def is_known(self) -> bool:
        """Return whether there is enough evidence to say anything about this person."""
        return self.confidence >= KNOWN_CONFIDENCE

    def standing(self) -> str:
        """Return the overall trust in plain words ("not yet known" until someone trusted
        vouches for them, however much they have done)."""
        if not self.is_known() or self.trust <= 0.0:
            return "not yet known"
        if self.trust >= PRIVILEGE_THRESHOLD + 0.2:
            return "highly trusted"
        if self.trust >= PRIVILEGE_THRESHOLD:
            return "trusted"
        if self.trust >= PRIVILEGE_THRESHOLD / 2:
            return "building trust"
        return "early days"

    def dimensions(self) -> list[dict[str, Any]]:
        """Return each dimension with its score, confidence, words and evidence lines."""
        explained = self.explanation.get("dimensions", {})
        out = []
        for name, label in DIMENSIONS:
            score = getattr(self, name)
            confidence = getattr(self, f"{name}_confidence")
            about = explained.get(name, {})
            out.append(
                {
                    "name": name,
                    "label": label,
                    "score": score,
                    "percent": round(100 * score),
                    "confidence": confidence,
                    "confidence_percent": round(100 * confidence),
                    "words": standing_words(score, confidence),
                    "certainty": words.certainty_words(confidence),
                    "evidence": [words.evidence_line(f) for f in about.get("evidence", [])],
                    "to_raise": about.get("to_raise") or words.RAISE[name],
                    "further": about.get("further", -1),
                    "to_be_known": words.to_be_known(about.get("further", -1), False, name),
                }
            )
        return out

    def evidence_since(self) -> date | None:
        """Return the day of the earliest evidence about this person, if any."""
        since = self.explanation.get("since")
        return date.fromisoformat(since) if since else None

    def notes(self) -> list[str]:
        """Return the general remarks of the explanation (seed, vouching), in plain words."""
        return words.stored_notes(self.explanation) if self.explanation else []

    def to_raise(self) -> list[str]:
        """Return what would raise this person's trust, most useful first."""
        return words.stored_advice(self.explanation) if self.explanation else []

    def is_seed(self) -> bool:
        """Return whether this person is one of the established members trust is measured from."""
        return bool(self.explanation.get("is_seed", False))

    def vouchers(self) -> int:
        """Return how many colleagues vouch for this person (thanks, credits, ratings, kept
        commitments)."""
        return int(self.explanation.get("vouchers", 0))

    def needs_backing(self) -> bool:
        """Return whether what keeps overall trust unknown is vouching from established members
        (rather than the amount of evidence)."""
        return bool(self.explanation.get("needs_backing", not self.is_known()))

    def further(self) -> int:
        """Return how many more confirmed commitments would make overall trust known: 0 when
        known, -1 when more than the engine counts or when backing is what is missing."""
        return int(self.explanation.get("further", -1))


class TrustState(WorkState):
    """Per organisation: the engine's last stored result, and whether it is still current.

    Its input (see :class:`WorkState`) is the engine's: a trust event, an overturned dispute, a
    correction, a ring review; the stored result is the engine's result and the profiles.

    ``pending`` holds the ids of the trust events recorded since the stored result, which the
    worker folds into it with the engine's incremental update; ``full_due`` says that something
    only a full recompute can take in has happened (a decision about evidence, an admin's
    request). See :func:`cairn.trust.adapter.update_organisation` for the rule.

    Every trust event locks this row for a moment (:func:`cairn.trust.tasks.queue_pass`), so it
    holds only small fields: the engine's result, tens of megabytes at organisation size, is
    kept apart on :class:`StoredTrustResult`, which no request locks.
    """

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="trust_state"
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0.0)
    engine_version = models.CharField(max_length=40, blank=True)
    pending = models.JSONField(default=list, blank=True)
    full_due = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"trust state of organisation {self.organisation_id}"


class StoredTrustResult(models.Model):
    """Per organisation: the engine's last stored result (``cairn.trust.engine.stored``), for
    pairwise trust on pages and for the worker's next incremental pass.

    ``version`` is the input version it reflects (the state's ``stored_version`` once stored).
    A pass that stores locks this row first, so passes store one at a time, while requests,
    which lock only the small :class:`TrustState` row, never wait for the result's bytes.

    On PostgreSQL the table is unlogged and its bytes uncompressed (migration 0005): every
    pass rewrites them, and they are derived, so after a crash the emptied table means one
    full recompute. A read replica does not see an unlogged table: pairwise trust must be
    read from the primary.
    """

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="stored_trust_result"
    )
    version = models.BigIntegerField(default=-1)
    data = models.BinaryField(null=True, blank=True)
    #: The trust events that passes folded into the profiles since ``data`` was written (one
    #: list of ids a pass, in their order), while they kept the bytes: a process without the
    #: passes' own result folds them into ``data`` again rather than recomputing everyone.
    folded_since = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"stored trust result of organisation {self.organisation_id}"


class TrustSnapshot(models.Model):
    """A person's overall trust as stored in one week, kept so that pages can show how trust
    changed (before and after a programme, since joining a community) without recomputing the
    past in a request.

    One row per person and week (``week`` is its Monday); the scheduled job overwrites the
    current week's row, so a week's row holds the last trust stored in it.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_snapshots"
    )
    week = models.DateField()
    trust = models.FloatField()
    confidence = models.FloatField()
    known = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_trust_snapshot_a_week")
        ]
        indexes = [models.Index(fields=["organisation", "week"])]

    def __str__(self) -> str:
        return f"trust of {self.user_id} in the week of {self.week}: {self.trust:.2f}"
