"""The free-slot finder: open times within hours, around appointments and time off."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.services import appointment_cancel
from scheduling.slots import free_slots
from scheduling.tests.conftest import tomorrow_at, work_every_day
from scheduling.tests.factories import AppointmentFactory, TimeOffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning_clinician(clinician):
    work_every_day(clinician, start=dt.time(9), end=dt.time(10))
    return clinician


def _starts(slots) -> list[dt.datetime]:
    return [slot.starts_at for slot in slots]


def test_slots_fill_working_hours_in_15_minute_steps(morning_clinician, room, injection):
    slots = free_slots(
        appointment_type=injection, clinician=morning_clinician, after=tomorrow_at(0), limit=3
    )

    assert _starts(slots) == [tomorrow_at(9), tomorrow_at(9, 15), tomorrow_at(9, 30)]
    assert [slot.ends_at for slot in slots][-1] == tomorrow_at(10)
    assert {slot.room for slot in slots} == {room}


def test_slots_skip_existing_appointments_but_allow_back_to_back(
    morning_clinician, room, injection
):
    AppointmentFactory(start=tomorrow_at(9), minutes=30, clinician=morning_clinician, room=room)

    slots = free_slots(
        appointment_type=injection, clinician=morning_clinician, after=tomorrow_at(0), limit=1
    )

    assert _starts(slots) == [tomorrow_at(9, 30)]


def test_a_cancelled_appointment_does_not_block_a_slot(
    morning_clinician, room, injection, front_desk
):
    taken = AppointmentFactory(start=tomorrow_at(9), clinician=morning_clinician, room=room)
    appointment_cancel(appointment=taken, by=front_desk, reason="Unwell")

    slots = free_slots(
        appointment_type=injection, clinician=morning_clinician, after=tomorrow_at(0), limit=1
    )

    assert _starts(slots) == [tomorrow_at(9)]


def test_slots_skip_time_off(morning_clinician, room, injection):
    TimeOffFactory(clinician=morning_clinician, start=tomorrow_at(0), hours=24)

    slots = free_slots(
        appointment_type=injection, clinician=morning_clinician, after=tomorrow_at(0), limit=1
    )

    assert _starts(slots) == [tomorrow_at(9) + dt.timedelta(days=1)]


def test_a_busy_room_moves_the_slot_to_another_room(morning_clinician, room, room2, injection):
    AppointmentFactory(start=tomorrow_at(9), room=room)

    [slot] = free_slots(
        appointment_type=injection, clinician=morning_clinician, after=tomorrow_at(0), limit=1
    )

    assert (slot.starts_at, slot.room) == (tomorrow_at(9), room2)


def test_the_patients_own_appointments_are_skipped(morning_clinician, room, injection, patient):
    AppointmentFactory(start=tomorrow_at(9), minutes=15, patient=patient)

    [slot] = free_slots(
        appointment_type=injection,
        clinician=morning_clinician,
        patient=patient,
        after=tomorrow_at(0),
        limit=1,
    )

    assert slot.starts_at == tomorrow_at(9, 15)


def test_any_clinician_offers_the_earliest_across_clinicians(
    morning_clinician, other_clinician, room, room2, injection
):
    work_every_day(other_clinician, start=dt.time(8, 30), end=dt.time(9, 30))

    slots = free_slots(appointment_type=injection, after=tomorrow_at(0), limit=3)

    assert [(slot.starts_at, slot.clinician) for slot in slots] == [
        (tomorrow_at(8, 30), other_clinician),
        (tomorrow_at(8, 45), other_clinician),
        (tomorrow_at(9), morning_clinician),
    ]


def test_no_slot_is_offered_in_the_past(clinician, room, review):
    work_every_day(clinician, start=dt.time(0), end=dt.time(23, 59))

    slots = free_slots(appointment_type=review, clinician=clinician, limit=1)

    assert slots[0].starts_at >= dt.datetime.now(dt.UTC)


def test_the_finder_takes_five_queries_however_full_the_calendar(
    morning_clinician, other_clinician, room, injection, django_assert_max_num_queries
):
    work_every_day(other_clinician)
    for day in range(10):
        AppointmentFactory(
            start=tomorrow_at(9) + dt.timedelta(days=day), minutes=60, clinician=morning_clinician
        )

    # clinicians, their working hours, the window's appointments, time off, rooms.
    with django_assert_max_num_queries(5):
        free_slots(appointment_type=injection, after=tomorrow_at(0), limit=12)
