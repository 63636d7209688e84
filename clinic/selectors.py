from __future__ import annotations

from typing import Any

from clinic.roles import ROLES


def user_roles(user: Any) -> list[str]:
    """The user's roles in a fixed order; superusers count as clinic admins."""
    if user.is_superuser:
        return ["Clinic admin"]
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role in names]
