"""An appointment's page, its steps from the calendar and lists, moving, and the chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling import errors
from scheduling.clock import at_local, local_today
from scheduling.models import AppointmentStatus
from scheduling.services import appointment_book, appointment_cancel, appointment_mark_no_show
from scheduling.tests.conftest import tomorrow_at
from scheduling.tests.factories import AppointmentFactory
from scheduling.tests.test_booking_pages import local_input

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def desk(client, front_desk):
    client.force_login(front_desk)
    return client


def _soon(front_desk, clinician, room, appointment_type, patient, *, minutes_from_now: int = 30):
    """An appointment starting shortly, so check-in is open."""
    now = timezone.now()
    start = now.replace(second=0, microsecond=0) + dt.timedelta(
        minutes=minutes_from_now - now.minute % 5
    )
    return appointment_book(
        patient=patient,
        clinician=clinician,
        room=room,
        appointment_type=appointment_type,
        starts_at=start,
        booked_by=front_desk,
        hours_override_reason="Test runs at any hour",
    )


@pytest.fixture
def soon(front_desk, working_clinician, room, review, patient):
    return _soon(front_desk, working_clinician, room, review, patient)


def test_check_in_by_htmx_tells_the_calendar_to_reload(desk, soon):
    response = desk.post(reverse("scheduling:check_in", args=[soon.pk]), **HTMX)

    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.ARRIVED
    assert response.status_code == 200
    assert response["HX-Trigger"] == "appointment-changed"
    assert "Checked in Jane Doe." in response.content.decode()


def test_checking_in_a_cancelled_appointment_is_a_409_with_the_reason(desk, soon, front_desk):
    appointment_cancel(appointment=soon, by=front_desk, reason="Called in sick")

    response = desk.post(reverse("scheduling:check_in", args=[soon.pk]), **HTMX)

    assert response.status_code == 409
    assert "Cancelled appointments cannot be checked in." in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.CANCELLED


def test_check_in_without_htmx_goes_back_where_it_came_from(desk, soon):
    response = desk.post(
        reverse("scheduling:check_in", args=[soon.pk]), {"next": "/scheduling/today/"}
    )

    assert response.status_code == 303
    assert response["Location"] == "/scheduling/today/"


def test_check_in_never_redirects_off_site(desk, soon):
    response = desk.post(
        reverse("scheduling:check_in", args=[soon.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("scheduling:appointment", args=[soon.pk])


def test_cancelling_without_a_reason_says_so_and_changes_nothing(desk, soon):
    response = desk.post(reverse("scheduling:cancel", args=[soon.pk]), {"reason": ""})

    assert response.status_code == 422
    assert errors.CANCEL_NEEDS_REASON in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.BOOKED


def test_cancelling_with_a_reason_frees_the_slot_and_shows_in_the_history(desk, soon):
    desk.post(reverse("scheduling:cancel", args=[soon.pk]), {"reason": "Car broke down"})

    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.CANCELLED
    page = desk.get(reverse("scheduling:appointment", args=[soon.pk])).content.decode()
    assert "Car broke down" in page
    assert "Cancelled" in page


def test_a_no_show_before_the_start_is_refused_with_a_message(desk, soon):
    response = desk.post(reverse("scheduling:no_show", args=[soon.pk]), follow=True)

    assert errors.NO_SHOW_TOO_EARLY in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.BOOKED


def test_moving_through_the_form_keeps_the_history(desk, working_other_clinician, room2):
    appointment = AppointmentFactory(start=tomorrow_at(10))
    url = reverse("scheduling:move", args=[appointment.pk])

    response = desk.post(
        url,
        {
            "clinician": working_other_clinician.pk,
            "room": room2.pk,
            "starts_at": local_input(tomorrow_at(14)),
            "ends_at": local_input(tomorrow_at(14, 30)),
        },
    )

    assert response.status_code == 303
    appointment.refresh_from_db()
    assert appointment.starts_at == tomorrow_at(14)
    page = desk.get(reverse("scheduling:appointment", args=[appointment.pk])).content.decode()
    assert "Moved" in page
    assert "10:00–10:30" in page and "14:00–14:30" in page


def test_moving_onto_a_taken_time_is_a_409_naming_what_is_taken(
    desk, front_desk, working_clinician, room, room2, review, other_patient, patient
):
    appointment = AppointmentFactory(
        start=tomorrow_at(10), clinician=working_clinician, room=room, patient=patient
    )
    appointment_book(
        patient=other_patient,
        clinician=working_clinician,
        room=room2,
        appointment_type=review,
        starts_at=tomorrow_at(15),
        booked_by=front_desk,
    )

    response = desk.post(
        reverse("scheduling:move", args=[appointment.pk]),
        {
            "clinician": working_clinician.pk,
            "room": room.pk,
            "starts_at": local_input(tomorrow_at(15)),
            "ends_at": local_input(tomorrow_at(15, 30)),
        },
        **HTMX,
        HTTP_HX_TARGET="appointment-form",
    )

    assert response.status_code == 409
    assert "Dr Lindqvist already has an appointment 15:00–15:15." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.starts_at == tomorrow_at(10)


def test_the_move_form_starts_from_the_current_time(desk):
    appointment = AppointmentFactory(start=tomorrow_at(10))

    response = desk.get(reverse("scheduling:move", args=[appointment.pk]))

    form = response.context["form"]
    assert form.initial["starts_at"] == tomorrow_at(10)
    assert form.initial["clinician"] == appointment.clinician_id


def test_a_calendar_card_links_its_own_page_and_posts_its_own_check_in(desk, soon) -> None:
    other = AppointmentFactory(start=soon.starts_at)  # another clinician, the same time

    html = desk.get(reverse("scheduling:day"), {"date": local_today().isoformat()}).content.decode()

    card = html[html.index(f'id="appointment-{soon.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'<a href="{reverse("scheduling:appointment", args=[soon.pk])}">' in card
    assert f'action="{reverse("scheduling:check_in", args=[soon.pk])}"' in card
    assert f'href="{reverse("scheduling:appointment", args=[other.pk])}"' in html


def test_todays_list_shows_the_day_with_check_in_buttons(desk, soon, django_assert_max_num_queries):
    # session, the user with their permissions and roles, today's
    # appointments with patient, clinician, room and type: 3.
    with django_assert_max_num_queries(3):
        response = desk.get(reverse("scheduling:today"))

    html = response.content.decode()
    assert "Jane Doe" in html
    assert "1 appointment: 1 expected" in html
    assert reverse("scheduling:check_in", args=[soon.pk]) in html


def test_todays_list_query_count_does_not_grow_with_the_day(
    desk, working_clinician, django_assert_max_num_queries
):
    midnight = at_local(local_today(), dt.time(0))
    for slot in range(40):
        AppointmentFactory(
            start=midnight + dt.timedelta(minutes=15 * slot),
            minutes=15,
            clinician=working_clinician,
        )

    # The same three queries as for one appointment.
    with django_assert_max_num_queries(3):
        response = desk.get(reverse("scheduling:today"))

    assert "40 appointments" in response.content.decode()


def test_the_chart_section_counts_no_shows_and_splits_upcoming_from_history(
    desk, front_desk, working_clinician, room, review, patient
):
    past = _soon(front_desk, working_clinician, room, review, patient, minutes_from_now=10)
    appointment_mark_no_show(appointment=past, by=front_desk, at=past.starts_at)
    upcoming = appointment_book(
        patient=patient,
        clinician=working_clinician,
        room=room,
        appointment_type=review,
        starts_at=tomorrow_at(11),
        booked_by=front_desk,
    )

    response = desk.get(reverse("scheduling:patient_appointments", args=[patient.pk]))

    chart = response.context["appointments"]
    assert chart.no_show_count == 1
    assert chart.upcoming == [upcoming]
    assert chart.history == [past]
    assert "1 no-show" in response.content.decode()


def test_a_clinician_starts_the_session_of_a_checked_in_injection_appointment(
    client, clinician, front_desk, room, injection
):
    appointment = AppointmentFactory(
        clinician=clinician, room=room, appointment_type=injection, status="arrived"
    )
    page = reverse("scheduling:appointment", args=[appointment.pk])
    start = reverse("procedures:session_start", args=[appointment.pk])

    client.force_login(front_desk)
    assert start not in client.get(page).content.decode()
    client.force_login(clinician)
    assert start in client.get(page).content.decode()

    response = client.post(start)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.IN_SESSION
    assert response["Location"] == reverse(
        "procedures:session", args=[appointment.treatment_session.pk]
    )
