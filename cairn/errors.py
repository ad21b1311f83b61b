"""The error every action raises when its input cannot be accepted, and the one way pages turn
it into a response (the API's is the exception handler in ``cairn.api.main``)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect


class ActionError(Exception):
    """Input an action refuses: ``field`` names what was wrong (or None), ``message`` says why.

    ``status`` says what kind of refusal it is: 404 the thing is not visible to the actor,
    403 visible but not theirs to change, 409 a conflict with its current state, 422 invalid
    input. Pages: :func:`add_action_error` and :func:`refuse`; the API: the same status with
    the field; the CLI: exit 2.
    ``retry_after`` (seconds) says when a refused limit frees up; a 429 sends it as Retry-After.
    """

    def __init__(
        self,
        message: str,
        field: str | None = None,
        status: int = 422,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after


def _raise_if_not_theirs(error: ActionError) -> None:
    if error.status == 404:
        raise Http404(error.message)
    if error.status == 403:
        raise PermissionDenied(error.message)


def add_action_error(form: Any, error: ActionError, renamed: dict[str, str] | None = None) -> None:
    """Show an action's refusal on the form: on its field when the form has it (``renamed``
    maps an action's field to the form's), else on top; a 404 or 403 becomes that page."""
    _raise_if_not_theirs(error)
    field = (renamed or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def refuse(request: HttpRequest, error: ActionError, to: Any, *args: object) -> HttpResponse:
    """Tell the person why a button did nothing, then go back to ``to`` (a URL
    name, a URL or a model, as ``redirect`` takes); a 404 or 403 becomes
    that page."""
    _raise_if_not_theirs(error)
    messages.error(request, error.message)
    return redirect(to, *args)
