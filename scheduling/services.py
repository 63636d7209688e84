"""Every write to appointments: book, move, and each step of their life.

No double booking is the database's job: the exclusion constraints refuse
an overlap, and `checks.slot_taken` turns that refusal into a message naming what
is taken. Warnings (re-treatment, hours) need a written reason from someone
allowed to override them, and the reason is stored on the appointment.

`at` (default now) is when the action happens; the demo uses it to record
history in the past.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from clinic.models import User
from followups.services import followups_on_appointment_booked, followups_on_appointment_changed
from patients.models import Patient
from scheduling import checks, errors
from scheduling.clock import local_today, to_local, utc
from scheduling.feeds import feed_token_hash
from scheduling.models import (
    RELEASED_STATUSES,
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AppointmentType,
    CalendarFeed,
    Room,
)

logger = logging.getLogger(__name__)

Status = AppointmentStatus
Action = AppointmentChange.Action

CHECK_IN_OPENS = timedelta(hours=2)

# The life of an appointment, in one place: which status may follow which.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.BOOKED: frozenset({Status.ARRIVED, Status.CANCELLED, Status.NO_SHOW}),
    Status.ARRIVED: frozenset({Status.IN_SESSION, Status.CANCELLED}),
    Status.IN_SESSION: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}
# What each step is called in the history and in a refusal.
STEPS: dict[str, tuple[str, str]] = {
    Status.ARRIVED: (Action.CHECKED_IN, "checked in"),
    Status.IN_SESSION: (Action.STARTED, "started"),
    Status.COMPLETED: (Action.COMPLETED, "completed"),
    Status.CANCELLED: (Action.CANCELLED, "cancelled"),
    Status.NO_SHOW: (Action.NO_SHOW, "marked as a no-show"),
}


# Booking ---------------------------------------------------------------------


def appointment_book(
    *,
    patient: Patient,
    clinician: User,
    room: Room,
    appointment_type: AppointmentType,
    starts_at: datetime,
    booked_by: User,
    ends_at: datetime | None = None,
    note: str = "",
    walk_in: bool = False,
    retreatment_override_reason: str = "",
    hours_override_reason: str = "",
    booking_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> Appointment:
    """Book one appointment; the same `booking_key` twice books once."""
    at = at or timezone.now()
    if booking_key and (earlier := _booked_with(booking_key)):
        return earlier
    starts_at = utc(starts_at)
    ends_at = (
        utc(ends_at) if ends_at else starts_at + timedelta(minutes=appointment_type.default_minutes)
    )
    checks.raise_problems(
        checks.party_problems(patient=patient, clinician=clinician, room=room)
        | checks.type_problems(appointment_type)
        | checks.time_problems(starts_at=starts_at, ends_at=ends_at, at=at, walk_in=walk_in)
    )
    reasons = checks.overrides_checked(
        patient=patient,
        appointment_type=appointment_type,
        clinician=clinician,
        starts_at=starts_at,
        ends_at=ends_at,
        reasons={
            checks.RETREATMENT_FIELD: retreatment_override_reason,
            checks.HOURS_FIELD: hours_override_reason,
        },
        by=booked_by,
    )
    appointment = Appointment(
        patient=patient,
        clinician=clinician,
        room=room,
        appointment_type=appointment_type,
        timespan=DateTimeTZRange(starts_at, ends_at, "[)"),
        status=Status.ARRIVED if walk_in else Status.BOOKED,
        checked_in_at=at if walk_in else None,
        walk_in=walk_in,
        note=note.strip(),
        booking_key=booking_key,
        booked_by=booked_by,
        booked_at=at,
        **reasons,
    )
    try:
        with transaction.atomic():
            _queue_for_slots(appointment)
            appointment.save()
            _record(appointment, action=Action.BOOKED, status_before="", by=booked_by, at=at)
            followups_on_appointment_booked(appointment=appointment)
    except IntegrityError as error:
        if booking_key and (earlier := _booked_with(booking_key)):
            return earlier
        raise checks.slot_taken(error, appointment) from error
    logger.info("appointment %s booked by user %s", appointment.pk, booked_by.pk)
    return appointment


# Advisory-lock namespaces: bookings for one clinician, room or patient queue up.
_CLINICIAN_LOCK, _ROOM_LOCK, _PATIENT_LOCK = 7301, 7302, 7303


def _queue_for_slots(appointment: Appointment) -> None:
    """Wait for any other booking or move of the same clinician, room or patient
    to commit, always taking the locks in the same order. Without this, two
    bookings racing for one slot could each wait on the other's row in the
    exclusion constraints: a deadlock (a 500) instead of a clean refusal
    (`make bench`, booking contention)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s), pg_advisory_xact_lock(%s, %s), "
            "pg_advisory_xact_lock(%s, %s)",
            [
                _CLINICIAN_LOCK,
                appointment.clinician_id,
                _ROOM_LOCK,
                appointment.room_id,
                _PATIENT_LOCK,
                appointment.patient_id,
            ],
        )


def _booked_with(booking_key: uuid.UUID) -> Appointment | None:
    return Appointment.objects.filter(booking_key=booking_key).first()


def appointment_move(
    *,
    appointment: Appointment,
    starts_at: datetime,
    ends_at: datetime,
    clinician: User,
    room: Room,
    moved_by: User,
    retreatment_override_reason: str = "",
    hours_override_reason: str = "",
    at: datetime | None = None,
) -> Appointment:
    """Move a booked appointment to another time, clinician or room; the move is recorded."""
    at = at or timezone.now()
    starts_at, ends_at = utc(starts_at), utc(ends_at)
    moved = appointment
    try:
        with transaction.atomic():
            moved = _locked(appointment)
            if moved.status != Status.BOOKED:
                raise errors.IllegalTransition(
                    errors.ONLY_BOOKED_MOVES.format(status=moved.get_status_display().lower())
                )
            checks.raise_problems(
                checks.party_problems(patient=None, clinician=clinician, room=room)
                | checks.time_problems(starts_at=starts_at, ends_at=ends_at, at=at, walk_in=False)
            )
            reasons = checks.overrides_checked(
                patient=moved.patient,
                appointment_type=moved.appointment_type,
                clinician=clinician,
                starts_at=starts_at,
                ends_at=ends_at,
                reasons={
                    checks.RETREATMENT_FIELD: retreatment_override_reason,
                    checks.HOURS_FIELD: hours_override_reason,
                },
                by=moved_by,
                ignore=moved,
            )
            moved_from = _Placement(moved.timespan, moved.clinician, moved.room)
            moved.timespan = DateTimeTZRange(starts_at, ends_at, "[)")
            moved.clinician, moved.room = clinician, room
            for field, reason in reasons.items():
                setattr(moved, field, reason)
            _queue_for_slots(moved)
            moved.save(update_fields=["timespan", "clinician", "room", *reasons, "updated_at"])
            _record(
                moved,
                action=Action.MOVED,
                status_before=moved.status,
                by=moved_by,
                at=at,
                moved_from=moved_from,
            )
            followups_on_appointment_changed(appointment=moved)
    except IntegrityError as error:
        raise checks.slot_taken(error, moved) from error
    logger.info("appointment %s moved by user %s", moved.pk, moved_by.pk)
    return moved


# The life of an appointment ------------------------------------------------------


def appointment_transition(
    *,
    appointment: Appointment,
    to_status: str,
    by: User,
    reason: str = "",
    at: datetime | None = None,
) -> Appointment:
    """Move the appointment to `to_status` if TRANSITIONS allows it; returns it updated."""
    at = at or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(appointment)
        refusal = transition_refusal(locked, to_status=to_status, at=at)
        if refusal:
            raise errors.IllegalTransition(refusal)
        if to_status == Status.CANCELLED and not reason:
            raise ValidationError({"reason": errors.CANCEL_NEEDS_REASON})
        status_before, locked.status = locked.status, to_status
        changed = ["status", "updated_at"]
        if to_status == Status.ARRIVED:
            locked.checked_in_at = at
            changed.append("checked_in_at")
        if to_status == Status.CANCELLED:
            locked.cancel_reason = reason
            changed.append("cancel_reason")
        locked.save(update_fields=changed)
        action, _ = STEPS[to_status]
        _record(locked, action=action, status_before=status_before, by=by, at=at, reason=reason)
        if to_status in RELEASED_STATUSES:
            followups_on_appointment_changed(appointment=locked)
    logger.info("appointment %s %s by user %s", locked.pk, action, by.pk)
    return locked


def transition_refusal(appointment: Appointment, *, to_status: str, at: datetime) -> str:
    """Why the appointment may not go to `to_status` at `at`, or "" when it may."""
    _, described = STEPS[to_status]
    if to_status not in TRANSITIONS[appointment.status]:
        status = appointment.get_status_display()
        return errors.ILLEGAL_TRANSITION.format(status=status, action=described)
    if to_status == Status.ARRIVED:
        if at < appointment.starts_at - CHECK_IN_OPENS:
            return errors.CHECK_IN_TOO_EARLY
        if local_today(now=at) > to_local(appointment.starts_at).date():
            return errors.CHECK_IN_DAY_OVER
    if to_status == Status.NO_SHOW and at < appointment.starts_at:
        return errors.NO_SHOW_TOO_EARLY
    return ""


def appointment_check_in(
    *, appointment: Appointment, by: User, at: datetime | None = None
) -> Appointment:
    return appointment_transition(appointment=appointment, to_status=Status.ARRIVED, by=by, at=at)


def appointment_start_session(
    *, appointment: Appointment, by: User, at: datetime | None = None
) -> Appointment:
    """For the procedures app: the clinician starts the session of an arrived patient."""
    return appointment_transition(
        appointment=appointment, to_status=Status.IN_SESSION, by=by, at=at
    )


def appointment_complete(
    *, appointment: Appointment, by: User, at: datetime | None = None
) -> Appointment:
    return appointment_transition(appointment=appointment, to_status=Status.COMPLETED, by=by, at=at)


def appointment_cancel(
    *, appointment: Appointment, by: User, reason: str, at: datetime | None = None
) -> Appointment:
    return appointment_transition(
        appointment=appointment, to_status=Status.CANCELLED, by=by, reason=reason, at=at
    )


def appointment_mark_no_show(
    *, appointment: Appointment, by: User, at: datetime | None = None
) -> Appointment:
    return appointment_transition(appointment=appointment, to_status=Status.NO_SHOW, by=by, at=at)


# Calendar feeds ------------------------------------------------------------------------


def calendar_feed_issue(*, clinician: User) -> str:
    """A new secret token for the clinician's feed; the previous URL stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        clinician=clinician,
        defaults={"token_hash": feed_token_hash(token), "issued_at": timezone.now()},
    )
    logger.info("calendar feed issued for user %s", clinician.pk)
    return token


def calendar_feed_revoke(*, clinician: User) -> None:
    CalendarFeed.objects.filter(clinician=clinician).delete()
    logger.info("calendar feed revoked for user %s", clinician.pk)


# Shared -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    timespan: DateTimeTZRange
    clinician: User
    room: Room


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked until the transaction ends, with what checks need."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient", "appointment_type", "clinician", "room")
        .get(pk=appointment.pk)
    )


def _record(
    appointment: Appointment,
    *,
    action: str,
    status_before: str,
    by: User,
    at: datetime,
    reason: str = "",
    moved_from: _Placement | None = None,
) -> AppointmentChange:
    placed = action in (Action.BOOKED, Action.MOVED)
    return AppointmentChange.objects.create(
        appointment=appointment,
        action=action,
        status_before=status_before,
        status_after=appointment.status,
        timespan_before=moved_from.timespan if moved_from else None,
        clinician_before=moved_from.clinician if moved_from else None,
        room_before=moved_from.room if moved_from else None,
        timespan_after=appointment.timespan if placed else None,
        clinician_after=appointment.clinician if placed else None,
        room_after=appointment.room if placed else None,
        reason=reason,
        changed_by=by,
        changed_at=at,
    )
