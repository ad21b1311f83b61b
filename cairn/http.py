"""Request types that say what the middleware and the sign-in checks guarantee.

A view behind ``login_required`` and an API operation behind the API's auth both see a
signed-in :class:`~cairn.people.models.User`; annotating their ``request`` with
:class:`SignedInRequest` tells the type checker so once, instead of a cast per use. Views open
to anyone take :class:`CairnRequest`. Both only describe attributes that
``AuthenticationMiddleware``, ``HtmxMiddleware`` and ``OrganisationMiddleware`` (or the API's
token auth) set; they add nothing at run time.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from cairn.people.models import Organisation, User


class CairnRequest(HttpRequest):
    """Any request through Cairn's middleware: maybe signed in, maybe an htmx swap."""

    user: User | AnonymousUser
    organisation: Organisation | None
    htmx: HtmxDetails


class SignedInRequest(CairnRequest):
    """A request from a signed-in person (``login_required`` views, authenticated API calls)."""

    user: User
