"""URLs for the pages benchmark only: the product's URLs plus a minimal baseline view.

The baseline is what the cheapest possible signed-in page costs on this machine: one indexed
query and a tiny template, through the same middleware as every page. It is never part of the
product's URLs.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from cairn.people.models import Profile
from cairn.urls import handler404
from cairn.urls import urlpatterns as product_urlpatterns

_TINY = engines["django"].from_string("<!doctype html><title>{{ name }}</title><p>{{ handle }}</p>")


def minimal(request: HttpRequest) -> HttpResponse:
    """One indexed query (a profile by its primary key) rendered by a tiny template."""
    profile = Profile.objects.only("name", "handle").get(pk=request.GET.get("pk"))
    return HttpResponse(_TINY.render({"name": profile.name, "handle": profile.handle}, request))


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *product_urlpatterns]

__all__ = ["handler404", "urlpatterns"]
