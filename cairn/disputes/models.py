"""Disputes: a person contests one item of evidence about them; a reviewer decides."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class DisputeQuerySet(models.QuerySet["Dispute"]):
    @built_once_per_viewer
    def visible_to(self, user: object) -> "DisputeQuerySet":
        """Return the disputes ``user`` may see: those they opened or review, all of their
        organisation's for its admins."""
        organisation_id = getattr(user, "organisation_id", None)
        if not getattr(user, "is_authenticated", False) or organisation_id is None:
            return self.none()
        mine = self.filter(organisation_id=organisation_id)
        if getattr(user, "is_org_admin", False):
            return mine
        return mine.filter(models.Q(opened_by_id=user.pk) | models.Q(reviewer_id=user.pk))  # type: ignore[attr-defined]


class Dispute(models.Model):
    """ "This commitment was not missed": one contested ledger event and its review.

    The reviewer is the counterpart who gave the evidence (for a commitment marked missed) or,
    for feedback, only the organisation's admins, so the giver of a rating is never revealed.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        UPHELD = "upheld", "Upheld: the evidence stands"
        OVERTURNED = "overturned", "Overturned: the evidence no longer counts"

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    event = models.OneToOneField("ledger.Event", on_delete=models.CASCADE, related_name="dispute")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disputes_opened"
    )
    # Who may review besides admins (None: admins only).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes_to_review",
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_reason = models.CharField(max_length=500, blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        what = {"missed": "a missed commitment", "content_hidden": "a hiding"}.get(
            self.event.verb, "a rating"
        )
        return f"the dispute of {what}"

    def get_absolute_url(self) -> str:
        return reverse("dispute", args=[self.pk])

    def is_open(self) -> bool:
        """Return whether the dispute still waits for a review."""
        return self.status == self.Status.OPEN

    def can_review(self, user: object) -> bool:
        """Return whether ``user`` may decide this dispute (the reviewer or an admin, never the
        person who opened it)."""
        pk = getattr(user, "pk", None)
        if pk is None or pk == self.opened_by_id:
            return False
        same_org = getattr(user, "organisation_id", None) == self.organisation_id
        return same_org and (pk == self.reviewer_id or bool(getattr(user, "is_org_admin", False)))
