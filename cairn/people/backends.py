"""Sign-in backends that load the signed-in person whole.

Every page reads the person's organisation (``OrganisationMiddleware``) and profile (time zone,
navigation, next steps); loading them with the user saves two queries on every request.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class LoadsPersonWhole:
    """``get_user`` that reads the user with their organisation and profile in one query."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("organisation", "profile")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class PasswordBackend(LoadsPersonWhole, ModelBackend):
    """Django's own backend (e-mail and password, the admin)."""


class AccountBackend(LoadsPersonWhole, AllauthBackend):
    """django-allauth's backend (sign-in by e-mail, magic codes, SSO)."""
