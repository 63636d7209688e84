"""The access log: who opened, changed or was refused what, and every sign-in event.

    from clinic.audit import Action, access_log_write

    access_log_write(request=request, action=Action.VIEWED, target=patient)

Rows hold ids only (user id, the target's model label and primary key, IP,
request id), never names or other health information, and the database
refuses to change or delete them. Changes to data are recorded separately,
by triggers (clinic.history).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest

from clinic.client_ip import client_ip
from clinic.models import AccessEvent, Action, User
from clinic.request_id import current_request_id

__all__ = ["AccessEvent", "Action", "AuditTarget", "access_log_write"]


@dataclass(frozen=True)
class AuditTarget:
    """What an event is about, when it is not a model instance (a URL name and its ids)."""

    type: str
    id: str = ""
    patient_id: int | None = None


def access_log_write(
    *,
    request: HttpRequest | None,
    action: str,
    target: models.Model | AuditTarget | None = None,
    user: User | None = None,
) -> AccessEvent:
    """Append one event. `user` defaults to the signed-in user of `request`."""
    object_type, object_id = _describe(target)
    return AccessEvent.objects.create(
        user=user or _signed_in_user(request),
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient_id=_patient_of(target),
        ip_address=client_ip(request) if request is not None else None,
        request_id=_request_id(),
    )


def url_target(request: HttpRequest) -> AuditTarget:
    """The named URL a request reached, with its ids: what a refusal is logged against."""
    match = request.resolver_match
    if match is None:
        return AuditTarget(type="url")
    ids = ",".join(f"{name}={value}" for name, value in sorted(match.kwargs.items()))
    patient_id = match.kwargs.get("patient_id")
    return AuditTarget(
        type=f"url:{match.view_name}",
        id=ids[:64],
        patient_id=patient_id if isinstance(patient_id, int) else None,
    )


def _describe(target: models.Model | AuditTarget | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, AuditTarget):
        return target.type, target.id
    return target._meta.label_lower, str(target.pk)


def _patient_of(target: models.Model | AuditTarget | None) -> int | None:
    """A patient is their own record; sessions, appointments, consents... name theirs."""
    if isinstance(target, AuditTarget):
        return target.patient_id
    if target is not None and target._meta.label_lower == "patients.patient":
        return target.pk
    return getattr(target, "patient_id", None)


def _signed_in_user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _request_id() -> str:
    request_id = current_request_id.get()
    return "" if request_id == "-" else request_id
