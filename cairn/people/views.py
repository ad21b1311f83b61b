"""People pages: the directory, profiles, profile editing, invitations and API tokens."""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from cairn.checks import organisation_of
from cairn.errors import ActionError, add_action_error, form_page
from cairn.http import CairnRequest, SignedInRequest, page_of, page_or_part
from cairn.people import actions
from cairn.people.access import colleagues, profile_for, token_for
from cairn.people.adapters import INVITATION_SESSION_KEY, NEW_ORGANISATION_SESSION_KEY
from cairn.people.forms import (
    EmailDomainsForm,
    InviteForm,
    ProfileForm,
    StartOrganisationForm,
    TokenForm,
)
from cairn.people.models import Department, Invitation, Profile
from cairn.people.pickers import suggestions, written


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required, and an organisation: platform staff without one get a 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.organisation_id is None:
            return render(request, "people/no_organisation.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


#: How the directory can be ordered: by name, or most trusted first.
ORDERS = {"name": "Name", "trust": "Most trusted first"}


def search_people(user, query: str = "", department: str = "", order: str = "name"):
    """Return the colleagues matching a free-text query and an optional department, by name or
    (``order="trust"``) most trusted first through one join with their TrustProfile."""
    people = (
        colleagues(user)
        .select_related("department", "user__trust_profile")
        # A card shows the standing, never the reasons: leave the long explanation unread.
        .defer("user__trust_profile__explanation")
        .prefetch_related("offers")
    )
    offered = Profile.offers.through.objects
    for word in query.split():
        # The skill through a subquery, not a join: one row per person, so no DISTINCT over
        # the whole directory to page and count it.
        people = people.filter(
            Q(name__icontains=word)
            | Q(title__icontains=word)
            | Q(department__name__icontains=word)
            | Q(location__icontains=word)
            | Q(pk__in=offered.filter(skill__name__icontains=word).values("profile_id"))
        )
    if department:
        people = people.filter(department__name=department)
    if order == "trust":
        trust = F("user__trust_profile__trust").desc(nulls_last=True)
        return people.order_by(trust, "name", "pk")
    return people.order_by("name", "pk")


@login_required
def directory(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    department = request.GET.get("department", "").strip()[:80]
    order = request.GET.get("order", "name") if request.GET.get("order") in ORDERS else "name"
    page = page_of(request, search_people(request.user, query, department, order), 30)
    context = {
        "page": page,
        "query": query,
        "department": department,
        "order": order,
        "paging": urlencode({"q": query, "department": department, "order": order}),
        "orders": ORDERS,
        "departments": Department.objects.filter(organisation=request.organisation),
    }
    return page_or_part(request, "people/directory.html", "results", context)


@login_required
def pick_people(request: SignedInRequest) -> HttpResponse:
    """The options of a people picker's type-ahead (htmx): colleagues matching what was typed
    after the last comma of the box named by ``field``."""
    field = request.GET.get("field", "")[:60]
    typed = request.GET.get(field, "").rsplit(",", 1)[-1].strip()[:100] if field else ""
    list_id = re.sub(r"[^A-Za-z0-9_-]", "", request.GET.get("list", ""))[:80] or "people"
    people = suggestions(request.user, typed) if typed else []
    context = {
        "people": [(person, written(person)) for person in people],
        "typed": typed,
        "list_id": list_id,
    }
    return render(request, "people/_picker_options.html", context)


@login_required
def profile(request: SignedInRequest, handle: str) -> HttpResponse:
    person = profile_for(request.user, handle)
    return render(
        request,
        "people/profile.html",
        {"person": person, "is_me": person.user_id == request.user.pk},
    )


@member_required
def me(request: SignedInRequest) -> HttpResponse:
    return redirect("profile", handle=request.user.profile.handle)


@member_required
def edit_profile(request: SignedInRequest) -> HttpResponse:
    person = request.user.profile
    form = ProfileForm(
        request.POST or None, initial=ProfileForm.initial_for(person), profile=person
    )
    return form_page(
        request,
        form,
        lambda data: actions.do_update_profile(request.user, **data),
        success="Your profile is saved.",
        to=lambda _: reverse("profile", kwargs={"handle": person.handle}),
        template="people/edit_profile.html",
        context={"person": person},
    )


@login_required
def invitations(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.do_invite(request.user, **form.cleaned_data)
        except ActionError as error:
            add_action_error(form, error)
        else:
            link = request.build_absolute_uri(f"/join/{invitation.token}/")
            messages.success(request, f"Invitation created for {invitation.email}.")
            form = InviteForm()
    pending = Invitation.objects.filter(
        organisation=request.organisation, accepted_at__isnull=True
    ).order_by("-created_at")[:50]
    return render(
        request, "people/invitations.html", {"form": form, "link": link, "pending": pending}
    )


def start_organisation(request: CairnRequest) -> HttpResponse:
    """Start Cairn for a team: name the organisation, then sign up as its first admin."""
    if request.user.is_authenticated:
        messages.info(request, "You are signed in already; an account belongs to one organisation.")
        return redirect("home")
    form = StartOrganisationForm(
        request.POST or None, initial=request.session.get(NEW_ORGANISATION_SESSION_KEY)
    )
    status = 200
    if request.method == "POST":
        # Each organisation needs one pass through this form: limiting it limits creation.
        limited = ratelimit.consume_or_429(request, action="start_organisation")
        if limited is not None:
            return limited
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                name, slug = actions.check_new_organisation(data["name"], data["slug"])
            except ActionError as error:
                add_action_error(form, error)
            else:
                request.session.pop(INVITATION_SESSION_KEY, None)
                request.session[NEW_ORGANISATION_SESSION_KEY] = {
                    "name": name,
                    "slug": slug,
                    "open_domain": data["open_domain"],
                }
                return redirect("account_signup")
    return render(request, "people/start.html", {"form": form}, status=status)


@login_required
def email_domains(request: SignedInRequest) -> HttpResponse:
    """Who may join without an invitation: the organisation's open email domains (admins)."""
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    org = organisation_of(request.user)
    form = EmailDomainsForm(request.POST or None, initial={"domains": org.email_domains})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                actions.do_set_email_domains(request.user, form.cleaned_data["domains"])
            except ActionError as error:
                add_action_error(form, error)
            else:
                messages.success(request, "Saved who may join.")
                return redirect("email_domains")
    own = request.user.email.rsplit("@", 1)[-1]
    return render(
        request, "people/email_domains.html", {"form": form, "own_domain": own}, status=status
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: remember the invitation, then go to sign-up."""
    try:
        invitation = actions.check_invitation(token)
    except ActionError as error:
        return render(request, "people/join_invalid.html", {"reason": error.message}, status=404)
    if request.user.is_authenticated:
        messages.info(request, "You are already signed in.")
        return redirect("home")
    request.session[INVITATION_SESSION_KEY] = invitation.token
    get_account_adapter(request).stash_verified_email(request, invitation.email)
    return redirect("account_signup")


@member_required
def tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = actions.do_create_api_token(request.user, form.cleaned_data["name"])
        except ActionError as error:
            form.add_error("name", error.message)
        else:
            form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {"form": form, "secret": secret, "tokens": request.user.api_tokens.order_by("-pk")},
    )


@member_required
@require_POST
def revoke_token(request: SignedInRequest, token_id: int) -> HttpResponse:
    actions.do_revoke_api_token(token_for(request.user, token_id))
    messages.success(request, "The token was revoked.")
    return redirect("tokens")
