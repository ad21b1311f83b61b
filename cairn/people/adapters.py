"""How allauth decides who may join which organisation: by invitation, by email domain, or by
the organisation's single sign-on. Joining itself goes through the people actions."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse

from cairn.errors import ActionError
from cairn.people import actions
from cairn.people import models as people_models
from cairn.people.models import Invitation, Organisation, User
from cairn.people.sso import display_name

INVITATION_SESSION_KEY = "cairn_invitation"
#: What the start page asked for (name, slug, open_domain), until the founder signs up.
NEW_ORGANISATION_SESSION_KEY = "cairn_new_organisation"


def pending_organisation(request: HttpRequest | None) -> dict[str, Any] | None:
    """Return the organisation this browser is starting (from the start page), if any."""
    if request is None:
        return None
    found = request.session.get(NEW_ORGANISATION_SESSION_KEY)
    return found if isinstance(found, dict) else None


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
        starting = pending_organisation(request)
        if starting is not None:
            self._check_founder(starting, email)
            return email
        # Only the sign-up form is gated. allauth cleans the address again after the account is
        # saved (and the invitation used up); an address with an account passes, so that allauth's
        # own "already exists" handling, which does not reveal who has an account, takes over.
        if request is not None and request.path == reverse("account_signup"):
            if (
                organisation_for_domain(email) is None
                and not User.objects.filter(email__iexact=email).exists()
            ):
                raise forms.ValidationError(
                    "Your organisation has not opened Cairn to this email domain. "
                    "Ask a colleague for an invitation link."
                )
        return email

    @staticmethod
    def _check_founder(starting: dict[str, Any], email: str) -> None:
        """Refuse, on the email field, a founder whose organisation could not be made."""
        try:
            actions.check_new_organisation(starting["name"], starting["slug"])
            if starting.get("open_domain"):
                actions.check_email_domain(email.rsplit("@", 1)[-1])
        except ActionError as error:
            hint = " Go back to the start page to change it." if error.field != "domains" else ""
            raise forms.ValidationError(error.message + hint) from None

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        name = form.cleaned_data.get("name", "").strip() or user.email.split("@")[0]
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=True)
            invitation = pending_invitation(request)
            starting = pending_organisation(request) if invitation is None else None
            if starting is not None:
                try:
                    actions.do_start_organisation(
                        user,
                        name=starting["name"],
                        slug=starting["slug"],
                        person_name=name,
                        open_domain=bool(starting.get("open_domain")),
                    )
                except ActionError as error:
                    raise forms.ValidationError(error.message) from None
                request.session.pop(NEW_ORGANISATION_SESSION_KEY, None)
            elif invitation is not None:
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

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Refuse a sign-on that would reach into another organisation.

        An organisation admin configures their own identity provider, which could claim any email.
        Without these checks it could sign in as someone of another organisation, or take an
        address on a domain another organisation has opened Cairn to before its owner joins.
        """
        super().pre_social_login(request, sociallogin)
        user = sociallogin.user
        if user is None:
            return
        org = organisation_for_app(sociallogin)
        if user.pk is not None:
            refused = org is None or user.organisation_id != org.pk
        else:
            owner = organisation_for_domain(user.email) if user.email else None
            refused = owner is not None and owner != org
        if refused:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/wrong_organisation.html",
                    {"organisation": org, "existing": user.pk is not None},
                    status=403,
                )
            )

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> User:
        org = organisation_for_app(sociallogin)
        if org is None:
            raise forms.ValidationError("This sign-on is not connected to an organisation.")
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            name = display_name(sociallogin.account.extra_data, user.email)
            actions.do_add_person(org, email=user.email, name=name, user=user)
        return user
