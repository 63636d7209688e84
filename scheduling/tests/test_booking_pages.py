"""The booking page as the front desk uses it: what is saved, what is said."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.tests.factories import PatientFactory
from procedures.tests.factories import TreatmentSessionFactory
from scheduling import errors
from scheduling.clock import to_local
from scheduling.models import Appointment
from scheduling.services import appointment_book
from scheduling.tests.conftest import tomorrow_at, work_every_day
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

BOOK = reverse("scheduling:book")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "appointment-form"}


def local_input(moment: dt.datetime) -> str:
    return f"{to_local(moment):%Y-%m-%dT%H:%M}"


@pytest.fixture
def desk(client, front_desk):
    client.force_login(front_desk)
    return client


@pytest.fixture
def form(patient, injection, working_clinician, room):
    return {
        "booking_key": str(uuid.uuid4()),
        "patient": patient.pk,
        "appointment_type": injection.pk,
        "clinician": working_clinician.pk,
        "room": room.pk,
        "starts_at": local_input(tomorrow_at(10)),
        "ends_at": "",
        "note": "",
    }


def test_booking_saves_and_shows_the_day_with_the_appointment(desk, form, patient):
    response = desk.post(BOOK, form)

    appointment = Appointment.objects.get()
    assert response.status_code == 303
    day = to_local(tomorrow_at(10)).date().isoformat()
    assert (
        response["Location"] == f"/scheduling/calendar/day/?date={day}&highlight={appointment.pk}"
    )
    assert appointment.ends_at == tomorrow_at(10, 30)
    page = desk.get(response["Location"]).content.decode()
    assert "Booked Jane Doe with Dr Lindqvist" in page
    assert f'id="appointment-{appointment.pk}"' in page


def test_booking_by_htmx_is_told_where_to_go(desk, form):
    response = desk.post(BOOK, form, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/scheduling/calendar/day/?date=")


def test_a_taken_clinician_is_a_409_with_the_message_beside_the_field(
    desk, form, front_desk, working_clinician, room2, review, other_patient
):
    appointment_book(
        patient=other_patient,
        clinician=working_clinician,
        room=room2,
        appointment_type=review,
        starts_at=tomorrow_at(10, 15),
        booked_by=front_desk,
    )

    response = desk.post(BOOK, form)

    assert response.status_code == 409
    assert response.context["form"].errors["clinician"] == [
        "Dr Lindqvist already has an appointment 10:15–10:30."
    ]
    assert Appointment.objects.count() == 1


def test_a_conflict_by_htmx_answers_409_with_only_the_form(
    desk, form, front_desk, working_clinician, room, review, other_patient
):
    appointment_book(
        patient=other_patient,
        clinician=working_clinician,
        room=room,
        appointment_type=review,
        starts_at=tomorrow_at(10),
        booked_by=front_desk,
    )

    response = desk.post(BOOK, form, **HTMX)

    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="appointment-form"' in html
    assert "<html" not in html
    assert "Dr Lindqvist already has an appointment 10:00–10:15." in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": local_input(tomorrow_at(9))}, "ends_at", errors.END_BEFORE_START),
        ({"ends_at": local_input(tomorrow_at(18, 30))}, "ends_at", errors.TOO_LONG),
        (
            {"starts_at": local_input(tomorrow_at(10) - dt.timedelta(days=3))},
            "starts_at",
            errors.START_IN_PAST,
        ),
        ({"clinician": "999999"}, "clinician", errors.UNKNOWN_CLINICIAN),
        ({"room": "999999"}, "room", errors.UNKNOWN_ROOM),
        ({"patient": ""}, "patient", errors.UNKNOWN_PATIENT),
        ({"starts_at": "tomorrow-ish"}, "starts_at", "Enter a valid date/time."),
    ],
    ids=["end-before-start", "over-8-hours", "past", "clinician", "room", "no-patient", "garbled"],
)
def test_bad_input_gets_a_message_beside_the_field_and_saves_nothing(
    desk, form, changes, field, message
):
    response = desk.post(BOOK, {**form, **changes})

    assert response.status_code == 422
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Appointment.objects.exists()


def test_a_front_desk_account_is_not_a_clinician_choice(desk, form, front_desk):
    response = desk.post(BOOK, {**form, "clinician": front_desk.pk})

    assert response.context["form"].errors["clinician"] == [errors.UNKNOWN_CLINICIAN]
    assert not Appointment.objects.exists()


def test_an_archived_patient_is_refused(desk, form):
    archived = PatientFactory(archived_at=timezone.now())

    response = desk.post(BOOK, {**form, "patient": archived.pk})

    assert response.status_code == 422
    assert response.context["form"].errors["patient"] == [errors.PATIENT_ARCHIVED]
    assert not Appointment.objects.exists()


def test_posting_the_same_form_twice_books_once(desk, form):
    first = desk.post(BOOK, form)
    second = desk.post(BOOK, form)

    assert Appointment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_wall_clock_time_that_happens_twice_is_refused_with_a_message(desk, form):
    response = desk.post(BOOK, {**form, "starts_at": "2027-11-07T01:30"})

    [message] = response.context["form"].errors["starts_at"]
    assert "it may be ambiguous or it may not exist" in message
    assert not Appointment.objects.exists()


def test_the_warning_asks_for_a_reason_and_the_second_post_stores_it(desk, form, patient):
    TreatmentSessionFactory(
        patient=patient, signed=True, started_at=tomorrow_at(10) - dt.timedelta(days=20)
    )

    warned = desk.post(BOOK, form)
    booked = desk.post(BOOK, {**form, "retreatment_override_reason": "Approved by Dr Lindqvist"})

    assert warned.status_code == 422
    assert 'data-testid="retreatment-warning"' in warned.content.decode()
    assert booked.status_code == 303
    appointment = Appointment.objects.get()
    assert appointment.retreatment_override_reason == "Approved by Dr Lindqvist"


def test_the_end_follows_the_start_and_the_types_length(desk, injection):
    response = desk.get(
        reverse("scheduling:booking_end"),
        {"starts_at": "2027-01-12T10:00", "appointment_type": injection.pk},
    )

    assert 'value="2027-01-12T10:30"' in response.content.decode()


def test_when_moving_the_end_keeps_the_appointments_own_length(desk, injection):
    response = desk.get(
        reverse("scheduling:booking_end"),
        {"starts_at": "2027-01-12T10:00", "appointment_type": injection.pk, "minutes": "50"},
    )

    assert 'value="2027-01-12T10:50"' in response.content.decode()


def test_a_clicked_free_slot_fills_the_form(desk, patient, injection, working_clinician, room):
    response = desk.get(
        BOOK,
        {
            "patient": patient.pk,
            "appointment_type": injection.pk,
            "clinician": working_clinician.pk,
            "room": room.pk,
            "starts_at": "2027-01-12T14:15",
        },
        **HTMX,
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'value="2027-01-12T14:15"' in html
    assert 'value="2027-01-12T14:45"' in html
    assert "Jane Doe" in html


def test_patient_search_offers_matching_patients_but_not_archived_ones(desk, patient):
    PatientFactory(first_name="Jane", last_name="Doering", archived_at=timezone.now())

    response = desk.post(reverse("scheduling:patient_options"), {"patient_query": "jane doe"})

    html = response.content.decode()
    assert "Jane Doe<" in html
    assert "Doering" not in html


def test_choosing_a_patient_puts_them_in_the_form(desk, patient):
    response = desk.get(reverse("scheduling:patient_picker"), {"patient": patient.pk})

    html = response.content.decode()
    assert f'name="patient" value="{patient.pk}"' in html
    assert "Jane Doe" in html


def test_free_slots_list_links_that_fill_the_form(desk, injection, working_clinician, room):
    response = desk.get(
        reverse("scheduling:free_slots"),
        {"appointment_type": injection.pk, "clinician": working_clinician.pk},
    )

    slots = response.context["slots"]
    assert len(slots) == 12
    first_slot, url = slots[0]
    assert url.startswith("/scheduling/book/?appointment_type=")
    assert f"clinician={working_clinician.pk}" in url
    assert f"room={room.pk}" in url
    assert first_slot.starts_at > timezone.now()


def test_moving_an_appointment_offers_its_own_time_and_the_times_it_overlaps(
    desk, injection, clinician, room
):
    work_every_day(clinician, start=dt.time(9), end=dt.time(10))
    moved = AppointmentFactory(start=tomorrow_at(9), minutes=30, clinician=clinician, room=room)
    search = {
        "appointment_type": injection.pk,
        "clinician": clinician.pk,
        "from_date": to_local(tomorrow_at(9)).date().isoformat(),
    }

    booking = desk.get(reverse("scheduling:free_slots"), search)
    moving = desk.get(reverse("scheduling:free_slots"), {**search, "appointment": moved.pk})

    assert booking.context["slots"][0][0].starts_at == tomorrow_at(9, 30)
    first_slot, url = moving.context["slots"][0]
    assert first_slot.starts_at == tomorrow_at(9)
    assert url.startswith(reverse("scheduling:move", args=[moved.pk]))


def test_free_slots_ask_for_a_type_first(desk):
    response = desk.get(reverse("scheduling:free_slots"), {})

    assert "Choose a type to find free slots for." in response.content.decode()


def test_patient_search_keeps_the_typed_name_out_of_the_url(desk, patient):
    assert (
        desk.get(reverse("scheduling:patient_options"), {"patient_query": "jane"}).status_code
        == 405
    )
