from django.urls import path

from cairn.trust import views

urlpatterns = [
    path("people/<str:handle>/trust/", views.person_trust, name="person_trust"),
    path("people/<str:handle>/trust/can-i-trust/", views.can_i_trust, name="can_i_trust"),
]
