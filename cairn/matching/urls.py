"""Pages of the matching app: find a mentor, peer or community; mentoring programs."""

from django.urls import path

from cairn.matching import views

urlpatterns = [
    path("match/", views.find, name="find"),
    path("match/goals/<int:goal_id>/", views.find_for_goal, name="find_for_goal"),
    path("programs/", views.programs, name="programs"),
    path("programs/new/", views.program_new, name="program_new"),
    path("programs/<int:program_id>/", views.program, name="program"),
    path("programs/<int:program_id>/signup/", views.program_signup, name="program_signup"),
    path("programs/<int:program_id>/close/", views.program_close, name="program_close"),
    path("programs/<int:program_id>/run/", views.program_run, name="program_run"),
    path("programs/<int:program_id>/review/", views.program_review, name="program_review"),
    path("programs/<int:program_id>/reassign/", views.program_reassign, name="program_reassign"),
    path("programs/<int:program_id>/swap/", views.program_swap, name="program_swap"),
    path("programs/<int:program_id>/exclude/", views.program_exclude, name="program_exclude"),
    path("programs/<int:program_id>/publish/", views.program_publish, name="program_publish"),
    path("programs/<int:program_id>/outcomes/", views.program_outcomes, name="program_outcomes"),
]
