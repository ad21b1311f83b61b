"""Admin pages for webhooks, and a community's chat-channel page for its facilitators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cairn.communities.access import community_for
from cairn.communities.models import Community
from cairn.errors import ActionError, add_action_error, button
from cairn.http import SignedInRequest
from cairn.webhooks import actions
from cairn.webhooks.access import webhook_for
from cairn.webhooks.forms import ChannelForm, WebhookChangeForm, WebhookForm
from cairn.webhooks.models import Delivery, Endpoint

LOG_LENGTH = 25


def _not_admin(request: SignedInRequest) -> HttpResponse | None:
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    return None


def _tested(request: SignedInRequest, endpoint: Endpoint) -> None:
    """Send a test message and say how it went."""
    delivery = actions.send_test(request.user, endpoint)
    if delivery.status == Delivery.Status.SENT:
        messages.success(
            request, f"The test was delivered: {delivery.http_status} in {delivery.elapsed_ms} ms."
        )
    else:
        messages.error(request, f"The test failed: {delivery.error}")


def _log_context(endpoint: Endpoint) -> dict[str, object]:
    return {
        "endpoint": endpoint,
        "deliveries": list(endpoint.deliveries.all()[:LOG_LENGTH]),
        "waiting": actions.waiting_count(endpoint),
    }


@login_required
@require_http_methods(["GET", "POST"])
def webhooks_page(request: SignedInRequest) -> HttpResponse:
    """Admins see the organisation's webhooks and chat channels, and add a webhook."""
    if refused := _not_admin(request):
        return refused
    form = WebhookForm()
    status = 200
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                endpoint, secret = actions.do_add_webhook(request.user, **form.cleaned_data)
            except ActionError as error:
                add_action_error(form, error)
            else:
                context = {**_log_context(endpoint), "new_secret": secret}
                context["form"] = _change_form(endpoint)
                return render(request, "webhooks/webhook.html", context, status=201)
        status = 400
    endpoints = list(
        Endpoint.objects.visible_to(request.user).select_related("community").order_by("pk")
    )
    context = {
        "form": form,
        "webhooks": [e for e in endpoints if not e.is_channel()],
        "channels": [e for e in endpoints if e.is_channel()],
    }
    return render(request, "webhooks/webhooks.html", context, status=status)


def _change_form(endpoint: Endpoint, data: QueryDict | None = None) -> WebhookChangeForm:
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "enabled": endpoint.enabled,
    }
    return WebhookChangeForm(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_page(request: SignedInRequest, endpoint_id: int) -> HttpResponse:
    """One webhook: change it, send a test, remove it, and read its delivery log."""
    if refused := _not_admin(request):
        return refused
    endpoint = webhook_for(request.user, endpoint_id)
    form = _change_form(endpoint)
    status = 200
    action = request.POST.get("action")
    if request.method == "POST" and action == "test":
        _tested(request, endpoint)
        return redirect("webhook", endpoint.pk)
    if request.method == "POST" and action == "remove":
        return button(
            request,
            lambda: actions.do_remove_endpoint(request.user, endpoint),
            success="The webhook is removed.",
            to="webhooks",
            back=reverse("webhook", args=[endpoint.pk]),
        )
    if request.method == "POST":
        form = _change_form(endpoint, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                endpoint, secret = actions.do_change_webhook(
                    request.user,
                    endpoint,
                    url=data["url"],
                    event_types=data["event_types"],
                    description=data["description"],
                    enabled=data["enabled"],
                    new_secret_wanted=data["new_secret"],
                )
            except ActionError as error:
                add_action_error(form, error)
            else:
                if secret:
                    context = {**_log_context(endpoint), "new_secret": secret}
                    context["form"] = _change_form(endpoint)
                    return render(request, "webhooks/webhook.html", context)
                messages.success(request, "The webhook is saved.")
                return redirect("webhook", endpoint.pk)
        status = 400
    context = {**_log_context(endpoint), "form": form}
    return render(request, "webhooks/webhook.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def channel_page(request: SignedInRequest, community_id: int) -> HttpResponse:
    """A community's chat channel, for its facilitators and the organisation's admins."""
    user = request.user
    community = community_for(user, community_id)
    is_facilitator = community.is_facilitator(user)
    if not (user.is_org_admin or is_facilitator):
        return render(request, "webhooks/not_keeper.html", {"community": community}, status=403)
    endpoint = Endpoint.objects.visible_to(user).filter(community=community).first()
    initial: dict[str, object] = {}
    if endpoint is not None:
        initial = {
            "kind": endpoint.kind,
            "event_types": endpoint.event_types,
            "skills": list(endpoint.skills.all()),
            "enabled": endpoint.enabled,
        }
    form = ChannelForm(initial=initial, organisation_id=community.organisation_id)
    status = 200
    action = request.POST.get("action")
    if request.method == "POST" and endpoint is not None and action == "test":
        _tested(request, endpoint)
        return redirect("community_chat", community.pk)
    if request.method == "POST" and endpoint is not None and action == "remove":
        return button(
            request,
            lambda: actions.do_remove_endpoint(user, endpoint),
            success="The chat channel is disconnected.",
            to=reverse("community_chat", args=[community.pk]),
        )
    if request.method == "POST":
        form = ChannelForm(request.POST, organisation_id=community.organisation_id)
        if form.is_valid():
            try:
                actions.do_set_channel(user, community, **form.cleaned_data)
            except ActionError as error:
                add_action_error(form, error)
            else:
                messages.success(request, "The chat channel is saved.")
                return redirect("community_chat", community.pk)
        status = 400
    context: dict[str, object] = {
        "community": community,
        "form": form,
        "endpoint": endpoint,
        "is_facilitator": is_facilitator,
        "can_read": Community.objects.readable_by(user).filter(pk=community.pk).exists(),
    }
    if endpoint is not None:
        context |= _log_context(endpoint)
    return render(request, "webhooks/channel.html", context, status=status)
