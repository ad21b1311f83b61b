"""Single sign-on pages: an admin connects the organisation; people start signing in here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.checks import organisation_of
from cairn.errors import ActionError
from cairn.http import SignedInRequest
from cairn.people import actions
from cairn.people.adapters import organisation_for_domain
from cairn.people.models import Organisation, SsoConnection
from cairn.people.sso import OidcForm, SamlForm, SsoFindForm, login_url, service_provider_urls

FORMS = {SsoConnection.Kind.OIDC: OidcForm, SsoConnection.Kind.SAML: SamlForm}


def _initial(connection: SsoConnection | None) -> dict[str, str]:
    if connection is None:
        return {}
    app = connection.social_app
    if connection.kind == SsoConnection.Kind.OIDC:
        return {"server_url": app.settings.get("server_url", ""), "client_id": app.client_id}
    idp = app.settings.get("idp", {})
    return {
        "entity_id": idp.get("entity_id", ""),
        "sso_url": idp.get("sso_url", ""),
        "x509cert": idp.get("x509cert", ""),
    }


@login_required
def configure(request: SignedInRequest) -> HttpResponse:
    """The admin page: connect the organisation to its OIDC and/or SAML identity provider."""
    if request.user.organisation_id is None:
        raise Http404("No organisation.")
    if not request.user.is_org_admin:
        return render(request, "people/not_admin.html", status=403)
    connections = {
        c.kind: c
        for c in SsoConnection.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("social_app")
        .order_by("kind")
    }
    forms = {
        kind: form_class(initial=_initial(connections.get(kind)), prefix=kind)
        for kind, form_class in FORMS.items()
    }
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in SsoConnection.Kind.values:
            messages.error(request, "Choose OpenID Connect or SAML.")
            status = 400
        else:
            kind = SsoConnection.Kind(kind)
            form = FORMS[kind](request.POST, prefix=kind)
            forms[kind] = form
            if form.is_valid():
                try:
                    actions.do_configure_sso(request.user, kind, **form.cleaned_data)
                except ActionError as error:
                    field = error.field if error.field in form.fields else None
                    form.add_error(field, error.message)
                else:
                    label = SsoConnection.Kind(kind).label
                    messages.success(request, f"{label} single sign-on is saved.")
                    return redirect("sso_configure")
            status = 400
    sections = [
        {
            "kind": kind,
            "label": SsoConnection.Kind(kind).label,
            "form": forms[kind],
            "connection": connections.get(kind),
            "urls": service_provider_urls(request, connections[kind])
            if kind in connections
            else {},
        }
        for kind in FORMS
    ]
    entry = request.build_absolute_uri(f"/sso/{organisation_of(request.user).slug}/")
    return render(
        request,
        "people/sso_configure.html",
        {"sections": sections, "entry_url": entry, "connected": bool(connections)},
        status=status,
    )


def start(request: HttpRequest) -> HttpResponse:
    """Find the organisation whose single sign-on to use, from an email or a short name."""
    form = SsoFindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["organisation"].strip().lower()
        org = organisation_for_domain(text) if "@" in text else None
        if org is None:
            org = Organisation.objects.filter(slug=text).first()
        if org is not None and SsoConnection.objects.filter(organisation=org).exists():
            return redirect("sso_login", slug=org.slug)
        form.add_error(
            "organisation",
            "We found no single sign-on for that. Sign in with your password, or ask your "
            "organisation’s admin.",
        )
    return render(request, "people/sso_start.html", {"form": form})


def login(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's single sign-on entry point: buttons that go to its identity provider."""
    org = Organisation.objects.filter(slug=slug).first()
    connections = (
        list(SsoConnection.objects.filter(organisation=org).select_related("social_app"))
        if org
        else []
    )
    if not connections:
        raise Http404("This organisation has no single sign-on.")
    choices = [
        {"label": c.get_kind_display(), "url": login_url(c)}
        for c in sorted(connections, key=lambda c: c.kind)
    ]
    return render(request, "people/sso_login.html", {"organisation": org, "choices": choices})
