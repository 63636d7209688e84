"""The life of an appointment: check-in, session, completion, cancel, no-show, move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from scheduling import errors
from scheduling.errors import IllegalTransition, SlotTaken
from scheduling.models import AppointmentChange, AppointmentStatus
from scheduling.services import (
    TRANSITIONS,
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_mark_no_show,
    appointment_move,
    appointment_start_session,
    appointment_transition,
)
from scheduling.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db

Status = AppointmentStatus


@pytest.fixture
def booked(front_desk, working_clinician, room, injection, patient):
    return appointment_book(
        patient=patient,
        clinician=working_clinician,
        room=room,
        appointment_type=injection,
        starts_at=tomorrow_at(10),
        booked_by=front_desk,
    )


def test_the_whole_life_booked_arrived_in_session_completed(booked, front_desk, clinician):
    at = booked.starts_at - dt.timedelta(minutes=10)

    appointment_check_in(appointment=booked, by=front_desk, at=at)
    appointment_start_session(appointment=booked, by=clinician, at=booked.starts_at)
    done = appointment_complete(appointment=booked, by=clinician, at=booked.ends_at)

    done.refresh_from_db()
    assert done.status == Status.COMPLETED
    assert done.checked_in_at == at
    assert list(done.changes.values_list("action", "status_before", "status_after")) == [
        ("booked", "", "booked"),
        ("checked_in", "booked", "arrived"),
        ("started", "arrived", "in_session"),
        ("completed", "in_session", "completed"),
    ]


@pytest.mark.parametrize(
    ("path", "refused_step", "message"),
    [
        ([Status.CANCELLED], Status.ARRIVED, "Cancelled appointments cannot be checked in."),
        ([Status.NO_SHOW], Status.ARRIVED, "No-show appointments cannot be checked in."),
        ([], Status.IN_SESSION, "Booked appointments cannot be started."),
        ([], Status.COMPLETED, "Booked appointments cannot be completed."),
        (
            [Status.ARRIVED, Status.IN_SESSION, Status.COMPLETED],
            Status.CANCELLED,
            "Completed appointments cannot be cancelled.",
        ),
        ([Status.ARRIVED], Status.NO_SHOW, "Arrived appointments cannot be marked as a no-show."),
        ([Status.ARRIVED], Status.ARRIVED, "Arrived appointments cannot be checked in."),
    ],
)
def test_illegal_steps_are_refused_and_change_nothing(
    booked, front_desk, path, refused_step, message
):
    at = booked.starts_at
    for step in path:
        appointment_transition(appointment=booked, to_status=step, by=front_desk, reason="r", at=at)
    before = booked.changes.count()

    with pytest.raises(IllegalTransition) as refused:
        appointment_transition(
            appointment=booked, to_status=refused_step, by=front_desk, reason="r", at=at
        )

    assert refused.value.message == message
    booked.refresh_from_db()
    assert booked.status == (path[-1] if path else Status.BOOKED)
    assert booked.changes.count() == before


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(Status.values)


def test_cancelling_needs_a_reason_and_stores_it(booked, front_desk):
    with pytest.raises(ValidationError) as refused:
        appointment_cancel(appointment=booked, by=front_desk, reason="  ")
    cancelled = appointment_cancel(appointment=booked, by=front_desk, reason="Patient is unwell")

    assert refused.value.message_dict == {"reason": [errors.CANCEL_NEEDS_REASON]}
    cancelled.refresh_from_db()
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == "Patient is unwell"
    assert cancelled.changes.last().reason == "Patient is unwell"


def test_check_in_opens_two_hours_before_and_closes_with_the_day(booked, front_desk):
    with pytest.raises(IllegalTransition) as too_early:
        appointment_check_in(
            appointment=booked, by=front_desk, at=booked.starts_at - dt.timedelta(hours=3)
        )
    with pytest.raises(IllegalTransition) as too_late:
        appointment_check_in(
            appointment=booked, by=front_desk, at=booked.starts_at + dt.timedelta(days=1)
        )

    assert too_early.value.message == errors.CHECK_IN_TOO_EARLY
    assert too_late.value.message == errors.CHECK_IN_DAY_OVER


def test_a_patient_arriving_late_the_same_day_can_still_be_checked_in(booked, front_desk):
    late = booked.starts_at + dt.timedelta(minutes=45)

    arrived = appointment_check_in(appointment=booked, by=front_desk, at=late)

    assert arrived.status == Status.ARRIVED


def test_a_no_show_cannot_be_recorded_before_the_start(booked, front_desk):
    with pytest.raises(IllegalTransition) as refused:
        appointment_mark_no_show(
            appointment=booked, by=front_desk, at=booked.starts_at - dt.timedelta(minutes=1)
        )

    assert refused.value.message == errors.NO_SHOW_TOO_EARLY


def test_a_move_keeps_the_history_of_where_the_appointment_was(
    booked, front_desk, working_other_clinician, room2
):
    moved = appointment_move(
        appointment=booked,
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(14, 45),
        clinician=working_other_clinician,
        room=room2,
        moved_by=front_desk,
    )

    moved.refresh_from_db()
    assert (moved.starts_at, moved.ends_at) == (tomorrow_at(14), tomorrow_at(14, 45))
    assert (moved.clinician, moved.room) == (working_other_clinician, room2)
    change = moved.changes.get(action=AppointmentChange.Action.MOVED)
    assert change.timespan_before.lower == tomorrow_at(10)
    assert change.clinician_before.last_name == "Lindqvist"
    assert change.room_before.name == "Room 1"
    assert change.timespan_after.lower == tomorrow_at(14)
    assert change.changed_by == front_desk


def test_moving_onto_a_taken_slot_is_refused_and_the_appointment_stays(
    booked, front_desk, working_clinician, room, other_patient, review
):
    appointment_book(
        patient=other_patient,
        clinician=working_clinician,
        room=room,
        appointment_type=review,
        starts_at=tomorrow_at(15),
        booked_by=front_desk,
    )

    with pytest.raises(SlotTaken) as refused:
        appointment_move(
            appointment=booked,
            starts_at=tomorrow_at(15),
            ends_at=tomorrow_at(15, 30),
            clinician=working_clinician,
            room=room,
            moved_by=front_desk,
        )

    assert refused.value.message == "Dr Lindqvist already has an appointment 15:00–15:15."
    booked.refresh_from_db()
    assert booked.starts_at == tomorrow_at(10)
    assert not booked.changes.filter(action="moved").exists()


def test_a_move_within_its_own_time_does_not_collide_with_itself(
    booked, front_desk, working_clinician, room
):
    moved = appointment_move(
        appointment=booked,
        starts_at=tomorrow_at(10, 15),
        ends_at=tomorrow_at(10, 45),
        clinician=working_clinician,
        room=room,
        moved_by=front_desk,
    )

    assert moved.starts_at == tomorrow_at(10, 15)


def test_only_a_booked_appointment_can_be_moved(booked, front_desk, working_clinician, room):
    appointment_check_in(appointment=booked, by=front_desk, at=booked.starts_at)

    with pytest.raises(IllegalTransition) as refused:
        appointment_move(
            appointment=booked,
            starts_at=tomorrow_at(11),
            ends_at=tomorrow_at(11, 30),
            clinician=working_clinician,
            room=room,
            moved_by=front_desk,
        )

    assert refused.value.message == "Only a booked appointment can be moved; this one is arrived."
