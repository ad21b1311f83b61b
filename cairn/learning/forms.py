"""Forms for the learning pages; each maps onto one action's arguments."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cairn.communities.access import community_ids_of
from cairn.communities.models import Community
from cairn.fields import CommaSeparated, radio, score, text_box
from cairn.learning.models import CheckIn, Feedback, Goal, Relationship
from cairn.people.models import User
from cairn.people.pickers import PersonField


class GoalForm(forms.Form):
    title = forms.CharField(max_length=160, label="What do you want to learn?")
    why = text_box(3, required=False, max_length=4000, label="Why it matters to you")
    target_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="By when (optional)"
    )
    skills = CommaSeparated(
        label="Skills it grows", help_text="Separated by commas, e.g. SQL, writing."
    )
    visibility = radio(
        Goal.Visibility.choices, initial=Goal.Visibility.PARTNERS, label="Who can see it"
    )
    communities = forms.ModelMultipleChoiceField(
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Communities that help with it",
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["communities"].queryset = Community.objects.filter(  # type: ignore[attr-defined]
            pk__in=community_ids_of(user), archived_at__isnull=True
        )

    @classmethod
    def initial_for(cls, goal: Goal) -> dict[str, object]:
        return {
            "title": goal.title,
            "why": goal.why,
            "target_date": goal.target_date,
            "skills": [s.name for s in goal.skills.all()],
            "visibility": goal.visibility,
            "communities": list(goal.communities.all()),
            "progress": goal.progress_set,
        }

    def changes(self) -> dict[str, Any]:
        """Return the cleaned data in the shape the goal actions take."""
        data = dict(self.cleaned_data)
        data["communities"] = [c.pk for c in data["communities"]]
        return data


class GoalEditForm(GoalForm):
    progress = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label="Progress in percent (optional)",
        help_text="Leave empty to count the milestones you have ticked off.",
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(
        max_length=160,
        label="Next step",
        widget=forms.TextInput(attrs={"placeholder": "A small next step, e.g. read chapter 3"}),
    )


class ReflectionForm(forms.Form):
    text = text_box(3, max_length=4000, label="What did you try, notice or learn?")


class CloseGoalForm(forms.Form):
    outcome = radio(
        [
            (Goal.Status.ACHIEVED, "I achieved it"),
            (Goal.Status.SET_ASIDE, "I set it aside"),
        ],
        label="How did it end?",
    )
    reflection = text_box(4, max_length=4000, label="Looking back, what did you learn?")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=Relationship.Kind.choices, label="What are you asking for?")
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), label="For which of your goals?")
    message = text_box(
        4,
        max_length=4000,
        label="A few words to them",
        help_text="What you hope for, and how often you would like to meet.",
    )

    def __init__(self, *args: object, owner: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["goal"].queryset = Goal.objects.filter(  # type: ignore[attr-defined]
            owner=owner, status=Goal.Status.OPEN
        )


class DeclineForm(forms.Form):
    reason = text_box(
        2,
        max_length=2000,
        label="A kind reason",
        help_text="e.g. “I'm full this quarter — Carol knows this well.”",
    )


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="When",
        help_text="In your time zone.",
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=600, initial=60, label="Minutes")
    shared_notes = text_box(
        3,
        required=False,
        max_length=8000,
        label="Shared notes",
        help_text="Seen by everyone in this relationship and by colleagues who can see the goal.",
    )
    private_notes = text_box(
        3,
        required=False,
        max_length=8000,
        label="Private notes",
        help_text="Seen only by the people in this relationship. Never by anyone else.",
    )

    def __init__(self, *args: object, tz: str = "UTC", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.tz = tz

    def in_own_time_zone(self, value: datetime) -> datetime:
        """Return the browser's local wall-clock time read in the person's own time zone."""
        local = timezone.make_naive(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=zoneinfo.ZoneInfo(self.tz))

    def clean_held_at(self) -> datetime:
        return self.in_own_time_zone(self.cleaned_data["held_at"])


class CompleteForm(forms.Form):
    reflection = text_box(
        3,
        max_length=4000,
        label="Your closing reflection",
        help_text="What did you learn together? The others in the relationship will read it.",
    )


class AddMemberForm(forms.Form):
    role = forms.ChoiceField(
        choices=[("learner", "Learner"), ("mentor", "Mentor"), ("peer", "Peer")]
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"] = PersonField(chooser=user, label="Colleague")
        self.order_fields(["person", "role"])


class FeedbackForm(forms.Form):
    helpfulness = score("Helpfulness")
    responsiveness = score("Responsiveness")
    openness = score("Openness and honesty")
    presence = score("Presence")
    comment = text_box(
        3,
        required=False,
        max_length=4000,
        label="A private comment (optional)",
        help_text="They see it only mixed in with others' comments, never with your name.",
    )

    def scores(self) -> dict[str, int]:
        return {d: self.cleaned_data[d] for d in Feedback.DIMENSIONS}


class RhythmForm(forms.Form):
    rhythm_days = forms.TypedChoiceField(
        choices=Relationship.Rhythm.choices, coerce=int, label="How often you meet"
    )


class ProposeForm(SessionForm):
    """A next session to propose: when (in the proposer's time zone), how long, a line.

    Prefixed: it sits on the same page as the form that logs a session."""

    prefix = "propose"

    held_at = None  # type: ignore[assignment]
    shared_notes = None  # type: ignore[assignment]
    private_notes = None  # type: ignore[assignment]
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Date and time",
        help_text="In your time zone.",
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=600, initial=60, label="How long", help_text="In minutes."
    )
    message = text_box(2, required=False, max_length=2000, label="A line for the others (optional)")

    field_order = ["starts_at", "duration_minutes", "message"]

    def clean_starts_at(self) -> datetime:
        return self.in_own_time_zone(self.cleaned_data["starts_at"])


class CloseForm(forms.Form):
    reason = radio(Relationship.CloseReason.choices, label="Why you close it")
    reflection = text_box(
        2,
        required=False,
        max_length=4000,
        label="A closing line (optional)",
        help_text="The others in the relationship will read it. Closing is never held against "
        "anyone.",
    )


class CheckInForm(forms.Form):
    usefulness = score("How useful is it for you? (1 = not at all, 5 = very)")
    goal_moving = radio(CheckIn.Progress.choices, label="Is the goal moving?")
    note_for_admins = text_box(
        2,
        required=False,
        max_length=2000,
        label="Anything the organisation's admins should know? (optional)",
        help_text="Only the admins read this — never the others in the relationship.",
    )
