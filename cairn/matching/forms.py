"""Forms for the matching pages; each maps onto one action's arguments."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cairn.fields import radio, text_box
from cairn.learning.models import Goal
from cairn.matching.models import Participant, Program

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FastSelect(forms.Select):
    """A select rendered in Python: a program's review page lists thousands of people in its
    adjustment forms, and the template-per-option widget took seconds to draw them."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs or {})
        final["name"] = name
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                # A constant attribute with no user input in it, so safe to mark safe.
                (str(v), mark_safe(" selected") if str(v) == chosen else "", label)  # noqa: S308  # nosec B308
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For example “Spring mentoring 2027”.")
    description = text_box(
        4,
        required=False,
        max_length=4000,
        help_text="Who it is for, how long it runs, how often pairs meet.",
    )
    opens_at = forms.DateTimeField(widget=DATETIME, label="Sign-ups open")
    closes_at = forms.DateTimeField(widget=DATETIME, label="Sign-ups close")
    questions = text_box(
        3,
        required=False,
        label="Questions for people signing up",
        help_text="One per line. For a choice, add the choices after a colon: "
        "“How often would you meet: Weekly | Monthly”.",
    )
    same_department = forms.ChoiceField(
        choices=Program.DepartmentRule.choices,
        initial=Program.DepartmentRule.ALLOW,
        label="Mentor's department",
    )
    objective = forms.ChoiceField(
        choices=Program.Objective.choices,
        initial=Program.Objective.TOTAL,
        label="The matching aims for",
    )


class SignUpForm(forms.Form):
    role = radio(
        [("mentee", "Mentee: I want a mentor"), ("mentor", "Mentor: I will mentor")],
        label="I sign up as",
    )
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="Mentees: for which of your goals?",
        empty_label="None in particular",
    )
    goal_text = text_box(
        2,
        required=False,
        max_length=2000,
        label="Mentees: what do you want to grow?",
        help_text="In your own words; we match it with what mentors offer.",
    )
    picks = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Mentees: mentors you would like (up to 3)",
        help_text="Your picks count as preferences, not promises.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10,
        initial=1,
        required=False,
        label="Mentors: how many mentees can you take?",
    )

    def __init__(
        self, *args: Any, program: Program, user: Any, mentors: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["goal"].queryset = Goal.objects.filter(  # type: ignore[attr-defined]
            owner=user, status=Goal.Status.OPEN
        )
        self.fields["picks"].choices = [  # type: ignore[attr-defined]
            (str(m.user_id), m.user.profile.name) for m in mentors if m.user_id != user.pk
        ]
        for q in program.questions:
            if q["kind"] == "choice":
                self.fields[q["id"]] = forms.ChoiceField(
                    choices=[("", "—"), *((c, c) for c in q["choices"])],
                    required=False,
                    label=q["label"],
                )
            else:
                self.fields[q["id"]] = forms.CharField(
                    required=False, max_length=1000, label=q["label"]
                )

    @staticmethod
    def initial_for(participant: Participant) -> dict[str, Any]:
        return {
            "role": participant.role,
            "goal": participant.goal_id,
            "goal_text": participant.goal_text,
            "picks": [str(p) for p in participant.picks],
            "capacity": participant.capacity or 1,
            **participant.answers,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "answers": {q["id"]: data.get(q["id"], "") for q in self.program.questions},
            "capacity": data.get("capacity") or 1,
            "goal": data.get("goal"),
            "goal_text": data.get("goal_text", ""),
            "picks": [int(p) for p in data.get("picks") or []],
        }

    def question_fields(self) -> list[Any]:
        return [self[q["id"]] for q in self.program.questions]


class RunForm(forms.Form):
    objective = radio(Program.Objective.choices, label="Aim for")


def _choices(participants: Any, empty: str | None = None) -> list[tuple[str, str]]:
    out = [("", empty)] if empty is not None else []
    return out + [(str(p.pk), p.user.profile.name) for p in participants]


class ReassignForm(forms.Form):
    mentee = forms.TypedChoiceField(coerce=int, choices=[], widget=FastSelect)
    mentor = forms.TypedChoiceField(
        coerce=int,
        choices=[],
        required=False,
        empty_value=None,
        label="New mentor",
        widget=FastSelect,
    )

    def __init__(self, *args: Any, mentees: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = _choices(mentees)  # type: ignore[attr-defined]
        self.fields["mentor"].choices = _choices(mentors, "No mentor")  # type: ignore[attr-defined]


class SwapForm(forms.Form):
    mentee = forms.TypedChoiceField(coerce=int, choices=[], widget=FastSelect)
    other = forms.TypedChoiceField(
        coerce=int, choices=[], label="Swap mentors with", widget=FastSelect
    )

    def __init__(self, *args: Any, mentees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = _choices(mentees)  # type: ignore[attr-defined]
        self.fields["other"].choices = _choices(mentees)  # type: ignore[attr-defined]


class ExcludeForm(forms.Form):
    mentee = forms.TypedChoiceField(coerce=int, choices=[], widget=FastSelect)
    mentor = forms.TypedChoiceField(coerce=int, choices=[], widget=FastSelect)

    def __init__(self, *args: Any, mentees: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = [  # type: ignore[attr-defined]
            (str(p.user_id), p.user.profile.name) for p in mentees
        ]
        self.fields["mentor"].choices = [  # type: ignore[attr-defined]
            (str(p.user_id), p.user.profile.name) for p in mentors
        ]
