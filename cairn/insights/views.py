"""Insight for admins: one page with a section per insight."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cairn.checks import organisation_id_of
from cairn.disputes.models import Dispute
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.insights import charts, queries
from cairn.insights.access import check_insights


def dashboard_context(organisation_id: int) -> dict[str, object]:
    """Return everything the insights page shows (a fixed number of queries)."""
    departments = queries.trust_by_department(organisation_id)
    return {
        "departments": departments,
        "spread_svg": charts.trust_spread_svg(departments) if departments else "",
        "dimensions_svg": charts.dimensions_svg(departments) if departments else "",
        "helpers": queries.under_recognised(organisation_id),
        "at_risk": queries.commitments_at_risk(organisation_id),
        "rings": queries.suspected_rings(organisation_id),
        "open_disputes": Dispute.objects.filter(
            organisation_id=organisation_id, status=Dispute.Status.OPEN
        ).count(),
        "at_risk_days": queries.AT_RISK_DAYS,
        "now": timezone.now(),
    }


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    try:
        check_insights(request.user)
    except ActionError:
        return render(request, "people/not_admin.html", status=403)
    return render(
        request, "insights/dashboard.html", dashboard_context(organisation_id_of(request.user))
    )
