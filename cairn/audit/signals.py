"""Sign-ins and two-factor changes, heard from Django's and allauth's signals."""

from typing import Any

from allauth.mfa import signals as mfa
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from cairn.audit import log
from cairn.audit.models import Action


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def on_signed_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    log.record(Action.SIGNED_IN, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def on_sign_in_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    # Attributed to the organisation of the account tried, so its admins see attacks on it.
    account = get_user_model().objects.filter(email__iexact=tried).first() if tried else None
    log.record(
        Action.SIGN_IN_FAILED,
        organisation=getattr(account, "organisation", None),
        actor_label=tried,
        target=tried,
        request=request,
    )


def _method(authenticator: Authenticator) -> str:
    return Authenticator.Type(authenticator.type).label


@receiver(mfa.authenticator_added, dispatch_uid="audit_mfa_added")
def on_mfa_added(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    method = _method(kwargs["authenticator"])
    log.record(Action.MFA_ADDED, actor=user, target=method, request=request)


@receiver(mfa.authenticator_removed, dispatch_uid="audit_mfa_removed")
def on_mfa_removed(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    method = _method(kwargs["authenticator"])
    log.record(Action.MFA_REMOVED, actor=user, target=method, request=request)


@receiver(mfa.authenticator_reset, dispatch_uid="audit_recovery_codes")
def on_mfa_reset(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    method = _method(kwargs["authenticator"])
    log.record(Action.RECOVERY_CODES_REGENERATED, actor=user, target=method, request=request)
