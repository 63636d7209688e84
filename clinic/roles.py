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

ROLE_PERMISSIONS: dict[str, list[str]] = {
    FRONT_DESK: [*_EVERYONE],
    CLINICIAN: [*_EVERYONE],
    CLINIC_ADMIN: [
        *_EVERYONE,
        "clinic.view_user",
        "clinic.add_user",
        "clinic.change_user",
        "auth.view_group",
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
