"""Small checks every app's actions share, each refusing with an ``ActionError`` naming the
field (so no app imports another's actions, or ``cairn.web``, for them)."""

from typing import Any

from cairn.errors import ActionError


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
