"""Reads that scheduling pages (and the patient chart) share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clinic.models import User
from clinic.roles import CLINICIAN
from patients.models import Patient
from scheduling.clock import day_bounds
from scheduling.models import (
    RELEASED_STATUSES,
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AppointmentType,
    Room,
    TimeOff,
    WorkingHours,
)


def clinicians() -> QuerySet[User]:
    """Active staff with the Clinician role, the people appointments are booked with."""
    return User.objects.filter(groups__name=CLINICIAN, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def rooms() -> QuerySet[Room]:
    return Room.objects.filter(is_active=True)


def appointment_types() -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(is_active=True).order_by("default_minutes", "name")


def appointments_between(
    *, start: datetime, end: datetime, clinician: User | None = None
) -> QuerySet[Appointment]:
    """Every appointment overlapping [start, end), with what a calendar cell shows."""
    found = Appointment.objects.filter(
        timespan__overlap=DateTimeTZRange(start, end, "[)")
    ).select_related("patient", "clinician", "room", "appointment_type")
    if clinician is not None:
        found = found.filter(clinician=clinician)
    return found.order_by("timespan", "pk")


def appointments_on(day: date) -> QuerySet[Appointment]:
    """The local day's appointments: the front desk's arrivals list."""
    start, end = day_bounds(day)
    return appointments_between(start=start, end=end).filter(timespan__startswith__gte=start)


def working_hours_of(clinician_ids: list[int]) -> list[WorkingHours]:
    return list(WorkingHours.objects.filter(clinician_id__in=clinician_ids))


def time_off_between(*, start: datetime, end: datetime, clinician_ids: list[int]) -> list[TimeOff]:
    return list(
        TimeOff.objects.filter(
            clinician_id__in=clinician_ids, timespan__overlap=DateTimeTZRange(start, end, "[)")
        )
    )


def appointment_for_page(pk: int) -> Appointment:
    """One appointment with its history, for its own page."""
    changes = AppointmentChange.objects.select_related(
        "changed_by", "clinician_before", "clinician_after", "room_before", "room_after"
    )
    return (
        Appointment.objects.select_related(
            "patient", "clinician", "room", "appointment_type", "booked_by"
        )
        .prefetch_related(Prefetch("changes", queryset=changes))
        .get(pk=pk)
    )


@dataclass(frozen=True)
class PatientAppointments:
    upcoming: list[Appointment]
    history: list[Appointment]
    no_show_count: int
    patient: Patient


def patient_appointments(*, patient: Patient, now: datetime | None = None) -> PatientAppointments:
    """The chart's appointment section: what is coming, what happened, and no-shows.

    Two queries whatever the history's length: the appointments (with their
    clinician, room and type) and their moves.
    """
    now = now or timezone.now()
    moves = AppointmentChange.objects.filter(action=AppointmentChange.Action.MOVED)
    appointments = list(
        Appointment.objects.filter(patient=patient)
        .select_related("clinician", "room", "appointment_type")
        .prefetch_related(Prefetch("changes", queryset=moves, to_attr="moves"))
        .order_by("timespan")
    )
    upcoming = [
        a
        for a in appointments
        if a.ends_at > now and a.status not in (*RELEASED_STATUSES, AppointmentStatus.COMPLETED)
    ]
    upcoming_ids = {a.pk for a in upcoming}
    history = [a for a in reversed(appointments) if a.pk not in upcoming_ids]
    no_shows = sum(1 for a in appointments if a.status == AppointmentStatus.NO_SHOW)
    return PatientAppointments(
        upcoming=upcoming, history=history, no_show_count=no_shows, patient=patient
    )
