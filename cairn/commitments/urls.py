"""Pages of the commitments app."""

from django.urls import path

from cairn.commitments import views

urlpatterns = [
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<int:commitment_id>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:commitment_id>/confirm/", views.confirm, name="commitment_confirm"),
    path(
        "commitments/<int:commitment_id>/renegotiate/",
        views.renegotiate,
        name="commitment_renegotiate",
    ),
    path("commitments/<int:commitment_id>/cancel/", views.cancel, name="commitment_cancel"),
]
