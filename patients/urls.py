from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_register, name="register"),
    path("<int:pk>/", views.patient_chart, name="chart"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("<int:pk>/restore/", views.patient_restore, name="restore"),
    path("<int:pk>/precautions/", views.precautions_edit, name="precautions"),
    path("<int:pk>/consents/new/", views.consent_record, name="consent_record"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
]
