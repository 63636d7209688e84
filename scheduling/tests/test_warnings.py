"""Re-treatment and working-hours warnings: refused without a reason, stored with one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from clinic.tests.factories import UserFactory
from procedures.tests.factories import ProductFactory, TreatmentSessionFactory
from scheduling import errors
from scheduling.clock import to_local
from scheduling.display import date_label
from scheduling.models import Appointment, WorkingHours
from scheduling.rules import hours_warning, retreatment_warning
from scheduling.services import appointment_book, appointment_move
from scheduling.tests.conftest import tomorrow_at
from scheduling.tests.factories import AppointmentFactory, TimeOffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(front_desk, working_clinician, room, injection, patient):
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


def _signed_session(patient, *, days_before_tomorrow: int, **extra):
    return TreatmentSessionFactory(
        patient=patient,
        signed=True,
        started_at=tomorrow_at(10) - dt.timedelta(days=days_before_tomorrow),
        **extra,
    )


def _local_day(moment: dt.datetime) -> str:
    return date_label(to_local(moment).date())


# Re-treatment ---------------------------------------------------------------------


def test_injection_sooner_than_12_weeks_after_a_signed_session_needs_a_reason(book, patient):
    last = _signed_session(patient, days_before_tomorrow=30)

    with pytest.raises(ValidationError) as refused:
        book()

    earliest = last.started_at + dt.timedelta(days=84)
    assert refused.value.message_dict["retreatment_override_reason"] == [
        f"Too soon for another injection session: the last one was on "
        f"{_local_day(last.started_at)} and re-treatment needs at least 84 days "
        f"(from {_local_day(earliest)}). To book anyway, give a reason."
    ]
    assert not Appointment.objects.exists()


def test_the_override_reason_is_stored_with_the_appointment(book, patient):
    _signed_session(patient, days_before_tomorrow=30)

    appointment = book(retreatment_override_reason="Dr Lindqvist agreed: severe flare-up")

    appointment.refresh_from_db()
    assert appointment.retreatment_override_reason == "Dr Lindqvist agreed: severe flare-up"
    assert appointment.hours_override_reason == ""


def test_a_reason_given_where_nothing_warned_is_not_stored(book):
    appointment = book(retreatment_override_reason="just in case")

    assert appointment.retreatment_override_reason == ""


def test_twelve_weeks_after_the_last_session_books_without_a_warning(book, patient):
    _signed_session(patient, days_before_tomorrow=84)

    assert book().retreatment_override_reason == ""


def test_a_draft_session_does_not_count(patient, injection):
    TreatmentSessionFactory(patient=patient, started_at=tomorrow_at(10) - dt.timedelta(days=10))

    warning = retreatment_warning(
        patient=patient, appointment_type=injection, starts_at=tomorrow_at(10)
    )

    assert warning == ""


def test_the_products_own_interval_applies(patient, injection):
    # The procedures migrations seed Myobloc (84 days); give it a longer interval.
    myobloc = ProductFactory(brand_name="Myobloc", generic_name="rimabotulinumtoxinB")
    myobloc.min_retreatment_days = 112
    myobloc.save(update_fields=["min_retreatment_days"])
    _signed_session(patient, days_before_tomorrow=100, product=myobloc)

    warning = retreatment_warning(
        patient=patient, appointment_type=injection, starts_at=tomorrow_at(10)
    )

    assert "re-treatment needs at least 112 days" in warning


def test_a_review_is_not_an_injection_and_is_never_warned(patient, review):
    _signed_session(patient, days_before_tomorrow=3)

    warning = retreatment_warning(
        patient=patient, appointment_type=review, starts_at=tomorrow_at(10)
    )

    assert warning == ""


def test_another_injection_session_already_booked_nearby_warns(book, patient, injection):
    booked = AppointmentFactory(
        patient=patient, appointment_type=injection, start=tomorrow_at(10) + dt.timedelta(days=40)
    )

    with pytest.raises(ValidationError) as refused:
        book()

    assert refused.value.message_dict["retreatment_override_reason"] == [
        f"This patient already has an injection session booked on {_local_day(booked.starts_at)}, "
        "less than 84 days away. To book anyway, give a reason."
    ]


def test_staff_without_the_override_permission_cannot_override(
    working_clinician, room, injection, patient
):
    booker = UserFactory(username="temp")
    booker.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_appointment", "access_app"])
    )
    _signed_session(patient, days_before_tomorrow=30)

    with pytest.raises(ValidationError) as refused:
        appointment_book(
            patient=patient,
            clinician=working_clinician,
            room=room,
            appointment_type=injection,
            starts_at=tomorrow_at(10),
            booked_by=booker,
            retreatment_override_reason="I insist",
        )

    [message] = refused.value.message_dict["retreatment_override_reason"]
    assert message.endswith(errors.OVERRIDE_NOT_ALLOWED)
    assert not Appointment.objects.exists()


def test_moving_an_injection_session_closer_to_the_last_one_needs_a_reason(
    book, patient, front_desk, working_clinician, room
):
    _signed_session(patient, days_before_tomorrow=50)
    appointment = book(starts_at=tomorrow_at(10) + dt.timedelta(days=40))

    with pytest.raises(ValidationError) as refused:
        appointment_move(
            appointment=appointment,
            starts_at=tomorrow_at(10),
            ends_at=tomorrow_at(10, 30),
            clinician=working_clinician,
            room=room,
            moved_by=front_desk,
        )
    moved = appointment_move(
        appointment=appointment,
        starts_at=tomorrow_at(10),
        ends_at=tomorrow_at(10, 30),
        clinician=working_clinician,
        room=room,
        moved_by=front_desk,
        retreatment_override_reason="Pain worse; clinician approved",
    )

    assert "retreatment_override_reason" in refused.value.message_dict
    moved.refresh_from_db()
    assert moved.starts_at == tomorrow_at(10)
    assert moved.retreatment_override_reason == "Pain worse; clinician approved"


# Working hours and time off ----------------------------------------------------------


def test_booking_outside_working_hours_needs_a_reason(book, working_clinician):
    weekday = f"{to_local(tomorrow_at(19)):%A}"

    with pytest.raises(ValidationError) as refused:
        book(starts_at=tomorrow_at(19))

    assert refused.value.message_dict["hours_override_reason"] == [
        f"Dr Lindqvist does not work then ({weekday}s 08:00–18:00). To book anyway, give a reason."
    ]
    assert not Appointment.objects.exists()


def test_the_hours_override_reason_is_stored(book):
    appointment = book(starts_at=tomorrow_at(19), hours_override_reason="Only evening free")

    appointment.refresh_from_db()
    assert appointment.hours_override_reason == "Only evening free"


def test_an_appointment_running_past_the_end_of_hours_warns(working_clinician):
    warning = hours_warning(
        clinician=working_clinician, starts_at=tomorrow_at(17, 45), ends_at=tomorrow_at(18, 15)
    )

    assert warning.startswith("Dr Lindqvist does not work then")


def test_working_hours_are_local_wall_clock_times(working_clinician):
    assert (
        hours_warning(
            clinician=working_clinician, starts_at=tomorrow_at(8), ends_at=tomorrow_at(8, 30)
        )
        == ""
    )
    assert hours_warning(
        clinician=working_clinician, starts_at=tomorrow_at(7, 30), ends_at=tomorrow_at(8)
    ).startswith("Dr Lindqvist does not work then")


def test_a_day_without_working_hours_says_so(working_clinician):
    weekday = to_local(tomorrow_at(10)).weekday()
    WorkingHours.objects.filter(clinician=working_clinician, weekday=weekday).delete()

    warning = hours_warning(
        clinician=working_clinician, starts_at=tomorrow_at(10), ends_at=tomorrow_at(10, 30)
    )

    assert warning == f"Dr Lindqvist does not work on {to_local(tomorrow_at(10)):%A}s."


def test_time_off_warns_with_its_reason(book, working_clinician):
    TimeOffFactory(clinician=working_clinician, start=tomorrow_at(9), hours=3)

    with pytest.raises(ValidationError) as refused:
        book()

    assert refused.value.message_dict["hours_override_reason"] == [
        "Dr Lindqvist has time off then (Conference). To book anyway, give a reason."
    ]
