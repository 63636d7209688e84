"""Writes to the follow-up outbox, survey answers and alerts.

The scheduling and procedures services call the `followups_on_*` functions
inside their own transactions, so a booking or a signature and its
follow-ups are committed together or not at all. Nothing here talks to
Redis or SMTP: the courier (followups.courier) sends what is due.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followups.models import (
    SURVEY_KINDS,
    Alert,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    SurveyResponse,
)
from followups.rechecks import SKIP_UNSUBSCRIBED
from followups.tasks import alert_email_send
from followups.timing import reminder_due, session_followups_due
from patients.models import Patient
from scheduling.models import RELEASED_STATUSES, AppointmentStatus

if TYPE_CHECKING:
    import datetime as dt

    from clinic.models import User
    from procedures.models import TreatmentSession
    from scheduling.models import Appointment

logger = logging.getLogger(__name__)

SKIP_SIGNED_LATE = "The session was signed after this follow-up was due."
CANCELLED_APPOINTMENT = "The appointment was cancelled or missed."
CANCELLED_SHORT_NOTICE = "The appointment was moved to less than the reminder notice away."
NOT_FAILED = "Only a failed email can be retried; this one is {status}."
ALREADY_ANSWERED = "This survey has already been answered."

# Rows that have not gone out and may still be changed by the clinic's side.
_NOT_YET_SENT = (FollowUpStatus.PENDING, FollowUpStatus.FAILED)


class FollowUpError(Exception):
    """A follow-up action that the current state does not allow."""


# Hooks called inside the callers' transactions ---------------------------------


def followups_on_appointment_booked(*, appointment: Appointment) -> None:
    """Queue the appointment reminder."""
    _reminder_schedule(appointment=appointment)


def followups_on_appointment_changed(*, appointment: Appointment) -> None:
    """Re-time the reminder after a move; cancel it after a cancel or no-show.
    (Once the patient has arrived, the send-time check stops the reminder.)"""
    if appointment.status == AppointmentStatus.BOOKED:
        _reminder_schedule(appointment=appointment)
    elif appointment.status in RELEASED_STATUSES:
        _reminder_cancel(appointment=appointment, reason=CANCELLED_APPOINTMENT)


def followups_on_session_signed(*, session: TreatmentSession) -> None:
    """Queue the day-after check, the 2- and 6-week surveys and the
    re-treatment reminder. Calling it twice changes nothing."""
    now = timezone.now()
    rows = [
        _session_followup(session=session, kind=kind, due_at=due_at, now=now)
        for kind, due_at in session_followups_due(session=session).items()
    ]
    # ON CONFLICT DO NOTHING against the one-per-(kind, session) constraint.
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)


def _session_followup(
    *, session: TreatmentSession, kind: str, due_at: dt.datetime, now: dt.datetime
) -> FollowUp:
    too_late = due_at < now - settings.FOLLOWUP_TOO_LATE
    return FollowUp(
        kind=kind,
        patient_id=session.patient_id,
        session=session,
        due_at=due_at,
        status=FollowUpStatus.SKIPPED if too_late else FollowUpStatus.PENDING,
        skip_reason=SKIP_SIGNED_LATE if too_late else "",
    )


def _reminder_schedule(*, appointment: Appointment) -> None:
    due_at = reminder_due(starts_at=appointment.starts_at, now=timezone.now())
    reminder = (
        FollowUp.objects.select_for_update()
        .filter(kind=FollowUpKind.APPOINTMENT_REMINDER, appointment=appointment)
        .first()
    )
    if reminder is None:
        if due_at is not None:
            FollowUp.objects.create(
                kind=FollowUpKind.APPOINTMENT_REMINDER,
                patient_id=appointment.patient_id,
                appointment=appointment,
                due_at=due_at,
            )
        return
    if due_at is None:
        _reminder_cancel(appointment=appointment, reason=CANCELLED_SHORT_NOTICE)
        return
    # A reminder on its way out already renders the appointment's current time.
    unchanged = reminder.status == FollowUpStatus.SENT and reminder.due_at == due_at
    if reminder.status == FollowUpStatus.SENDING or unchanged:
        return
    FollowUp.objects.filter(pk=reminder.pk).update(
        status=FollowUpStatus.PENDING,
        due_at=due_at,
        attempts=0,
        next_attempt_at=None,
        last_error="",
        skip_reason="",
    )


def _reminder_cancel(*, appointment: Appointment, reason: str) -> None:
    FollowUp.objects.filter(
        kind=FollowUpKind.APPOINTMENT_REMINDER, appointment=appointment, status__in=_NOT_YET_SENT
    ).update(status=FollowUpStatus.CANCELLED, skip_reason=reason)


# Staff actions -------------------------------------------------------------------


def followup_retry(*, followup: FollowUp, user: User) -> None:
    """Send a failed email again, with a fresh set of attempts."""
    retried = FollowUp.objects.filter(pk=followup.pk, status=FollowUpStatus.FAILED).update(
        status=FollowUpStatus.PENDING, attempts=0, next_attempt_at=None
    )
    if not retried:
        raise FollowUpError(NOT_FAILED.format(status=followup.get_status_display().lower()))
    logger.info("follow-up %s put back in the outbox by user %s", followup.pk, user.pk)


def alert_acknowledge(*, alert: Alert, user: User) -> None:
    Alert.objects.filter(pk=alert.pk, acknowledged_at=None).update(
        acknowledged_at=timezone.now(), acknowledged_by=user
    )
    logger.info("alert %s acknowledged by user %s", alert.pk, user.pk)


# Patients' answers through signed links ----------------------------------------------


@transaction.atomic
def followups_unsubscribe(*, patient: Patient) -> None:
    """Stop every email to the patient, now and later."""
    Patient.objects.filter(pk=patient.pk, unsubscribed_at=None).update(
        unsubscribed_at=timezone.now()
    )
    FollowUp.objects.filter(patient=patient, status__in=_NOT_YET_SENT).update(
        status=FollowUpStatus.SKIPPED, skip_reason=SKIP_UNSUBSCRIBED
    )
    logger.info("patient %s unsubscribed from emails", patient.pk)


@transaction.atomic
def survey_response_record(*, followup: FollowUp, answers: dict[str, Any]) -> SurveyResponse:
    """Keep the patient's answers; a warning sign raises an alert for the
    session's clinician, emailed to the clinic at once."""
    locked = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=followup.pk, kind__in=SURVEY_KINDS)
    )
    if SurveyResponse.objects.filter(followup=locked).exists():
        raise FollowUpError(ALREADY_ANSWERED)
    response = SurveyResponse.objects.create(
        followup=locked, session=locked.session, patient_id=locked.patient_id, **answers
    )
    if response.warning_signs:
        alert = Alert.objects.create(
            response=response, session=locked.session, clinician_id=locked.session.clinician_id
        )
        # robust: a broker outage must not lose the answers; the dispatcher's
        # sweep emails alerts that are still waiting.
        transaction.on_commit(partial(alert_email_send.delay, alert.pk), robust=True)
    return response
