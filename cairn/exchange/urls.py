"""Pages of the exchange app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
