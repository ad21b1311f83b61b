"""Small checks every app's actions share, each refusing with an ``ActionError`` naming the
field (so no app imports another's actions, or ``cairn.web``, for them)."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from cairn.errors import ActionError

if TYPE_CHECKING:
    from cairn.people.models import Organisation, User

#: A second submission of the same thing within this window returns what the first one made.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)


def just_submitted[M: models.Model](made: models.QuerySet[M]) -> M | None:
    """Return the first of ``made`` created within the double-submit window, or None."""
    return made.filter(created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW).first()


def clean_text(
    value: str | None, field: str, label: str, max_length: int, required: bool = True
) -> str:
    """Return ``value`` stripped, or refuse it when missing (if required) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ActionError(f"Please write {label}.", field=field)
    if len(value) > max_length:
        raise ActionError(f"Please keep {label} under {max_length} characters.", field=field)
    return value


def check_aware(when: datetime | None, field: str) -> datetime:
    """Return ``when`` if it carries its time zone; else refuse the field that gave it."""
    if when is None or timezone.is_naive(when):
        raise ActionError("Give the time with its time zone.", field=field)
    return when


def check_ahead(
    when: datetime, field: str, now: datetime, within: timedelta, *, past: str, too_far: str
) -> None:
    """Refuse ``when`` unless it carries its time zone, is after ``now`` and at most ``within``
    after it; ``past`` and ``too_far`` say what is wrong in the words of the action."""
    check_aware(when, field)
    if when <= now:
        raise ActionError(past, field=field)
    if when > now + within:
        raise ActionError(too_far, field=field)


def check_org_admin(user: "User", may: str) -> None:
    """Refuse (403) anyone but an admin of their organisation; ``may`` says what only admins
    may do ("run programs")."""
    if not user.is_org_admin:
        raise ActionError(f"Only organisation admins can {may}.", status=403)


def check_colleague(actor: Any, person: Any, field: str) -> Any:
    """Return ``person`` if they are an active colleague of ``actor``; else refuse the field
    that named them (422: it is input, not a page that was asked for)."""
    if (
        person is None
        or not person.is_active
        or person.organisation_id is None
        or person.organisation_id != actor.organisation_id
    ):
        raise ActionError("No such colleague.", field=field)
    return person


def organisation_of(person: "User") -> "Organisation":
    """Return the organisation ``person`` acts in; refuse (403) platform staff, who have none.

    What a member writes or reads belongs to their organisation, so an action or page that
    needs it asks here rather than passing a ``None`` on into a query or a new row.
    """
    if person.organisation is None:
        raise ActionError("Only members of an organisation can do this.", status=403)
    return person.organisation


def organisation_id_of(person: "User") -> int:
    """Return the id of the organisation ``person`` acts in; refuse platform staff (403)."""
    if person.organisation_id is None:
        raise ActionError("Only members of an organisation can do this.", status=403)
    return person.organisation_id
