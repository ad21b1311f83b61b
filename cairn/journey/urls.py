from django.urls import path

from cairn.journey import views

urlpatterns = [
    path("me/journey/", views.my_journey, name="my_journey"),
    path("me/journey/<int:event_id>/share/", views.share_moment, name="share_moment"),
    path("people/<str:handle>/journey/", views.journey, name="journey"),
]
