"""Starting a treatment session and keeping its details.

Every write to a session goes through `session_lock_draft`: the row is
locked for the transaction, and a signed session, or someone else's draft,
is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from clinic.models import User
from patients.models import Patient
from procedures import errors
from procedures.errors import ProcedureError
from procedures.models import AdverseEvent, Product, SessionStatus, TreatmentSession
from procedures.selectors import patient_valid_consent
from scheduling.errors import IllegalTransition
from scheduling.models import Appointment, AppointmentKind
from scheduling.services import appointment_start_session

logger = logging.getLogger(__name__)

DETAIL_FIELDS = (
    "product",
    "indication",
    "icd10_code",
    "pain_before",
    "precautions_confirmed",
    "site_infection_checked",
    "observation_minutes",
    "vitals",
    "aftercare_given",
    "aftercare_notes",
)


@transaction.atomic
def session_start_from_appointment(
    *, appointment: Appointment, user: User, at: dt.datetime | None = None
) -> TreatmentSession:
    """Open the session of a checked-in injection appointment (or return the
    one already open for it)."""
    existing = TreatmentSession.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if appointment.appointment_type.kind != AppointmentKind.INJECTION:
        raise ProcedureError(errors.APPOINTMENT_NOT_INJECTION)
    try:
        appointment_start_session(appointment=appointment, by=user, at=at)
    except IllegalTransition as refusal:
        raise ProcedureError(refusal.message) from refusal
    return _session_create(patient=appointment.patient, appointment=appointment, user=user, at=at)


@transaction.atomic
def session_start_walk_in(
    *, patient: Patient, user: User, at: dt.datetime | None = None
) -> TreatmentSession:
    """Open a session without an appointment, or return the patient's walk-in
    draft already open today (a second click does not make a second one)."""
    if patient.is_archived:
        raise ProcedureError(errors.PATIENT_ARCHIVED)
    at = at or timezone.now()
    today = TreatmentSession.objects.filter(
        patient=patient,
        appointment=None,
        status=SessionStatus.DRAFT,
        started_at__date=timezone.localdate(at),
    ).first()
    if today is not None:
        return today
    return _session_create(patient=patient, appointment=None, user=user, at=at)


def _session_create(
    *, patient: Patient, appointment: Appointment | None, user: User, at: dt.datetime | None
) -> TreatmentSession:
    at = at or timezone.now()
    session = TreatmentSession.objects.create(
        patient=patient,
        appointment=appointment,
        clinician=user,
        product=_default_product(patient),
        consent=patient_valid_consent(patient=patient, on=timezone.localdate(at)),
        started_at=at,
    )
    logger.info("session %s started by user %s", session.pk, user.pk)
    return session


def _default_product(patient: Patient) -> Product | None:
    """The product of the patient's last signed session, else the first active one."""
    last = (
        TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)
        .exclude(product=None)
        .select_related("product")
        .order_by("-started_at")
        .first()
    )
    if last is not None and last.product.is_active:
        return last.product
    return Product.objects.filter(is_active=True).order_by("brand_name").first()


def session_lock_draft(*, session: TreatmentSession, user: User) -> TreatmentSession:
    """The session's row, locked for this transaction, if `user` may change it."""
    locked = (
        TreatmentSession.objects.select_for_update(of=("self",))
        .select_related("product", "patient")
        .get(pk=session.pk)
    )
    if locked.is_signed:
        raise ProcedureError(errors.SESSION_SIGNED)
    if locked.clinician_id != user.pk:
        raise ProcedureError(errors.SESSION_NOT_YOURS)
    return locked


@transaction.atomic
def session_details_update(
    *, session: TreatmentSession, user: User, changes: dict[str, Any]
) -> TreatmentSession:
    """Save the header and after-care fields given in `changes` (already
    validated by the form)."""
    session = session_lock_draft(session=session, user=user)
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not a session detail: {sorted(unknown)}")
    new_product = changes.get("product", session.product)
    if (
        new_product != session.product
        and session.trigger_points.filter(injections__isnull=False).exists()
    ):
        raise ProcedureError(errors.PRODUCT_LOCKED, field="product")
    for name, value in changes.items():
        setattr(session, name, value)
    session.save(update_fields=list(changes))
    return session


@transaction.atomic
def adverse_event_record(
    *, session: TreatmentSession, user: User, kind: str, severity: str, description: str = ""
) -> AdverseEvent:
    """An immediate reaction seen in clinic, while the session is a draft."""
    session = session_lock_draft(session=session, user=user)
    return AdverseEvent.objects.create(
        session=session,
        kind=kind,
        severity=severity,
        description=description,
        source=AdverseEvent.Source.OBSERVED,
        reported_by=user,
    )


@transaction.atomic
def adverse_event_remove(*, session: TreatmentSession, event: AdverseEvent, user: User) -> None:
    session = session_lock_draft(session=session, user=user)
    session.adverse_events.filter(pk=event.pk, source=AdverseEvent.Source.OBSERVED).delete()
