"""Permission-aware getters: anything a person may not see is a 404, never a leak."""

from django.db.models import QuerySet
from django.http import Http404

from cairn.people.models import ApiToken, Profile, User


def colleagues(user: User) -> QuerySet[Profile]:
    """Return the profiles of everyone in the user's organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return Profile.objects.none()
    return Profile.objects.filter(organisation_id=user.organisation_id, user__is_active=True)


def profile_for(user: User, handle: str) -> Profile:
    """Return the colleague with this handle, or raise 404."""
    profile = (
        colleagues(user)
        .select_related("department", "manager", "user")
        .prefetch_related("offers", "wants")
        .filter(handle=handle)
        .first()
    )
    if profile is None:
        raise Http404("No such colleague.")
    return profile


def token_for(user: User, token_id: int) -> ApiToken:
    """Return one of the user's own API tokens, or raise 404."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    return token
