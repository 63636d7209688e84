"""How scheduling names people and times in messages and pages."""

from __future__ import annotations

from datetime import date, datetime

from clinic.models import User
from patients.models import Patient
from scheduling.clock import format_minutes, to_local

DOCTOR_CREDENTIALS = {"MD", "DO"}
# Bootstrap's own badge colours, so a status reads the same wherever the
# badge is included; the text label carries the meaning, colour only helps.
STATUS_BADGES = {
    "booked": "text-bg-primary",
    "arrived": "text-bg-warning",
    "in_session": "text-bg-info",
    "completed": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "no_show": "text-bg-danger",
}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


def clinician_label(clinician: User) -> str:
    """ "Dr Lindqvist" for physicians, otherwise the full name."""
    if clinician.credentials.upper() in DOCTOR_CREDENTIALS and clinician.last_name:
        return f"Dr {clinician.last_name}"
    return clinician.get_full_name() or clinician.username


def patient_initials(patient: Patient) -> str:
    first = patient.preferred_name or patient.first_name
    return "".join(f"{name[:1].upper()}." for name in (first, patient.last_name) if name)


def clock(moment: datetime) -> str:
    return f"{to_local(moment):%H:%M}"


def clock_range(start: datetime, end: datetime) -> str:
    """ "10:00–10:30"; across a clock change the zones say which 01:30 is meant."""
    local_start, local_end = to_local(start), to_local(end)
    if local_start.utcoffset() != local_end.utcoffset():
        return f"{local_start:%H:%M %Z}–{local_end:%H:%M %Z}"
    return f"{local_start:%H:%M}–{local_end:%H:%M}"


def date_label(day: date) -> str:
    """ "Mon 30 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_label(moment: datetime) -> str:
    """The date of `moment` in the clinic's zone, as "Mon 30 Nov 2026"."""
    return date_label(to_local(moment).date())


def duration_label(start: datetime, end: datetime) -> str:
    return format_minutes(int((end - start).total_seconds() // 60))
