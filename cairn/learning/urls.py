"""Pages of the learning app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
