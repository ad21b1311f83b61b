"""Choosing people in a form: one text box with type-ahead, that works without JavaScript too.

A person is written as ``Name (handle)``, which is what the type-ahead puts in the box. Without
JavaScript a person may type that, a bare handle, an email address or a name that only one
colleague has; the field resolves every entry in one query over the people the chooser may
see (``Profile.objects.visible_to``) and names what it could not match. Several people go in
one box, separated by commas.

The type-ahead (``static/cairn/picker.js``, the ARIA combobox pattern) asks ``pick_people``
for the first few matches of what is typed after the last comma, via htmx.
"""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse

from cairn.people.models import Profile, User

#: How many people the type-ahead offers at once.
SUGGESTIONS = 8
_WRITTEN = re.compile(r"^(?P<name>.*?)\s*\((?P<handle>[a-z0-9][a-z0-9._-]*)\)$")
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def written(person: Profile) -> str:
    """Return how a picked person is written in a picker box: ``Name (handle)``."""
    return f"{person.name} ({person.handle})"


def suggestions(chooser: User, typed: str) -> QuerySet[Profile]:
    """Return the first colleagues (not the chooser) whose name, handle, title or department
    starts a word with what was typed, by name; one query whatever the directory's size."""
    typed = typed.strip()[:100]
    people = Profile.objects.visible_to(chooser).exclude(user_id=chooser.pk)
    for word in typed.split():
        people = people.filter(
            Q(name__istartswith=word)
            | Q(name__icontains=f" {word}")
            | Q(handle__istartswith=word)
            | Q(title__icontains=word)
            | Q(department__name__istartswith=word)
        )
    return people.select_related("department").order_by("name", "pk")[:SUGGESTIONS]


class PeoplePicker(forms.TextInput):
    """A text box that offers colleagues as one types (an ARIA combobox driven by htmx)."""

    template_name = "people/_picker.html"

    def __init__(self, *, many: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.many = many

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Profile):
            return written(value)
        if isinstance(value, list | tuple):
            return ", ".join(written(v) if isinstance(v, Profile) else str(v) for v in value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["many"] = self.many
        context["widget"]["source"] = f"{reverse('pick_people')}?field={name}"
        return context


def _entries(value: Any) -> list[str]:
    """Return the people written in the box (or boxes), one entry each."""
    values = value if isinstance(value, list | tuple) else [value or ""]
    entries: list[str] = []
    for text in values:
        entries += [part.strip() for part in str(text).split(",") if part.strip()]
    return entries


def resolve(chooser: User, entries: Iterable[str]) -> tuple[list[Profile], list[str]]:
    """Return the colleagues the entries name (in order, once each) and the entries that name
    nobody, or more than one person, among the people ``chooser`` may see; one query."""
    entries = list(entries)
    handles, emails, names = set(), set(), set()
    for entry in entries:
        match = _WRITTEN.match(entry)
        if match:
            handles.add(match["handle"])
        elif "@" in entry:
            emails.add(entry.lower())
        else:
            names.add(entry.lower())
            if _HANDLE.match(entry):
                handles.add(entry)
    wanted = Q(handle__in=handles) | Q(user__email__in=emails)
    for name in names:
        wanted |= Q(name__iexact=name)
    found = list(
        Profile.objects.visible_to(chooser).filter(wanted).select_related("user") if entries else []
    )
    by_handle = {p.handle: p for p in found}
    by_email = {p.user.email.lower(): p for p in found}
    by_name: dict[str, list[Profile]] = {}
    for p in found:
        by_name.setdefault(p.name.lower(), []).append(p)
    people: list[Profile] = []
    unknown: list[str] = []
    for entry in entries:
        match = _WRITTEN.match(entry)
        if match:
            person = by_handle.get(match["handle"])
        elif "@" in entry:
            person = by_email.get(entry.lower())
        else:
            same = by_name.get(entry.lower(), [])
            person = by_handle.get(entry) or (same[0] if len(same) == 1 else None)
        if person is None:
            unknown.append(entry)
        elif person not in people:
            people.append(person)
    return people, unknown


class _PickerMixin:
    """What the single and multiple pickers share: the chooser, and the words of a refusal."""

    chooser: User
    exclude_chooser = True

    def _pick(self, value: Any) -> list[Profile]:
        people, unknown = resolve(self.chooser, _entries(value))
        if unknown:
            raise ValidationError(
                "No colleague found for %(entries)s: pick from the list as you type, or write "
                "their handle or email.",
                code="unknown",
                params={"entries": ", ".join(f"“{e}”" for e in unknown)},
            )
        if self.exclude_chooser and any(p.user_id == self.chooser.pk for p in people):
            raise ValidationError("Choose someone other than yourself.", code="self")
        return people


class PersonField(_PickerMixin, forms.Field):
    """One colleague, chosen with a type-ahead box; cleans to a :class:`Profile`."""

    def __init__(self, *, chooser: User, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PeoplePicker())
        kwargs.setdefault("help_text", "Start typing a name, then pick from the list.")
        super().__init__(**kwargs)
        self.chooser = chooser

    def clean(self, value: Any) -> Profile | None:
        entries = _entries(value)
        if not entries:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        people = self._pick(value)
        if len(people) > 1:
            raise ValidationError("Choose one person.", code="many")
        return people[0]


class PeopleField(_PickerMixin, forms.Field):
    """Any number of colleagues in one type-ahead box, separated by commas; cleans to a list
    of :class:`Profile`."""

    def __init__(self, *, chooser: User, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PeoplePicker(many=True))
        kwargs.setdefault("help_text", "Start typing a name, then pick; add more after a comma.")
        super().__init__(**kwargs)
        self.chooser = chooser

    def clean(self, value: Any) -> list[Profile]:
        if not _entries(value):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return self._pick(value)
