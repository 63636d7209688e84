"""The demo seed: rooms, hours and weeks of appointments, made through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from clinic.demo import seed_users
from patients.tests.factories import PatientFactory
from scheduling import demo
from scheduling.models import Appointment, AppointmentChange, Room, WorkingHours

pytestmark = pytest.mark.django_db


def test_without_patients_the_seed_makes_rooms_and_hours_only():
    seed_users()

    summary = demo.seed()

    assert summary == "3 rooms, working hours; no appointments (no demo patients yet)"
    assert Room.objects.count() == 3
    assert WorkingHours.objects.filter(clinician__username="clinician2").exists()
    assert not Appointment.objects.exists()


def test_the_seed_books_weeks_of_appointments_once():
    seed_users()
    PatientFactory.create_batch(30)

    first = demo.seed()
    count = Appointment.objects.count()
    second = demo.seed()

    assert first == second
    assert Appointment.objects.count() == count > 100
    now = timezone.now()
    past = Appointment.objects.filter(timespan__endswith__lte=now)
    future = Appointment.objects.filter(timespan__startswith__gt=now)
    assert set(past.values_list("status", flat=True)) == {"completed", "no_show"}
    assert set(future.values_list("status", flat=True)) <= {"booked", "cancelled"}
    assert future.filter(status="booked").count() > 30
    # Every appointment went through the booking service, which records it.
    booked = AppointmentChange.objects.filter(action="booked").values("appointment")
    assert Appointment.objects.exclude(pk__in=booked).count() == 0
