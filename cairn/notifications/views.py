"""Notification pages: the list, the bell, marking read, email settings; following colleagues."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cairn.errors import ActionError, add_action_error
from cairn.http import SignedInRequest, page_of
from cairn.notifications import actions
from cairn.notifications.access import notification_for, notifications_of, unread_count
from cairn.notifications.forms import EmailSettingsForm
from cairn.people.access import profile_for


@login_required
def notification_list(request: SignedInRequest) -> HttpResponse:
    page = page_of(request, notifications_of(request.user), 30)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": unread_count(request.user)},
    )


@login_required
def bell(request: SignedInRequest) -> HttpResponse:
    """The bell alone, for htmx to refresh it every minute."""
    return render(request, "notifications/_bell.html", {"unread": unread_count(request.user)})


@login_required
@require_POST
def mark_read(request: SignedInRequest, notification_id: int) -> HttpResponse:
    note = actions.do_mark_read(notification_for(request.user, notification_id))
    if request.htmx:
        response = render(request, "notifications/list.html#item", {"note": note})
        response["HX-Trigger"] = "notifications-read"
        return response
    return redirect("notifications")


@login_required
def open_notification(request: SignedInRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way (a link, so no JS needed)."""
    note = actions.do_mark_read(notification_for(request.user, notification_id))
    safe = url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.url if note.url and safe else "notifications")


@login_required
@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    actions.do_mark_all_read(request.user)
    messages.success(request, "All caught up.")
    return redirect("notifications")


@login_required
def email_settings(request: SignedInRequest) -> HttpResponse:
    current = actions.email_settings_of(request.user)
    initial = {"digest": current.digest, "categories": current.categories}
    form = EmailSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_email_settings(request.user, **form.cleaned_data)
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "Your email settings are saved.")
            return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})


def _follow_response(request: SignedInRequest, handle: str) -> HttpResponse:
    if request.htmx:
        person = profile_for(request.user, handle)
        return render(request, "notifications/_follow_button.html", {"person": person})
    return redirect("profile", handle=handle)


@login_required
@require_POST
def follow(request: SignedInRequest, handle: str) -> HttpResponse:
    person = profile_for(request.user, handle)
    try:
        actions.do_follow(request.user, person.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        if not request.htmx:
            messages.success(request, f"You now follow {person.name}.")
    return _follow_response(request, handle)


@login_required
@require_POST
def unfollow(request: SignedInRequest, handle: str) -> HttpResponse:
    person = profile_for(request.user, handle)
    actions.do_unfollow(request.user, person.user)
    return _follow_response(request, handle)
