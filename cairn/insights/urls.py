"""Pages of the insights app."""

from django.urls import path

from cairn.insights import community_outcomes, views

urlpatterns = [
    path("insights/", views.dashboard, name="insights"),
    path(
        "communities/<int:community_id>/outcomes/",
        community_outcomes.community_outcomes_page,
        name="community_outcomes",
    ),
]
