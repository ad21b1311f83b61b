"""How allauth decides who may join which organisation: by invitation, by email domain, or by
the organisation's single sign-on. Joining itself goes through the people actions."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.db import transaction
from django.http import HttpRequest

from cairn.errors import ActionError
from cairn.people import actions
from cairn.people import models as people_models
from cairn.people.models import Invitation, Organisation, User

INVITATION_SESSION_KEY = "cairn_invitation"


def pending_invitation(request: HttpRequest | None) -> Invitation | None:
    """Return the usable invitation remembered in this browser session, if any."""
    token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not token:
        return None
    try:
        return actions.check_invitation(token)
    except ActionError:
        return None


def organisation_for_domain(email: str) -> Organisation | None:
    """Return the organisation that lets owners of this email's domain sign up, if any."""
    domain = email.rsplit("@", 1)[-1].lower()
    for org in Organisation.objects.filter(email_domains__icontains=domain):
        if org.accepts_domain(email):
            return org
    return None


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        invitation = pending_invitation(request)
        if invitation is not None:
            if email.lower() != invitation.email.lower():
                raise forms.ValidationError(
                    f"This invitation is for {invitation.email}; sign up with that address."
                )
            return email
        if request is not None and request.path.endswith("/signup/"):
            if organisation_for_domain(email) is None:
                raise forms.ValidationError(
                    "Your organisation has not opened Cairn to this email domain. "
                    "Ask a colleague for an invitation link."
                )
        return email

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        name = form.cleaned_data.get("name", "").strip() or user.email.split("@")[0]
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            invitation = pending_invitation(request)
            if invitation is not None:
                actions.do_accept_invitation(invitation, user, name)
                request.session.pop(INVITATION_SESSION_KEY, None)
            else:
                org = organisation_for_domain(user.email)
                if org is None:
                    raise forms.ValidationError("No organisation accepts this email.")
                actions.do_add_person(org, email=user.email, name=name, user=user)
        return user


def organisation_for_app(sociallogin: Any) -> Organisation | None:
    """Return the organisation whose single sign-on this login came through."""
    app = getattr(sociallogin.account.get_provider(), "app", None)
    if app is None or app.pk is None:
        return None
    connection = people_models.SsoConnection.objects.select_related("organisation").filter(
        social_app=app
    )
    found = connection.first()
    return found.organisation if found else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return organisation_for_app(sociallogin) is not None

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> User:
        org = organisation_for_app(sociallogin)
        if org is None:
            raise forms.ValidationError("This sign-on is not connected to an organisation.")
        data = sociallogin.account.extra_data or {}
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            name = (
                data.get("name")
                or " ".join(filter(None, [data.get("given_name"), data.get("family_name")]))
                or user.email.split("@")[0]
            )
            if isinstance(name, list):
                name = " ".join(name)
            actions.do_add_person(org, email=user.email, name=str(name), user=user)
        return user
