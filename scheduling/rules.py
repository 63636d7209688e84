"""Warnings that the front desk may override with a written reason.

Re-treatment: an injection session sooner than the product's minimum
interval after the patient's last signed session, or near another injection
session already booked. Hours: outside the clinician's working hours or in
their time off.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from clinic.models import User
from patients.models import Patient
from procedures.models import Product, SessionStatus, TreatmentSession
from scheduling import errors
from scheduling.clock import at_local, to_local
from scheduling.display import clinician_label, date_label
from scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentType,
    TimeOff,
    WorkingHours,
)

DEFAULT_RETREATMENT_DAYS: int = Product._meta.get_field("min_retreatment_days").default
UPCOMING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.IN_SESSION,
)


def retreatment_warning(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    starts_at: datetime,
    ignore: Appointment | None = None,
) -> str:
    """Why this injection session is too soon, or "" when it is not."""
    if appointment_type.kind != AppointmentKind.INJECTION:
        return ""
    day = to_local(starts_at).date()
    last = _last_signed_session(patient=patient, before=starts_at)
    days = last.product.min_retreatment_days if last and last.product else DEFAULT_RETREATMENT_DAYS
    if last is not None:
        earliest = to_local(last.started_at).date() + timedelta(days=days)
        if day < earliest:
            return errors.RETREATMENT_TOO_SOON.format(
                last=date_label(to_local(last.started_at).date()),
                days=days,
                earliest=date_label(earliest),
            )
    other = _injection_booked_near(patient=patient, day=day, days=days, ignore=ignore)
    if other is not None:
        return errors.RETREATMENT_ALREADY_BOOKED.format(
            other=date_label(to_local(other.starts_at).date()), days=days
        )
    return ""


def _last_signed_session(*, patient: Patient, before: datetime) -> TreatmentSession | None:
    return (
        TreatmentSession.objects.filter(
            patient=patient, status=SessionStatus.SIGNED, started_at__lt=before
        )
        .select_related("product")
        .order_by("-started_at")
        .first()
    )


def _injection_booked_near(
    *, patient: Patient, day: date, days: int, ignore: Appointment | None
) -> Appointment | None:
    """Another upcoming injection session less than `days` days either side of `day`."""
    window = DateTimeTZRange(
        at_local(day - timedelta(days=days - 1), datetime.min.time()),
        at_local(day + timedelta(days=days), datetime.min.time()),
        "[)",
    )
    nearby = Appointment.objects.filter(
        patient=patient,
        appointment_type__kind=AppointmentKind.INJECTION,
        status__in=UPCOMING_STATUSES,
        timespan__overlap=window,
    )
    if ignore is not None:
        nearby = nearby.exclude(pk=ignore.pk)
    return nearby.order_by("timespan").first()


def hours_warning(*, clinician: User, starts_at: datetime, ends_at: datetime) -> str:
    """Why the clinician is not working then, or "" when they are."""
    name = clinician_label(clinician)
    time_off = TimeOff.objects.filter(
        clinician=clinician, timespan__overlap=DateTimeTZRange(starts_at, ends_at, "[)")
    ).first()
    if time_off is not None:
        reason = f" ({time_off.reason})" if time_off.reason else ""
        return errors.ON_TIME_OFF.format(clinician=name, reason=reason)
    local_start = to_local(starts_at)
    blocks = list(WorkingHours.objects.filter(clinician=clinician, weekday=local_start.weekday()))
    if not blocks:
        return errors.NOT_WORKING_THAT_DAY.format(clinician=name, weekday=f"{local_start:%A}")
    if within_hours(blocks, starts_at=starts_at, ends_at=ends_at):
        return ""
    hours = ", ".join(f"{block.starts_at:%H:%M}–{block.ends_at:%H:%M}" for block in blocks)
    return errors.OUTSIDE_HOURS.format(clinician=name, hours=f"{local_start:%A}s {hours}")


def within_hours(blocks: Iterable[WorkingHours], *, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether [starts_at, ends_at) lies inside one of the weekday's blocks, in local time."""
    return within_local_hours(blocks, local_start=to_local(starts_at), local_end=to_local(ends_at))


def within_local_hours(
    blocks: Iterable[WorkingHours], *, local_start: datetime, local_end: datetime
) -> bool:
    """within_hours for times already in the clinic's zone."""
    if local_end.date() != local_start.date():
        return False
    return any(
        block.weekday == local_start.weekday()
        and block.starts_at <= local_start.time()
        and local_end.time() <= block.ends_at
        for block in blocks
    )
