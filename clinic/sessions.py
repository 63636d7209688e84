"""Session lifetimes: an idle limit and an absolute limit since sign-in.

Both stamps live in the session itself (seconds since the epoch). The idle
stamp is rewritten only when it is older than SESSION_ACTIVITY_RESOLUTION, so
most requests do not write the session row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

SIGNED_IN_AT = "clinic_signed_in_at"
LAST_ACTIVITY_AT = "clinic_last_activity_at"


def _now() -> float:
    return timezone.now().timestamp()


def session_start(session: SessionBase) -> None:
    now = _now()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY_AT] = now


def session_expired(session: SessionBase) -> bool:
    """True when either limit has passed; a session without stamps counts as expired."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_activity_at = session.get(LAST_ACTIVITY_AT)
    if signed_in_at is None or last_activity_at is None:
        return True
    now = _now()
    return (
        now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        or now - last_activity_at >= settings.SESSION_IDLE_TIMEOUT.total_seconds()
    )


def session_touch(session: SessionBase, *, force: bool = False) -> None:
    now = _now()
    stale = now - session[LAST_ACTIVITY_AT] >= settings.SESSION_ACTIVITY_RESOLUTION.total_seconds()
    if force or stale:
        session[LAST_ACTIVITY_AT] = now


def session_seconds_left(session: SessionBase) -> int:
    """Seconds until this session ends if nothing else happens (for the idle warning)."""
    now = _now()
    idle_end = session[LAST_ACTIVITY_AT] + settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute_end = session[SIGNED_IN_AT] + settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    return max(0, int(min(idle_end, absolute_end) - now))
