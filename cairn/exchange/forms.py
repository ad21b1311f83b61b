"""Forms for the exchange pages; each maps onto one action's arguments."""

from typing import Any

from django import forms
from django.urls import reverse_lazy

from cairn.communities.models import Community
from cairn.exchange.models import Post
from cairn.fields import CommaSeparated, text_box
from cairn.learning.models import Goal
from cairn.markdown import MARKDOWN_HELP
from cairn.people.models import User
from cairn.people.pickers import PeopleField, PersonField

CREDIT_ROWS = 3


class AskForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="What do you need help with?",
        # As the title is typed, answered requests and lessons that match it show below it.
        widget=forms.TextInput(
            attrs={
                "hx-get": reverse_lazy("search_answered"),
                "hx-trigger": "input changed delay:400ms, load",
                "hx-target": "#answered-already",
                "autocomplete": "off",
            }
        ),
    )
    details = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=8000,
        help_text=f"What you tried, what would help, by when. {MARKDOWN_HELP}",
    )
    skills = CommaSeparated(help_text="Separated by commas, e.g. SQL, Excel.")
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Ask in a community (optional)",
    )
    goal: forms.ModelChoiceField[Goal] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="It serves my goal (optional)",
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["directed_to"] = PeopleField(
            chooser=user,
            required=False,
            label="Ask particular people (optional)",
            help_text="They will be asked directly. Start typing a name and pick; add more "
            "after a comma. Leave empty to ask everyone.",
        )
        self.order_fields(["title", "details", "skills", "directed_to", "community", "goal"])
        self.fields["community"].queryset = Community.objects.readable_by(user).filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        )
        self.fields["goal"].queryset = Goal.objects.filter(owner=user, status="open")  # type: ignore[attr-defined]

    def action_kwargs(self) -> dict[str, Any]:
        """Return the cleaned data in the shape ``do_ask`` takes."""
        data = dict(self.cleaned_data)
        data["directed_to"] = [p.user for p in data["directed_to"]]
        return data


class RespondForm(forms.Form):
    body = text_box(4, max_length=8000, label="Your response", help_text=MARKDOWN_HELP)


class CommentForm(forms.Form):
    body = text_box(3, max_length=8000, label="Your comment", help_text=MARKDOWN_HELP)


class PostForm(forms.Form):
    kind = forms.ChoiceField(choices=Post.Kind.choices, widget=forms.HiddenInput)
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, max_length=20000)
    learned = forms.CharField(widget=forms.Textarea, max_length=20000, required=False)
    skills = CommaSeparated(help_text="Separated by commas.")
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Share in a community (optional)",
        help_text="Leave empty to share with the whole organisation.",
    )

    def __init__(self, *args: object, user: User, kind: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["community"].queryset = Community.objects.readable_by(user).filter(  # type: ignore[attr-defined]
            archived_at__isnull=True
        )
        self.initial.setdefault("kind", kind)
        if kind == Post.Kind.LESSON:
            self.fields["title"].help_text = "For example “The migration I ran on a Friday”."
            self.fields["body"].label = "What happened, and what went wrong"
            self.fields[
                "body"
            ].help_text = (
                f"Plainly, without blame: what you expected, what happened instead. {MARKDOWN_HELP}"
            )
            self.fields["learned"].label = "What I learned, and what I'd do differently"
            self.fields["learned"].required = True
            self.fields["learned"].help_text = "The part that will save a colleague a bad day."
        else:
            self.fields["body"].label = "What you want to share"
            self.fields[
                "body"
            ].help_text = f"A how-to, a checklist, a trick that saved you time. {MARKDOWN_HELP}"
            del self.fields["learned"]


class CreditForm(forms.Form):
    """Up to three people to credit, each with a line saying what they gave."""

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, CREDIT_ROWS + 1):
            self.fields[f"recipient_{i}"] = PersonField(
                chooser=user, required=False, label=f"Person {i}"
            )
            self.fields[f"line_{i}"] = forms.CharField(
                max_length=300,
                required=False,
                label=f"What person {i} gave",
                help_text="For example “Reviewed my query and showed me window functions”.",
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for i in range(1, CREDIT_ROWS + 1):
            if data.get(f"recipient_{i}") and not (data.get(f"line_{i}") or "").strip():
                self.add_error(f"line_{i}", "Say in a few words what they gave.")
        return data

    def rows(self) -> list[tuple[User, str]]:
        """Return the (person, line) pairs filled in."""
        return [
            (self.cleaned_data[f"recipient_{i}"].user, self.cleaned_data[f"line_{i}"])
            for i in range(1, CREDIT_ROWS + 1)
            if self.cleaned_data.get(f"recipient_{i}")
        ]

    def row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Return the bound fields in pairs, for the template."""
        return [(self[f"recipient_{i}"], self[f"line_{i}"]) for i in range(1, CREDIT_ROWS + 1)]


class ThanksForm(forms.Form):
    note = text_box(
        3, max_length=1000, label="Your note", help_text="What they did and what it meant to you."
    )
    about = forms.CharField(required=False, widget=forms.HiddenInput)
