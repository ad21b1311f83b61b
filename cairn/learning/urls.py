"""Pages of the learning app: goals, mentoring and partnerships, sessions, feedback."""

from django.urls import path

from cairn.learning import health_views, views

urlpatterns = [
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", views.goal, name="goal"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "goals/<int:goal_id>/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("goals/<int:goal_id>/reflect/", views.goal_reflect, name="goal_reflect"),
    path("goals/<int:goal_id>/close/", views.goal_close, name="goal_close"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/ask/<str:handle>/", views.mentoring_request, name="mentoring_request"),
    path("mentoring/<int:relationship_id>/", views.relationship, name="relationship"),
    path(
        "mentoring/<int:relationship_id>/accept/",
        views.relationship_accept,
        name="relationship_accept",
    ),
    path(
        "mentoring/<int:relationship_id>/decline/",
        views.relationship_decline,
        name="relationship_decline",
    ),
    path(
        "mentoring/<int:relationship_id>/withdraw/",
        views.relationship_withdraw,
        name="relationship_withdraw",
    ),
    path("mentoring/<int:relationship_id>/sessions/", views.session_log, name="session_log"),
    path(
        "mentoring/<int:relationship_id>/complete/",
        views.relationship_complete,
        name="relationship_complete",
    ),
    path(
        "mentoring/<int:relationship_id>/members/",
        views.relationship_add_member,
        name="relationship_add_member",
    ),
    path(
        "mentoring/<int:relationship_id>/sessions.ics",
        views.relationship_ics,
        name="relationship_ics",
    ),
    path("mentoring/sessions/<int:session_id>.ics", views.session_ics, name="session_ics"),
    path(
        "mentoring/<int:relationship_id>/rhythm/",
        health_views.relationship_rhythm,
        name="relationship_rhythm",
    ),
    path(
        "mentoring/<int:relationship_id>/propose/",
        health_views.session_propose,
        name="session_propose",
    ),
    path(
        "mentoring/<int:relationship_id>/close/",
        health_views.relationship_close,
        name="relationship_close",
    ),
    path(
        "mentoring/proposals/<int:proposal_id>/accept/",
        health_views.proposal_answer,
        {"answer": "accept"},
        name="proposal_accept",
    ),
    path(
        "mentoring/proposals/<int:proposal_id>/decline/",
        health_views.proposal_answer,
        {"answer": "decline"},
        name="proposal_decline",
    ),
    path(
        "mentoring/proposals/<int:proposal_id>/withdraw/",
        health_views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "mentoring/proposals/<int:proposal_id>.ics", health_views.proposal_ics, name="proposal_ics"
    ),
    path("mentoring/check-ins/<int:check_in_id>/", health_views.check_in, name="check_in"),
    path("organisation/relationships/", health_views.attention, name="relationships_attention"),
    path("feedback/", views.my_feedback, name="my_feedback"),
    path(
        "feedback/<str:context_type>/<int:context_id>/<str:handle>/",
        views.feedback,
        name="feedback",
    ),
]
