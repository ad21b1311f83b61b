"""Per-request facts about the signed-in person: their organisation, and their time zone."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cairn.people.models import Profile


class OrganisationMiddleware:
    """Attach the signed-in person's organisation to every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        request.organisation = (  # type: ignore[attr-defined]
            user.organisation if user is not None and user.is_authenticated else None
        )
        return self.get_response(request)


def zone_of(profile: Profile | None) -> zoneinfo.ZoneInfo | None:
    """Return the time zone a person's profile names, or None (no profile, or an unknown name)."""
    if profile is None or not profile.timezone:
        return None
    try:
        return zoneinfo.ZoneInfo(profile.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimeZoneMiddleware:
    """Show every time on a page in the signed-in person's own time zone, and read the times they
    type into forms in it too: Django's templates and form fields use the active zone.

    The API is left in UTC: it answers with ISO 8601 times that carry their offset."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            zone = zone_of(getattr(user, "profile", None))
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
