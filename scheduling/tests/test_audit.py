"""An appointment's every change is in its history, including bulk updates."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.models import Appointment, AppointmentEvent
from scheduling.services import appointment_move
from scheduling.tests.conftest import tomorrow_at
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_a_move_keeps_the_old_and_new_times_in_the_history(working_clinician, room, front_desk):
    appointment = AppointmentFactory(
        clinician=working_clinician, room=room, start=tomorrow_at(10), booked_by=front_desk
    )

    appointment_move(
        appointment=appointment,
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(14, 30),
        clinician=working_clinician,
        room=room,
        moved_by=front_desk,
    )

    starts = [
        event.timespan.lower
        for event in AppointmentEvent.objects.filter(pgh_obj=appointment).order_by("pgh_id")
    ]
    assert starts == [tomorrow_at(10), tomorrow_at(14)]


def test_a_bulk_status_change_is_recorded(working_clinician, room):
    appointment = AppointmentFactory(clinician=working_clinician, room=room)

    Appointment.objects.filter(pk=appointment.pk).update(status="arrived")

    event = AppointmentEvent.objects.filter(pgh_obj=appointment).latest("pgh_id")
    assert (event.pgh_label, event.status) == ("update", "arrived")
    assert event.pgh_created_at - appointment.booked_at < dt.timedelta(minutes=1)
