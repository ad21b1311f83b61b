from django.urls import path

from cairn.safeguards import views

urlpatterns = [
    path("me/corrections/", views.corrections, name="corrections"),
    path("organisation/rings/", views.rings, name="rings"),
    path("organisation/rings/<int:ring_id>/", views.ring, name="ring"),
]
