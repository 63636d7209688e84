"""Fixtures for the scheduling tests: a room, the seeded types, a working clinician."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.models import User
from patients.models import Patient
from patients.tests.factories import PatientFactory
from scheduling.clock import at_local, local_today
from scheduling.models import AppointmentKind, AppointmentType, Room, WorkingHours
from scheduling.tests.factories import AppointmentTypeFactory, RoomFactory


def work_every_day(clinician: User, *, start: dt.time = dt.time(8), end: dt.time = dt.time(18)):
    for weekday in range(7):
        WorkingHours.objects.create(
            clinician=clinician, weekday=weekday, starts_at=start, ends_at=end
        )


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    """A UTC instant tomorrow at this local wall-clock time."""
    return at_local(local_today() + dt.timedelta(days=1), dt.time(hour, minute))


@pytest.fixture
def room(db: None) -> Room:
    return RoomFactory(name="Room 1")


@pytest.fixture
def room2(db: None) -> Room:
    return RoomFactory(name="Room 2")


# The migration seeds these three; get_or_create keeps them after a
# transactional test has flushed the tables.
@pytest.fixture
def injection(db: None) -> AppointmentType:
    return AppointmentTypeFactory(
        name="Injection session", kind=AppointmentKind.INJECTION, default_minutes=30
    )


@pytest.fixture
def review(db: None) -> AppointmentType:
    return AppointmentTypeFactory(name="Review", kind=AppointmentKind.REVIEW, default_minutes=15)


@pytest.fixture
def consultation(db: None) -> AppointmentType:
    return AppointmentTypeFactory(
        name="New consultation", kind=AppointmentKind.CONSULT, default_minutes=45
    )


@pytest.fixture
def patient(db: None) -> Patient:
    return PatientFactory(first_name="Jane", last_name="Doe")


@pytest.fixture
def other_patient(db: None) -> Patient:
    return PatientFactory(first_name="Omar", last_name="Khan")


@pytest.fixture
def working_clinician(clinician: User) -> User:
    """The clinician persona (Casey Lindqvist, MD) working 08:00-18:00 every day."""
    clinician.last_name = "Lindqvist"
    clinician.credentials = "MD"
    clinician.save()
    work_every_day(clinician)
    return clinician


@pytest.fixture
def working_other_clinician(other_clinician: User) -> User:
    other_clinician.last_name = "Raman"
    other_clinician.credentials = "DO"
    other_clinician.save()
    work_every_day(other_clinician)
    return other_clinician
