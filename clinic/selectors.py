from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from clinic.backends import role_names
from clinic.models import AccessEvent, SecurityPolicy
from clinic.roles import ROLES


def user_roles(user: Any) -> list[str]:
    """The user's roles in a fixed order; superusers count as clinic admins."""
    if user.is_superuser:
        return ["Clinic admin"]
    names = role_names(user)
    return [role for role in ROLES if role in names]


def security_policy() -> SecurityPolicy:
    """The clinic's one policy row (made by a migration; defaults if it is missing)."""
    return SecurityPolicy.objects.filter(pk=1).first() or SecurityPolicy(pk=1)


def access_events_filtered(
    *,
    object_type: str = "",
    object_id: str = "",
    patient: int | None = None,
    user: Any = None,
    action: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AccessEvent]:
    """Access-log rows, newest first; dates are whole days in the clinic's time zone."""
    events = AccessEvent.objects.select_related("user").order_by("-at", "-id")
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if patient is not None:
        events = events.filter(patient_id=patient)
    if user is not None:
        events = events.filter(user=user)
    if action:
        events = events.filter(action=action)
    if start:
        events = events.filter(at__gte=_local_midnight(start))
    if end:
        events = events.filter(at__lt=_local_midnight(end + timedelta(days=1)))
    return events


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
