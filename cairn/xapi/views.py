"""The admin page for learning records: where they go, a connection test, what was sent."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.ledger.models import Event
from cairn.xapi import actions
from cairn.xapi.forms import LrsForm
from cairn.xapi.models import LrsConnection
from cairn.xapi.statements import SENT_VERBS


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: SignedInRequest) -> HttpResponse:
    """Admins set up the LRS, test it, and see the latest deliveries."""
    user = request.user
    if user.organisation_id is None or not user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    connection = LrsConnection.objects.filter(organisation_id=user.organisation_id).first()
    initial = {"enabled": True}
    if connection:
        initial = {
            f: getattr(connection, f)
            for f in ("endpoint", "key", "enabled", "send_commitments", "identify_by_email")
        }
    form = LrsForm(initial=initial)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "test":
        try:
            answer = actions.check_lrs(user)
        except ActionError as error:
            messages.error(request, f"The test failed: {error.message}")
        else:
            messages.success(
                request, f"The LRS answered {answer.status} in {answer.elapsed_ms} ms."
            )
        return redirect("xapi_settings")
    if request.method == "POST":
        form = LrsForm(request.POST)
        if form.is_valid():
            try:
                actions.do_configure_lrs(user, **form.cleaned_data)
            except ActionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "The learning record store is saved.")
                return redirect("xapi_settings")
        status = 400
    context: dict[str, Any] = {
        "form": form,
        "connection": connection,
        "deliveries": [],
        "waiting": 0,
    }
    if connection:
        context["deliveries"] = list(connection.deliveries.all()[:20])
        context["totals"] = connection.deliveries.aggregate(
            sent=Count("pk", filter=Q(status="sent")), failed=Count("pk", filter=Q(status="failed"))
        )
        context["waiting"] = Event.objects.filter(
            organisation_id=user.organisation_id,
            pk__gt=connection.sent_through_event_id,
            verb__in=SENT_VERBS,
        ).count()
    return render(request, "xapi/settings.html", context, status=status)
