from django.urls import path

from cairn.privileges import views

urlpatterns = [
    path("me/privileges/", views.my_privileges, name="my_privileges"),
]
