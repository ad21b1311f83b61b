"""Pages for people's data: a copy, erasure, and admins' CSV exports. Each parses its input,
calls one action and renders."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cairn.errors import ActionError, add_action_error, button, form_page, refuse
from cairn.http import SignedInRequest
from cairn.people.models import User
from cairn.privacy import actions, reports
from cairn.privacy.forms import EraseForm
from cairn.privacy.models import DataExport


def _not_allowed(request: HttpRequest, error: ActionError) -> HttpResponse:
    if error.status == 403:
        return render(request, "people/not_admin.html", status=403)
    return render(request, "web/no_organisation.html", status=error.status)


def _report_links() -> list[tuple[reports.Report, str]]:
    return [(r, reverse(f"export_{r.name.replace('-', '_')}")) for r in reports.REPORTS.values()]


def _exports_of(request: SignedInRequest, person: User) -> QuerySet[DataExport]:
    return DataExport.objects.visible_to(request.user).filter(person=person).defer("archive")


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: SignedInRequest) -> HttpResponse:
    """A person's copies of their data, the button to ask for one, and the way to erasure."""
    if request.method == "POST":
        return button(
            request,
            lambda: actions.do_request_data_export(request.user, request.user),
            success="We are preparing your copy; it appears here when ready.",
            to="my_data",
            refused=lambda error: _not_allowed(request, error),
        )
    context = {"exports": _exports_of(request, request.user), "kept_days": 7}
    return render(request, "privacy/my_data.html", context)


@login_required
@require_GET
def download_export(request: SignedInRequest, export_id: int) -> HttpResponse:
    """The zip of a ready copy, for the person who asked for it only."""
    try:
        export = actions.do_download_data_export(request.user, export_id)
    except ActionError as error:
        return refuse(request, error, "my_data")
    archive = export.archive
    assert archive is not None  # a ready copy always has its zip
    response = HttpResponse(bytes(archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: SignedInRequest) -> HttpResponse:
    """Erase one's own account after typing one's email; signed out afterwards."""

    def erase(data: dict[str, Any]) -> None:
        actions.do_erase_account(request.user, request.user, data["confirm"])
        logout(request)

    return form_page(
        request,
        EraseForm(request.POST or None),
        erase,
        success="Your account is erased. Thank you for your time here.",
        to="landing",
        template="privacy/delete_account.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_data(request: SignedInRequest, handle: str) -> HttpResponse:
    """An admin asks for a copy of a member's data, or erases the member's account."""
    try:
        member = actions.member_for(request.user, handle)
    except ActionError as error:
        return _not_allowed(request, error)
    form = EraseForm(request.POST if request.POST.get("action") == "erase" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "erase":
                if form.is_valid():
                    actions.do_erase_account(request.user, member, form.cleaned_data["confirm"])
                    messages.success(request, "The account is erased.")
                    return redirect("people")
            else:
                actions.do_request_data_export(request.user, member)
                messages.success(request, "The copy is being prepared; it appears here.")
                return redirect("member_data", handle)
        except ActionError as error:
            add_action_error(form, error)
    context = {
        "member": member,
        "profile": member.profile,
        "exports": _exports_of(request, member),
        "form": form,
    }
    return render(request, "privacy/member_data.html", context, status=422 if form.errors else 200)


@login_required
@require_GET
def exports(request: SignedInRequest) -> HttpResponse:
    """The admins' page of CSV downloads."""
    try:
        reports.check_insights(request.user)
    except ActionError as error:
        return _not_allowed(request, error)
    return render(request, "privacy/exports.html", {"reports": _report_links()})


@login_required
@require_GET
def export_report(request: SignedInRequest, report: str) -> HttpResponseBase:
    """One report as CSV, streamed row by row; a bad date range shows the page with why."""
    try:
        start = reports.parse_day(request.GET.get("from"), "from")
        end = reports.parse_day(request.GET.get("to"), "to")
        name, lines = reports.do_export_report(request.user, report, start, end)
    except ActionError as error:
        if error.status in (403, 404):
            return _not_allowed(request, error)
        context = {"reports": _report_links(), "error": error, "query": request.GET}
        return render(request, "privacy/exports.html", context, status=error.status)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
