"""Whether a follow-up may still go, decided at send time (not when queued).

Consent, unsubscribing, a cancelled appointment or a newly booked injection
can all change between the day a follow-up is written and the day it is due.
"""

from __future__ import annotations

import datetime as dt

from followups.models import FollowUp, FollowUpKind
from procedures.models import SessionStatus, TreatmentSession
from scheduling.models import Appointment, AppointmentKind, AppointmentStatus

SKIP_NO_EMAIL = "No email address on file."
SKIP_NO_CONSENT = "No consent to email on file."
SKIP_UNSUBSCRIBED = "The patient unsubscribed."
SKIP_ARCHIVED = "The patient's record is archived."
SKIP_NOT_BOOKED = "The appointment is no longer booked."
SKIP_STARTED = "The appointment has already started."
SKIP_NEXT_BOOKED = "The next injection session is already booked or done."

# Booked or under way: an injection that will happen or is happening.
_UPCOMING = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.IN_SESSION)


def followup_skip_reason(*, followup: FollowUp, now: dt.datetime) -> str:
    """Why the email must not go now, or "" when it may."""
    return _patient_reason(followup) or _kind_reason(followup, now)


def _patient_reason(followup: FollowUp) -> str:
    patient = followup.patient
    if patient.unsubscribed_at:
        return SKIP_UNSUBSCRIBED
    if patient.archived_at:
        return SKIP_ARCHIVED
    if not patient.email:
        return SKIP_NO_EMAIL
    if not patient.email_consent:
        return SKIP_NO_CONSENT
    return ""


def _kind_reason(followup: FollowUp, now: dt.datetime) -> str:
    if followup.kind == FollowUpKind.APPOINTMENT_REMINDER:
        return _appointment_reason(followup.appointment, now)
    if followup.kind == FollowUpKind.RETREATMENT_REMINDER:
        return _retreatment_reason(followup.session)
    return ""


def _appointment_reason(appointment: Appointment, now: dt.datetime) -> str:
    if appointment.status != AppointmentStatus.BOOKED:
        return SKIP_NOT_BOOKED
    if appointment.starts_at <= now:
        return SKIP_STARTED
    return ""


def _retreatment_reason(session: TreatmentSession) -> str:
    later_injection = Appointment.objects.filter(
        patient_id=session.patient_id,
        appointment_type__kind=AppointmentKind.INJECTION,
        status__in=_UPCOMING,
        timespan__startswith__gt=session.started_at,
    ).exclude(pk=session.appointment_id)
    later_session = TreatmentSession.objects.filter(
        patient_id=session.patient_id,
        status=SessionStatus.SIGNED,
        started_at__gt=session.started_at,
    )
    if later_injection.exists() or later_session.exists():
        return SKIP_NEXT_BOOKED
    return ""
