"""Pages of the search app."""

from django.urls import path

from cairn.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/answered/", views.answered_already, name="search_answered"),
]
