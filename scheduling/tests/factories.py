from __future__ import annotations

import datetime as dt

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from clinic.tests.factories import UserFactory
from patients.tests.factories import PatientFactory
from scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentType,
    Room,
    TimeOff,
    WorkingHours,
)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Room {n + 1}")


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType
        django_get_or_create = ("name",)

    name = "Injection session"
    kind = AppointmentKind.INJECTION
    default_minutes = 30


class AppointmentFactory(factory.django.DjangoModelFactory):
    """Pass `start` (aware datetime) and optionally `minutes` to place it."""

    class Meta:
        model = Appointment
        exclude = ("start", "minutes")

    start = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    minutes = 30
    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(UserFactory, role="Clinician")
    room = factory.SubFactory(RoomFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    timespan = factory.LazyAttribute(
        lambda a: DateTimeTZRange(a.start, a.start + dt.timedelta(minutes=a.minutes), "[)")
    )
    booked_by = factory.SubFactory(UserFactory, role="Front desk")


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    clinician = factory.SubFactory(UserFactory, role="Clinician")
    weekday = 0
    starts_at = dt.time(9, 0)
    ends_at = dt.time(17, 0)


class TimeOffFactory(factory.django.DjangoModelFactory):
    """Pass `start` (aware datetime) and optionally `hours`."""

    class Meta:
        model = TimeOff
        exclude = ("start", "hours")

    start = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    hours = 4
    clinician = factory.SubFactory(UserFactory, role="Clinician")
    timespan = factory.LazyAttribute(
        lambda t: DateTimeTZRange(t.start, t.start + dt.timedelta(hours=t.hours), "[)")
    )
    reason = "Conference"
