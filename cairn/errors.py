"""The error every action raises when its input cannot be accepted, and the one way pages turn
it into a response (the API's is the exception handler in ``cairn.api.main``): a form page runs
its action through :func:`form_page`, a button through :func:`button` (or, where the page does
more than one thing, :func:`refuse`)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render


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


#: Where a page goes on to: a URL name, a URL or a model, as ``redirect`` takes it.
type Target = str | Model

#: What a page says and where it goes after its action: fixed, or made from what the action
#: returned.
type Said[Done] = str | Callable[[Done], str] | None
type GoesTo[Done] = Target | Callable[[Done], Target]


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


def refuse(request: HttpRequest, error: ActionError, to: Target) -> HttpResponse:
    """Tell the person why a button did nothing, then go back to ``to`` (a URL
    name, a URL or a model, as ``redirect`` takes); a 404 or 403 becomes
    that page."""
    _raise_if_not_theirs(error)
    messages.error(request, error.message)
    target: Any = to  # a model: redirect asks its URL
    return redirect(target)


def _go_on[Done](
    request: HttpRequest, done: Done, success: Said[Done], to: GoesTo[Done]
) -> HttpResponse:
    """Say ``success`` and go on ``to``, each fixed or made from what the action returned."""
    if success:
        messages.success(request, success(done) if callable(success) else success)
    target: Any = to(done) if callable(to) else to  # a model: redirect asks its URL
    return redirect(target)


def button[Done](
    request: HttpRequest,
    act: Callable[[], Done],
    *,
    success: Said[Done],
    to: GoesTo[Done],
    back: Target | None = None,
    refused: Callable[[ActionError], HttpResponse] | None = None,
) -> HttpResponse:
    """The answer to a button (a POST without a form to show again): ``act()`` runs, then
    ``success`` is said and the person goes on ``to``, as for :func:`form_page`.

    A refusal is said and the person goes ``back`` (by default ``to``, which must then be a
    target rather than a callable) with :func:`refuse`, so a 404 or 403 becomes that page; or
    ``refused(error)`` makes the answer, for a page that shows a refusal otherwise.
    """
    try:
        done = act()
    except ActionError as error:
        if refused is not None:
            return refused(error)
        if back is None:
            if callable(to):
                raise TypeError("A button going on to a callable says where to go back.") from error
            back = to
        return refuse(request, error, back)
    return _go_on(request, done, success, to)


def form_page[Done](
    request: HttpRequest,
    form: BaseForm,
    act: Callable[[dict[str, Any]], Done],
    *,
    success: Said[Done],
    to: GoesTo[Done],
    page: Callable[[BaseForm], HttpResponse] | None = None,
    template: str = "",
    context: dict[str, Any] | None = None,
    fresh: Callable[[], BaseForm] | None = None,
    renamed: dict[str, str] | None = None,
) -> HttpResponse:
    """The page of a form that runs one action: shown on GET; on a POST with valid input,
    ``act(form.cleaned_data)`` runs, ``success`` is said (a sentence, or made from what the
    action returned) and the person goes on ``to`` a URL name, URL or model (or a callable
    making one from what the action returned).

    Otherwise the page is shown again with the form's errors, from ``page(form)`` or from
    ``template`` with ``context`` and the form: 422 for invalid input, the refusal's own status
    (409, 429 with Retry-After) for an action's, and a 404 or 403 becomes that page. In an htmx
    swap the fragment comes back 200 (htmx swaps no 4xx), and ``fresh`` (if given) makes the
    empty form it shows after success, in place of the message and going on. ``renamed`` maps
    an action's field names to the form's, as for :func:`add_action_error`.
    """
    status = 200
    refused: ActionError | None = None
    if request.method == "POST":
        if form.is_valid():
            try:
                done = act(form.cleaned_data)
            except ActionError as error:
                add_action_error(form, error, renamed)
                refused = error
            else:
                if fresh is not None and getattr(request, "htmx", False):
                    form = fresh()
                else:
                    return _go_on(request, done, success, to)
        if form.errors:
            status = refused.status if refused is not None else 422
    if page is not None:
        response = page(form)
    else:
        response = render(request, template, {**(context or {}), "form": form})
    if getattr(request, "htmx", False):
        return response
    response.status_code = status
    if refused is not None and refused.retry_after is not None:
        response["Retry-After"] = str(refused.retry_after)
    return response
