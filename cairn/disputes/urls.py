"""Pages of the disputes app."""

from django.urls import path

from cairn.disputes import views

urlpatterns = [
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/new/<int:event_id>/", views.open_dispute, name="dispute_open"),
    path(
        "disputes/commitment/<int:commitment_id>/",
        views.dispute_commitment,
        name="dispute_commitment",
    ),
    path("disputes/<int:dispute_id>/", views.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/resolve/", views.resolve, name="dispute_resolve"),
]
