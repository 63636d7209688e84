"""Booking through the service: what is saved, and what is refused and why."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.tests.factories import UserFactory
from patients.tests.factories import PatientFactory
from scheduling import errors
from scheduling.errors import SlotTaken
from scheduling.models import Appointment, AppointmentChange, AppointmentStatus
from scheduling.services import appointment_book, appointment_cancel, appointment_mark_no_show
from scheduling.tests.conftest import tomorrow_at
from scheduling.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(front_desk, working_clinician, room, injection, patient):
    """Book with sensible defaults; keyword arguments override them."""

    def _book(**changes):
        arguments = {
            "patient": patient,
            "clinician": working_clinician,
            "room": room,
            "appointment_type": injection,
            "starts_at": tomorrow_at(10),
            "booked_by": front_desk,
            **changes,
        }
        return appointment_book(**arguments)

    return _book


def test_booking_saves_the_appointment_with_the_types_length_and_records_it(book, front_desk):
    appointment = book()

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at == tomorrow_at(10)
    assert appointment.ends_at == tomorrow_at(10, 30)
    change = AppointmentChange.objects.get(appointment=appointment)
    assert (change.action, change.changed_by, change.status_after) == (
        "booked",
        front_desk,
        "booked",
    )
    assert change.timespan_after == appointment.timespan


def test_the_end_can_be_changed_from_the_types_length(book):
    appointment = book(ends_at=tomorrow_at(10, 50))

    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=50)


def test_back_to_back_appointments_are_allowed(book, other_patient):
    first = book()
    second = book(patient=other_patient, starts_at=first.ends_at)

    assert Appointment.objects.count() == 2
    assert second.starts_at == first.ends_at


def test_same_clinician_at_an_overlapping_time_is_refused_naming_the_clinician(
    book, other_patient, room2
):
    book()

    with pytest.raises(SlotTaken) as refused:
        book(patient=other_patient, room=room2, starts_at=tomorrow_at(10, 15))

    assert refused.value.field == "clinician"
    assert refused.value.constraint == "appointment_no_clinician_overlap"
    assert refused.value.message == "Dr Lindqvist already has an appointment 10:00–10:30."
    assert Appointment.objects.count() == 1


def test_same_room_at_an_overlapping_time_is_refused_naming_the_room(
    book, other_patient, working_other_clinician
):
    book()

    with pytest.raises(SlotTaken) as refused:
        book(patient=other_patient, clinician=working_other_clinician, starts_at=tomorrow_at(10, 5))

    assert refused.value.field == "room"
    assert refused.value.message == "Room 1 is taken 10:00–10:30."
    assert Appointment.objects.count() == 1


def test_same_patient_at_an_overlapping_time_is_refused(
    book, working_other_clinician, room2, review
):
    book()

    with pytest.raises(SlotTaken) as refused:
        book(
            clinician=working_other_clinician,
            room=room2,
            appointment_type=review,
            starts_at=tomorrow_at(9, 50),
        )

    assert refused.value.field == "patient"
    assert refused.value.message == (
        "This patient already has an appointment then (10:00–10:30 with Dr Lindqvist)."
    )


def test_cancelled_appointment_frees_the_slot(book, front_desk, other_patient):
    first = book()
    appointment_cancel(appointment=first, by=front_desk, reason="Patient called in sick")

    second = book(patient=other_patient)

    assert second.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 1


def test_no_show_frees_the_slot(book, front_desk, other_patient):
    first = book()
    appointment_mark_no_show(appointment=first, by=front_desk, at=first.starts_at)

    second = book(
        patient=other_patient,
        starts_at=first.starts_at + dt.timedelta(minutes=5),
        at=first.starts_at + dt.timedelta(minutes=1),
    )

    assert second.pk != first.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": tomorrow_at(9, 30)}, "ends_at", errors.END_BEFORE_START),
        ({"ends_at": tomorrow_at(10)}, "ends_at", errors.END_BEFORE_START),
        ({"ends_at": tomorrow_at(18, 5)}, "ends_at", errors.TOO_LONG),
        ({"starts_at": tomorrow_at(10, 3)}, "starts_at", errors.OFF_STEP),
        (
            {"starts_at": tomorrow_at(10) - dt.timedelta(days=2)},
            "starts_at",
            errors.START_IN_PAST,
        ),
    ],
    ids=["end-before-start", "zero-length", "over-8-hours", "off-step", "in-the-past"],
)
def test_bad_times_are_refused_beside_the_field_and_nothing_is_saved(book, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        book(**changes)

    assert refused.value.message_dict[field] == [message]
    assert not Appointment.objects.exists()


def test_a_user_who_is_not_a_clinician_cannot_be_booked_as_one(book, front_desk):
    with pytest.raises(ValidationError) as refused:
        book(clinician=front_desk)

    assert refused.value.message_dict["clinician"] == [errors.UNKNOWN_CLINICIAN]
    assert not Appointment.objects.exists()


def test_a_clinician_who_left_cannot_be_booked(book, working_clinician):
    working_clinician.is_active = False
    working_clinician.save()

    with pytest.raises(ValidationError) as refused:
        book()

    assert refused.value.message_dict["clinician"] == [errors.UNKNOWN_CLINICIAN]


def test_a_closed_room_cannot_be_booked(book):
    closed = RoomFactory(name="Old room", is_active=False)

    with pytest.raises(ValidationError) as refused:
        book(room=closed)

    assert refused.value.message_dict["room"] == [errors.UNKNOWN_ROOM]


def test_an_archived_patient_cannot_be_booked(book):
    archived = PatientFactory(archived_at=timezone.now())

    with pytest.raises(ValidationError) as refused:
        book(patient=archived)

    assert refused.value.message_dict["patient"] == [errors.PATIENT_ARCHIVED]
    assert not Appointment.objects.exists()


def test_a_walk_in_may_start_earlier_today_and_is_checked_in_at_once(book):
    now = timezone.now()
    started = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)

    appointment = book(starts_at=started, walk_in=True, hours_override_reason="Walk-in", at=now)

    assert appointment.status == AppointmentStatus.ARRIVED
    assert appointment.walk_in
    assert appointment.checked_in_at == now


def test_a_walk_in_cannot_be_recorded_for_another_day(book):
    yesterday = tomorrow_at(10) - dt.timedelta(days=2)

    with pytest.raises(ValidationError) as refused:
        book(starts_at=yesterday, walk_in=True)

    assert refused.value.message_dict["starts_at"] == [errors.WALK_IN_NOT_NOW]


def test_a_walk_in_is_not_booked_for_later_in_the_day(book):
    now = timezone.now().replace(second=0, microsecond=0)
    in_an_hour = now - dt.timedelta(minutes=now.minute % 5) + dt.timedelta(hours=1)

    with pytest.raises(ValidationError) as refused:
        book(starts_at=in_an_hour, walk_in=True)

    assert refused.value.message_dict["starts_at"] == [errors.WALK_IN_NOT_NOW]


def test_the_same_booking_key_twice_books_once(book):
    key = uuid.uuid4()

    first = book(booking_key=key)
    second = book(booking_key=key)

    assert first.pk == second.pk
    assert Appointment.objects.count() == 1


def test_a_clinician_without_the_role_group_is_not_offered_even_if_staff(book):
    stranger = UserFactory(username="stranger", role="Front desk", is_staff=True)

    with pytest.raises(ValidationError):
        book(clinician=stranger)
