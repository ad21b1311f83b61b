from django.urls import path

from cairn.xapi import views

urlpatterns = [path("organisation/learning-records/", views.settings_page, name="xapi_settings")]
