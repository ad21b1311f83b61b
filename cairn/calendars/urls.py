from django.urls import path

from cairn.calendars import views

urlpatterns = [
    path("me/calendar/", views.subscription, name="calendar_subscription"),
    path("calendar/<str:feed_key>.ics", views.feed, name="calendar_feed"),
]
