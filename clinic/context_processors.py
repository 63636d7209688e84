from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from clinic.navigation import nav_items_for
from clinic.selectors import user_roles


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "demo_mode": settings.DEBUG,
        "nav_items": nav_items_for(user) if signed_in else [],
        "user_roles": user_roles(user) if signed_in else [],
    }
