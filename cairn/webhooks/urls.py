from django.urls import path

from cairn.webhooks import views

urlpatterns = [
    path("organisation/webhooks/", views.webhooks_page, name="webhooks"),
    path("organisation/webhooks/<int:endpoint_id>/", views.webhook_page, name="webhook"),
    path("communities/<int:community_id>/chat/", views.channel_page, name="community_chat"),
]
