"""API endpoints for people's data: copies of one's data (or, for admins, a member's), and the
admins' CSV exports, streamed."""

from datetime import date, datetime
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.privacy import actions, reports
from cairn.privacy.models import DataExport

router = Router(tags=["privacy"])


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    """A refused input: ``loc`` names the field (e.g. ``["query", "from"]``), ``msg`` why."""

    detail: list[dict[str, Any]]


class DataExportOut(Schema):
    id: int
    person: str
    status: str
    created_at: datetime
    ready_at: datetime | None
    expires_at: datetime
    size: int
    download: str | None

    @staticmethod
    def resolve_person(obj: DataExport) -> str:
        return obj.person.profile.handle

    @staticmethod
    def resolve_download(obj: DataExport) -> str | None:
        if not obj.is_downloadable():
            return None
        return f"/api/v1/me/data-exports/{obj.pk}/download"


REFUSALS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "The CSV, streamed as it is read (no row limit).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}
ZIP_RESPONSE = {
    "responses": {
        "200": {
            "description": "The zip: data.json and one CSV per table.",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _exports(request: SignedInRequest) -> Any:
    return (
        DataExport.objects.visible_to(request.user)
        .select_related("person__profile")
        .defer("archive")
    )


@router.post(
    "/me/data-exports",
    response={202: DataExportOut, **REFUSALS},
    summary="Ask for a copy of your data (built in the background, kept 7 days)",
)
def request_my_data(request: SignedInRequest) -> Status:
    export = actions.do_request_data_export(request.user, request.user)
    return Status(202, _exports(request).get(pk=export.pk))


@router.post(
    "/people/{handle}/data-exports",
    response={202: DataExportOut, **REFUSALS},
    summary="Ask for a copy of a member's data (admins only; the member is told)",
)
def request_member_data(request: SignedInRequest, handle: str) -> Status:
    member = actions.member_for(request.user, handle)
    export = actions.do_request_data_export(request.user, member)
    return Status(202, _exports(request).get(pk=export.pk))


@router.get(
    "/me/data-exports",
    response={200: list[DataExportOut], 401: ErrorOut},
    summary="The copies of data you asked for",
)
def my_data_exports(request: SignedInRequest) -> Any:
    return list(_exports(request))


@router.get(
    "/me/data-exports/{export_id}/download",
    response={200: None, 409: ErrorOut, **REFUSALS},
    summary="Download a ready copy (only by whoever asked for it)",
    openapi_extra=ZIP_RESPONSE,
)
def download_data_export(request: SignedInRequest, export_id: int) -> HttpResponse:
    export = actions.do_download_data_export(request.user, export_id)
    assert export.archive is not None  # a downloadable copy has its zip
    response = HttpResponse(bytes(export.archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


class RangeIn(Schema):
    """Whole days, both included; the ledger export's default is the last 30 days."""

    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


@router.get(
    "/exports/{report}",
    response={200: None, 422: FieldErrorOut, **REFUSALS},
    summary=(
        "Download an admin report as CSV (admins only): members, matches, ledger, "
        "insights-departments, insights-under-recognised, insights-commitments-at-risk, "
        "insights-rings; the ledger takes a range of days"
    ),
    openapi_extra=CSV_RESPONSE,
)
def export_report(
    request: SignedInRequest, report: str, days: Query[RangeIn]
) -> StreamingHttpResponse:
    try:
        name, lines = reports.do_export_report(request.user, report, days.start, days.end)
    except ActionError as error:
        if error.status != 422:
            raise
        # The range is in the query string: say so, as the date parsing above does.
        detail = {"loc": ["query", error.field], "msg": error.message, "type": "value_error"}
        raise ValidationError([detail]) from None
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
