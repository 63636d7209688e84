"""The three roles and the model permissions each one holds.

Roles are Django groups. Every app that adds models adds its permissions
here and a data migration that calls `roles_sync`, so a fresh database and
an upgraded one end with the same groups.
"""

from __future__ import annotations

from typing import Any

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"
CLINIC_ADMIN = "Clinic admin"
ROLES = (FRONT_DESK, CLINICIAN, CLINIC_ADMIN)

_EVERYONE = ["clinic.access_app"]


def _perms(app: str, model: str, *actions: str) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


_PATIENT_DESK = [
    *_perms("patients", "patient", "view", "add", "change"),
    "patients.archive_patient",
]
_SCHEDULING_READ = [
    *_perms("scheduling", "room", "view"),
    *_perms("scheduling", "appointmenttype", "view"),
    *_perms("scheduling", "workinghours", "view"),
    *_perms("scheduling", "timeoff", "view"),
    *_perms("scheduling", "appointment", "view"),
]
_SCHEDULING_DESK = [
    *_SCHEDULING_READ,
    *_perms("scheduling", "appointment", "add", "change"),
    "scheduling.check_in_appointment",
    "scheduling.override_appointment_warning",
]
_CLINICAL_READ = [
    "patients.view_clinical_summary",
    *_perms("patients", "precautions", "view"),
    *_perms("patients", "consent", "view"),
    *_perms("patients", "consentform", "view"),
    *_perms("procedures", "product", "view"),
    *_perms("procedures", "lot", "view"),
    *_perms("procedures", "vial", "view"),
    *_perms("procedures", "muscle", "view"),
    *_perms("procedures", "treatmentsession", "view"),
    *_perms("procedures", "triggerpoint", "view"),
    *_perms("procedures", "injection", "view"),
    *_perms("procedures", "amendment", "view"),
    *_perms("procedures", "adverseevent", "view"),
    *_perms("followups", "followup", "view"),
    *_perms("followups", "surveyresponse", "view"),
    *_perms("followups", "alert", "view"),
]
_OUTCOMES = [
    "outcomes.view_patient_outcomes",
    "outcomes.view_dashboard",
    "outcomes.export_outcomes",
]
# Systems and staff reading over FHIR: the front desk sees Patient and
# Appointment only, the clinical roles see every resource.
_FHIR_SCHEDULING = ["fhir_api.read_fhir_scheduling"]
_FHIR_CLINICAL = [*_FHIR_SCHEDULING, "fhir_api.read_fhir_clinical"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    FRONT_DESK: [*_EVERYONE, *_PATIENT_DESK, *_SCHEDULING_DESK, *_FHIR_SCHEDULING],
    CLINICIAN: [
        *_EVERYONE,
        *_PATIENT_DESK,
        *_SCHEDULING_DESK,
        *_CLINICAL_READ,
        "scheduling.use_calendar_feed",
        *_perms("patients", "precautions", "add", "change"),
        *_perms("patients", "consent", "add", "change"),
        *_perms("procedures", "lot", "add"),
        *_perms("procedures", "vial", "add", "change"),
        *_perms("procedures", "treatmentsession", "add", "change"),
        "procedures.sign_treatmentsession",
        *_perms("procedures", "triggerpoint", "add", "change", "delete"),
        *_perms("procedures", "injection", "add", "change", "delete"),
        *_perms("procedures", "amendment", "add"),
        *_perms("procedures", "adverseevent", "add"),
        *_perms("followups", "alert", "change"),
        "followups.retry_followup",
        *_OUTCOMES,
        *_FHIR_CLINICAL,
    ],
    CLINIC_ADMIN: [
        *_EVERYONE,
        *_PATIENT_DESK,
        *_SCHEDULING_DESK,
        *_CLINICAL_READ,
        *_perms("clinic", "user", "view", "add", "change"),
        "clinic.view_audit",
        *_perms("clinic", "securitypolicy", "view", "change"),
        "auth.view_group",
        # Reset a lost phone (the user enrols again) and unlock a locked-out sign-in.
        *_perms("otp_totp", "totpdevice", "view", "delete"),
        *_perms("otp_static", "staticdevice", "view", "delete"),
        *_perms("axes", "accessattempt", "view", "delete"),
        *_perms("patients", "consentform", "add", "change"),
        *_perms("scheduling", "room", "add", "change"),
        *_perms("scheduling", "appointmenttype", "add", "change"),
        *_perms("scheduling", "workinghours", "add", "change", "delete"),
        *_perms("scheduling", "timeoff", "add", "change", "delete"),
        *_perms("procedures", "product", "add", "change"),
        *_perms("procedures", "lot", "add", "change"),
        "followups.retry_followup",
        *_OUTCOMES,
        *_FHIR_CLINICAL,
        *_perms("fhir_api", "apitoken", "view", "add", "change"),
    ],
}


def roles_sync(apps: Any, schema_editor: Any = None) -> None:
    """Create the groups and give each exactly its permissions.

    Runs inside migrations with the historical app registry. Permissions of
    apps not migrated yet are skipped; their own migration syncs again.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(_existing_permissions(permission_model, names))


def _existing_permissions(permission_model: Any, names: list[str]) -> list[Any]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    candidates = permission_model.objects.filter(
        codename__in=[codename for _, codename in wanted]
    ).select_related("content_type")
    return [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]
