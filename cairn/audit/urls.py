from django.urls import path

from cairn.audit import views

urlpatterns = [
    path("organisation/audit/", views.audit_log, name="audit_log"),
    path("organisation/audit/export.csv", views.audit_export, name="audit_export"),
]
