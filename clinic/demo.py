"""Demo staff for `manage.py seed_demo`. Made-up people only."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group

from clinic.models import User
from clinic.roles import CLINIC_ADMIN, CLINICIAN, FRONT_DESK


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    credentials: str = ""


DEMO_USERS = [
    DemoUser("frontdesk", "Fran", "Desmond", FRONT_DESK),
    DemoUser("clinician", "Casey", "Lindqvist", CLINICIAN, "MD"),
    DemoUser("clinician2", "Priya", "Raman", CLINICIAN, "DO"),
    DemoUser("admin", "Ada", "Minton", CLINIC_ADMIN),
]


def seed() -> str:
    return f"{len(seed_users())} staff accounts"


def seed_users() -> list[User]:
    return [_seed_user(demo) for demo in DEMO_USERS]


def _seed_user(demo: DemoUser) -> User:
    user, created = User.objects.get_or_create(
        username=demo.username,
        defaults={
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "credentials": demo.credentials,
            "email": f"{demo.username}@clinic.example",
            "is_staff": demo.role == CLINIC_ADMIN,
        },
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=demo.role))
    return user
