"""Permission-aware getters: anything a person may not see is a 404, never a leak."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cairn.people.models import ApiToken, Profile, User


def colleagues(user: User) -> QuerySet[Profile]:
    """Return the profiles of everyone in the user's organisation."""
    return Profile.objects.visible_to(user)


def profile_for(user: User, handle: str, *, skills: bool = True) -> Profile:
    """Return the colleague with this handle, or raise 404; with what they offer and want
    unless ``skills`` is False (a page that only names them)."""
    found = colleagues(user).select_related("department", "manager", "user")
    if skills:
        found = found.prefetch_related("offers", "wants")
    return get_object_or_404(found, handle=handle)


def token_for(user: User, token_id: int) -> ApiToken:
    """Return one of the user's own API tokens, or raise 404."""
    return get_object_or_404(ApiToken.objects.filter(user=user), pk=token_id)
