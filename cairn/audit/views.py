"""The audit log page and its CSV export, for an organisation's admins."""

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cairn.audit.forms import AuditFilterForm
from cairn.audit.models import AuditEntry
from cairn.checks import organisation_of
from cairn.http import SignedInRequest, page_of
from cairn.spreadsheet import csv_lines

PAGE_SIZE = 50
CSV_HEADER = ("time", "actor", "action", "target", "ip", "user_agent", "details")


def _entries(request: SignedInRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    return form, form.filter(AuditEntry.objects.visible_to(request.user))


@login_required
def audit_log(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    form, entries = _entries(request)
    page = page_of(request, entries, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "retention_days": settings.CAIRN_AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/log.html", context)


def _rows(entries: object) -> Iterator[str]:
    rows = (
        (
            entry.created_at,
            entry.actor_label,
            entry.action,
            entry.target,
            entry.ip,
            entry.user_agent,
            entry.details,
        )
        for entry in entries.iterator(chunk_size=2000)  # type: ignore[attr-defined]
    )
    return csv_lines(CSV_HEADER, rows)


@login_required
def audit_export(request: SignedInRequest) -> HttpResponse | StreamingHttpResponse:
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    _, entries = _entries(request)
    name = f"audit-{organisation_of(request.user).slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
