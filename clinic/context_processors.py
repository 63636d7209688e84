from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from clinic import sessions
from clinic.navigation import frame_urls, nav_items_for
from clinic.selectors import user_roles


def clinic(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "demo_mode": settings.DEBUG,
        "frame_urls": frame_urls(),
        "nav_items": nav_items_for(user) if signed_in else [],
        "user_roles": user_roles(user) if signed_in else [],
        "idle_timeout": _idle_timeout(request) if signed_in else None,
    }


def _idle_timeout(request: HttpRequest) -> dict[str, int]:
    """What static/js/idle-timeout.js needs to warn before the session ends.
    After activity it counts from the idle limit less the stamp's resolution,
    since the server may have kept an older stamp."""
    idle = settings.SESSION_IDLE_TIMEOUT - settings.SESSION_ACTIVITY_RESOLUTION
    return {
        "seconds_left": sessions.session_seconds_left(request.session),
        "idle_seconds": int(idle.total_seconds()),
        "warning_seconds": int(settings.SESSION_IDLE_WARNING.total_seconds()),
    }
