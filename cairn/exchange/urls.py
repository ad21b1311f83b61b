"""Pages of the exchange app: requests for help, posts, credits and thanks."""

from django.urls import path

from cairn.exchange import views

urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/ask/", views.ask, name="ask"),
    path("requests/<int:help_request_id>/", views.request_detail, name="help_request"),
    path("requests/<int:help_request_id>/resolve/", views.resolve, name="help_request_resolve"),
    path("requests/responses/<int:response_id>/mark/", views.mark_response, name="mark_response"),
    path("posts/", views.post_list, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("credit/<int:content_type_id>/<int:object_id>/", views.credit, name="credit"),
    path("thanks/", views.thanks_received, name="thanks_received"),
    path("thanks/<str:handle>/", views.thank, name="thank"),
]
