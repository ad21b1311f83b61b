"""Pages of the insights app."""

from django.urls import path

from cairn.insights import views

urlpatterns = [
    path("insights/", views.dashboard, name="insights"),
]
