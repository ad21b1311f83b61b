"""Pages of the communities app."""

from django.urls import path

from cairn.communities import views

urlpatterns = [
    path("communities/", views.community_list, name="communities"),
    path("communities/new/", views.create, name="community_create"),
    path("communities/<int:community_id>/", views.detail, name="community"),
    path("communities/<int:community_id>/edit/", views.edit, name="community_edit"),
    path("communities/<int:community_id>/join/", views.join, name="community_join"),
    path("communities/<int:community_id>/leave/", views.leave, name="community_leave"),
    path("communities/<int:community_id>/archive/", views.archive, name="community_archive"),
    path("communities/<int:community_id>/members/", views.members, name="community_members"),
    path(
        "communities/members/<int:membership_id>/answer/",
        views.answer,
        name="community_answer",
    ),
    path(
        "communities/members/<int:membership_id>/facilitate/",
        views.facilitate,
        name="community_facilitate",
    ),
    path("communities/<int:community_id>/threads/new/", views.new_thread, name="thread_create"),
    path("communities/threads/<int:thread_id>/", views.thread, name="community_thread"),
    path("communities/<int:community_id>/resources/", views.resources, name="community_resources"),
]
