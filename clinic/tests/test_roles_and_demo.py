from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from clinic.models import User
from clinic.roles import ROLE_PERMISSIONS, ROLES


@pytest.mark.django_db
def test_migrations_create_the_three_roles_with_exactly_their_permissions() -> None:
    for role in ROLES:
        group = Group.objects.get(name=role)
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert granted == set(ROLE_PERMISSIONS[role]), role


@pytest.mark.django_db
def test_every_permission_named_in_the_role_table_exists() -> None:
    named = {name for names in ROLE_PERMISSIONS.values() for name in names}
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert named - existing == set()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_each_demo_user_a_role(settings) -> None:
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")

    roles = {user.username: [g.name for g in user.groups.all()] for user in User.objects.all()}
    assert roles == {
        "frontdesk": ["Front desk"],
        "clinician": ["Clinician"],
        "clinician2": ["Clinician"],
        "admin": ["Clinic admin"],
    }
    assert User.objects.get(username="admin").check_password(settings.DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("seed_demo")

    assert not User.objects.exists()
