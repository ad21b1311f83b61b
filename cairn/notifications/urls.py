"""Pages of the notifications app, and following colleagues."""

from django.urls import path

from cairn.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/bell/", views.bell, name="notification_bell"),
    path("notifications/read/", views.mark_all_read, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="notification_read"),
    path(
        "notifications/<int:notification_id>/open/",
        views.open_notification,
        name="notification_open",
    ),
    path("notifications/settings/", views.email_settings, name="notification_settings"),
    path("people/<str:handle>/follow/", views.follow, name="follow"),
    path("people/<str:handle>/unfollow/", views.unfollow, name="unfollow"),
]
