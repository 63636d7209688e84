from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient, name="patient"),
    *[path(f"lists/{slug}/", view, name=f"list-{slug}") for slug, view in views.list_views.items()],
    *[
        path(f"export/{slug}.csv", view, name=f"export-{slug}")
        for slug, view in views.export_views.items()
    ],
]
