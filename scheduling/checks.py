"""What booking and moving check before the database has its say.

Bad input comes back as a ValidationError keyed by form field, warnings
that lack an override reason likewise, and a refusal by an exclusion
constraint as SlotTaken naming what is taken.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clinic.models import User
from patients.models import Patient
from scheduling import errors
from scheduling.clock import local_today, on_step, to_local
from scheduling.display import clinician_label, clock_range
from scheduling.models import RELEASED_STATUSES, Appointment, AppointmentType, Room
from scheduling.rules import hours_warning, retreatment_warning
from scheduling.selectors import clinicians

MAX_LENGTH = timedelta(hours=8)
# A walk-in is already here; the room may take a few minutes to get ready.
WALK_IN_AHEAD = timedelta(minutes=15)
OVERRIDE_PERMISSION = "scheduling.override_appointment_warning"
RETREATMENT_FIELD = "retreatment_override_reason"
HOURS_FIELD = "hours_override_reason"
# Which form field a refusal of each exclusion constraint belongs to.
CONSTRAINT_FIELDS = {
    "appointment_no_clinician_overlap": "clinician",
    "appointment_no_room_overlap": "room",
    "appointment_no_patient_overlap": "patient",
}


def party_problems(*, patient: Patient | None, clinician: User, room: Room) -> dict[str, str]:
    problems = {}
    if patient is not None and patient.archived_at is not None:
        problems["patient"] = errors.PATIENT_ARCHIVED
    if not clinicians().filter(pk=clinician.pk).exists():
        problems["clinician"] = errors.UNKNOWN_CLINICIAN
    if not room.is_active:
        problems["room"] = errors.UNKNOWN_ROOM
    return problems


def type_problems(appointment_type: AppointmentType) -> dict[str, str]:
    return {} if appointment_type.is_active else {"appointment_type": errors.UNKNOWN_TYPE}


def time_problems(
    *, starts_at: datetime, ends_at: datetime, at: datetime, walk_in: bool
) -> dict[str, str]:
    if ends_at <= starts_at:
        return {"ends_at": errors.END_BEFORE_START}
    problems = {}
    if ends_at - starts_at > MAX_LENGTH:
        problems["ends_at"] = errors.TOO_LONG
    elif not on_step(ends_at):
        problems["ends_at"] = errors.OFF_STEP
    if not on_step(starts_at):
        problems["starts_at"] = errors.OFF_STEP
    elif walk_in and (
        to_local(starts_at).date() != local_today(now=at) or starts_at > at + WALK_IN_AHEAD
    ):
        problems["starts_at"] = errors.WALK_IN_NOT_NOW
    elif not walk_in and starts_at < at:
        problems["starts_at"] = errors.START_IN_PAST
    return problems


def raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def overrides_checked(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    clinician: User,
    starts_at: datetime,
    ends_at: datetime,
    reasons: dict[str, str],
    by: User,
    ignore: Appointment | None = None,
) -> dict[str, str]:
    """The override reasons to store, by field.

    Refuses (ValidationError on the reason's field) a warning given no
    reason, or given by someone not allowed to override it. A reason given
    where nothing warned is not stored.
    """
    warnings = {
        RETREATMENT_FIELD: retreatment_warning(
            patient=patient, appointment_type=appointment_type, starts_at=starts_at, ignore=ignore
        ),
        HOURS_FIELD: hours_warning(clinician=clinician, starts_at=starts_at, ends_at=ends_at),
    }
    stored = dict.fromkeys(warnings, "")
    refused = {}
    for field, warning in warnings.items():
        reason = reasons.get(field, "").strip()
        if not warning:
            continue
        if not by.has_perm(OVERRIDE_PERMISSION):
            refused[field] = warning + errors.OVERRIDE_NOT_ALLOWED
        elif not reason:
            refused[field] = warning + errors.OVERRIDE_NEEDS_REASON
        else:
            stored[field] = reason
    raise_problems(refused)
    return stored


def slot_taken(error: IntegrityError, wanted: Appointment) -> Exception:
    """A message naming what is taken, from the exclusion constraint that refused `wanted`;
    any other integrity error is returned as it is."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    field = CONSTRAINT_FIELDS.get(constraint or "")
    if field is None:
        return error
    taken = (
        Appointment.objects.exclude(status__in=RELEASED_STATUSES)
        .exclude(pk=wanted.pk)
        .filter(**{field: getattr(wanted, field)}, timespan__overlap=wanted.timespan)
        .select_related("clinician", "room")
        .first()
    )
    message = _taken_message(field, taken)
    return errors.SlotTaken(field=field, message=message, constraint=constraint)


def _taken_message(field: str, taken: Appointment | None) -> str:
    if taken is None:
        return errors.SLOT_TAKEN
    time = clock_range(taken.starts_at, taken.ends_at)
    if field == "clinician":
        return errors.CLINICIAN_TAKEN.format(clinician=clinician_label(taken.clinician), time=time)
    if field == "room":
        return errors.ROOM_TAKEN.format(room=taken.room.name, time=time)
    return errors.PATIENT_TAKEN.format(time=time, clinician=clinician_label(taken.clinician))
