"""Form helpers shared by every app's pages."""

from typing import Any

from cairn.errors import ActionError


def add_action_error(form: Any, error: ActionError) -> None:
    """Show an action's refusal on the form: on its field when the form has it, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
