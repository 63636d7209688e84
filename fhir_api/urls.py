from django.urls import path

from fhir_api import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Patient/<str:patient_id>/$everything", views.patient_everything, name="everything"),
    *[
        path(f"{name}/<str:resource_id>", view, name=f"{name.lower()}-read")
        for name, view in views.read_views.items()
    ],
    *[path(name, view, name=f"{name.lower()}-search") for name, view in views.search_views.items()],
]
