"""The calendar subscription page and the feed that calendar apps poll."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cairn.calendars import actions
from cairn.calendars.feed import person_calendar
from cairn.calendars.models import CalendarFeed
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.learning.ics import ics_body

#: How often a feed's "last fetched" is written: calendar apps poll every few minutes.
POLL_BOOKKEEPING_EVERY = timedelta(hours=1)


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request: SignedInRequest) -> HttpResponse:
    """Show the person's calendar subscription; make a new secret URL or stop the old one."""
    feed_url = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                if actions.do_revoke_calendar_feed(request.user):
                    messages.success(request, "Your calendar link was turned off.")
                return redirect("calendar_subscription")
            _, key = actions.do_create_calendar_feed(request.user)
        except ActionError as error:
            messages.error(request, error.message)
            return render(request, "web/no_organisation.html", status=error.status)
        feed_url = request.build_absolute_uri(f"/calendar/{key}.ics")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "calendars/subscription.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def feed(request: HttpRequest, feed_key: str) -> HttpResponse:
    """Return the feed of the person whose secret key this is (404 for any other key)."""
    owner = actions.feed_owner(feed_key)
    if owner is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    CalendarFeed.objects.filter(user=owner).exclude(
        last_polled_at__gt=now - POLL_BOOKKEEPING_EVERY
    ).update(last_polled_at=now)
    response = ics_body(person_calendar(owner, request.build_absolute_uri("/")))
    response["Cache-Control"] = "private, max-age=300"
    return response
