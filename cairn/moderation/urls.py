"""Pages of the moderation app."""

from django.urls import path

from cairn.moderation import views

urlpatterns = [
    path("flag/<str:target_type>/<int:target_id>/", views.flag, name="flag"),
    path("moderation/", views.queue, name="moderation_queue"),
    path("moderation/<int:item_id>/", views.item, name="moderation_item"),
    path("moderation/<int:item_id>/decide/", views.decide, name="moderation_decide"),
    path("moderation/<int:item_id>/edit/", views.redact, name="moderation_redact"),
]
