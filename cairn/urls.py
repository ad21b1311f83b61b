"""Every URL of the site. The outsider test walks all of them."""

from django.contrib import admin
from django.urls import include, path

from cairn.api.main import api
from cairn.api.openapi import not_found
from cairn.people import sso_views as sso
from cairn.people import views as people
from cairn.web import views as web

urlpatterns = [
    path("", web.landing, name="landing"),
    path("home/", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("people/", people.directory, name="people"),
    path("pick/people/", people.pick_people, name="pick_people"),
    path("people/<str:handle>/", people.profile, name="profile"),
    path("me/", people.me, name="me"),
    path("me/edit/", people.edit_profile, name="edit_profile"),
    path("me/tokens/", people.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", people.revoke_token, name="revoke_token"),
    path("organisation/invitations/", people.invitations, name="invitations"),
    path("join/<str:token>/", people.join, name="join"),
    path("start/", people.start_organisation, name="start_organisation"),
    path("organisation/joining/", people.email_domains, name="email_domains"),
    path("organisation/sso/", sso.configure, name="sso_configure"),
    path("sso/", sso.start, name="sso_start"),
    path("sso/<slug:slug>/", sso.login, name="sso_login"),
    path("", include("cairn.learning.urls")),
    path("", include("cairn.communities.urls")),
    path("", include("cairn.exchange.urls")),
    path("", include("cairn.commitments.urls")),
    path("", include("cairn.notifications.urls")),
    path("", include("cairn.matching.urls")),
    path("", include("cairn.trust.urls")),
    path("", include("cairn.privileges.urls")),
    path("", include("cairn.safeguards.urls")),
    path("", include("cairn.insights.urls")),
    path("", include("cairn.disputes.urls")),
    path("", include("cairn.moderation.urls")),
    path("", include("cairn.calendars.urls")),
    path("", include("cairn.journey.urls")),
    path("", include("cairn.xapi.urls")),
    path("", include("cairn.webhooks.urls")),
    path("", include("cairn.audit.urls")),
    path("", include("cairn.search.urls")),
    path("", include("cairn.privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

#: Under /api/ a URL no route matches is the API's JSON 404, like every other refusal there.
handler404 = not_found
