from django.urls import path

from cairn.privacy import views
from cairn.privacy.reports import REPORTS

urlpatterns = [
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/<int:export_id>/download/", views.download_export, name="download_export"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("people/<str:handle>/data/", views.member_data, name="member_data"),
    path("organisation/exports/", views.exports, name="exports"),
    *(
        path(
            f"organisation/exports/{name}.csv",
            views.export_report,
            {"report": name},
            name=f"export_{name.replace('-', '_')}",
        )
        for name in REPORTS
    ),
]
