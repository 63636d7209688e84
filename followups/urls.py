from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:followup_id>/retry/", views.outbox_retry, name="outbox_retry"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        views.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
    path("sessions/<int:session_id>/surveys/", views.session_surveys, name="session_surveys"),
    path("patients/<int:patient_id>/surveys/", views.patient_surveys, name="patient_surveys"),
    # Patients' signed links: short paths, nothing in them but the token.
    path("s/<str:token>/", views.survey, name="survey"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
