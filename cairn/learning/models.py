"""Learning goals with their milestones and reflections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


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

    def is_overdue(self, today=None) -> bool:
        """Return whether an open goal is past its target date."""
        today = today or timezone.localdate()
        return self.is_open() and self.target_date is not None and self.target_date < today

    def is_visible_to(self, user) -> bool:
        """Return whether ``user`` may see this goal (see the class docstring)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.pk == self.owner_id:
            return True
        if user.organisation_id != self.organisation_id:
            return False
        if self.visibility == self.Visibility.ORGANISATION:
            return True
        if self.visibility == self.Visibility.PARTNERS:
            from cairn.learning.access import active_partner_ids

            return user.pk in active_partner_ids(self.owner)
        return False


class Milestone(models.Model):
    """A step towards a goal, ticked off when reached."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=160)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

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

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]
