"""A community's outcomes page, for its facilitators and the organisation's admins (beside the
other insights pages, which draw the same charts)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from cairn.communities.access import community_for
from cairn.figures_csv import figures_csv
from cairn.http import SignedInRequest
from cairn.insights.charts import bars_svg
from cairn.insights.communities import WINDOW, community_outcomes
from cairn.trust.history import known_share_bars


@login_required
def community_outcomes_page(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    if not (request.user.is_org_admin or community.is_facilitator(request.user)):
        raise PermissionDenied("Only the community's facilitators and admins see its outcomes.")
    outcomes = community_outcomes(community)
    if request.GET.get("format") == "csv":
        return figures_csv(community.name, outcomes.rows())
    days = WINDOW.days
    helping = [
        (f"{who.capitalize()}, {when}", value)
        for who, before, after in outcomes.helping
        for when, value in ((f"previous {days} days", before), (f"last {days} days", after))
    ]
    known = known_share_bars(outcomes.trust)
    charts = {
        "members": bars_svg(outcomes.members_by_month, "Members joined per month")
        if outcomes.members_by_month
        else "",
        "activity": bars_svg(outcomes.activity_by_week, "Contributions per week"),
        "helping": bars_svg(helping, "Help given per person per month"),
        "trust": bars_svg(known, "Share whose trust is known (%)") if known else "",
    }
    return render(
        request,
        "insights/community_outcomes.html",
        {
            "community": community,
            "outcomes": outcomes,
            "charts": charts,
            "days": days,
            "trust_explanation": f"Today's members' trust {days} days ago and in the latest "
            "week, with everyone else's beside it.",
        },
    )
