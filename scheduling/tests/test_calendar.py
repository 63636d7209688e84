"""The day and week calendars: what they show, and how few queries they need."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.tests.factories import PatientFactory
from scheduling.clock import at_local, local_today, week_start
from scheduling.services import appointment_cancel
from scheduling.tests.conftest import tomorrow_at, work_every_day
from scheduling.tests.factories import AppointmentFactory, TimeOffFactory

pytestmark = pytest.mark.django_db

DAY = reverse("scheduling:day")
WEEK = reverse("scheduling:week")


@pytest.fixture
def desk(client, front_desk):
    client.force_login(front_desk)
    return client


def _day_param(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def test_the_day_view_puts_each_appointment_in_its_clinicians_column_with_a_status_label(
    desk, working_clinician, working_other_clinician, room, patient
):
    AppointmentFactory(
        start=tomorrow_at(10), clinician=working_clinician, room=room, patient=patient
    )

    response = desk.get(DAY, {"date": _day_param(tomorrow_at(10))})

    grid = response.context["calendar"].grid
    assert [column.label for column in grid.columns] == ["Dr Lindqvist", "Dr Raman"]
    placed = [
        (row.label, position, cell.cards[0].patient_name, cell.rowspan)
        for row in grid.rows
        for position, cell in enumerate(row.cells)
        if cell.kind == "appointment"
    ]
    assert placed == [("10:00", 0, "Jane Doe", 6)]
    html = response.content.decode()
    assert '<span class="appt-time">10:00–10:30</span> Jane Doe' in html
    assert ">Booked</span>" in html


def test_the_room_view_has_one_column_per_room(desk, working_clinician, room, room2):
    AppointmentFactory(start=tomorrow_at(10), clinician=working_clinician, room=room2)

    response = desk.get(DAY, {"date": _day_param(tomorrow_at(10)), "by": "room"})

    grid = response.context["calendar"].grid
    assert [column.label for column in grid.columns] == ["Room 1", "Room 2"]
    cells = [row.cells[1].kind for row in grid.rows if row.cells[1].kind == "appointment"]
    assert cells == ["appointment"]
    assert "Dr Lindqvist" in response.content.decode()


def test_hours_and_time_off_are_shaded(desk, clinician):
    work_every_day(clinician, start=dt.time(9), end=dt.time(17))
    TimeOffFactory(clinician=clinician, start=tomorrow_at(13), hours=2)

    grid = desk.get(DAY, {"date": _day_param(tomorrow_at(10))}).context["calendar"].grid

    kinds = {row.label: row.cells[0].kind for row in grid.rows if row.label}
    assert (kinds["08:30"], kinds["09:00"]) == ("off", "free")
    assert (kinds["13:00"], kinds["14:30"], kinds["15:00"]) == ("off", "off", "free")
    assert kinds["17:00"] == "off"


def test_cancelled_appointments_leave_the_grid_and_are_listed_below(
    desk, front_desk, working_clinician
):
    appointment = AppointmentFactory(start=tomorrow_at(10), clinician=working_clinician)
    appointment_cancel(appointment=appointment, by=front_desk, reason="Unwell")

    response = desk.get(DAY, {"date": _day_param(tomorrow_at(10))})

    calendar = response.context["calendar"]
    assert calendar.released == [appointment]
    assert not any(cell.kind == "appointment" for row in calendar.grid.rows for cell in row.cells)
    assert ">Cancelled</span>" in response.content.decode()


def test_today_has_a_line_at_the_current_time(client, front_desk, working_clinician, time_machine):
    time_machine.move_to(at_local(local_today(), dt.time(10, 15)), tick=False)
    desk = client
    desk.force_login(front_desk)

    response = desk.get(DAY)

    now_rows = [row for row in response.context["calendar"].grid.rows if row.is_now]
    assert len(now_rows) == 1
    assert 'data-testid="now-line"' in response.content.decode()
    other_day = desk.get(DAY, {"date": _day_param(tomorrow_at(10))})
    assert not any(row.is_now for row in other_day.context["calendar"].grid.rows)


def test_htmx_navigation_gets_only_the_calendar_and_a_vary_header(desk, working_clinician):
    response = desk.get(
        DAY,
        {"date": _day_param(tomorrow_at(10))},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="calendar",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_the_back_button_gets_the_whole_page(desk, working_clinician):
    response = desk.get(
        DAY,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="calendar",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in response.content.decode()


def test_a_malformed_date_shows_today(desk, working_clinician):
    response = desk.get(DAY, {"date": "2026-13-45"})

    assert response.context["day"] == local_today()


def test_the_week_view_has_one_column_per_day_for_one_clinician(
    desk, working_clinician, working_other_clinician
):
    AppointmentFactory(start=tomorrow_at(10), clinician=working_clinician)
    AppointmentFactory(start=tomorrow_at(11), clinician=working_other_clinician)

    response = desk.get(
        WEEK, {"date": _day_param(tomorrow_at(10)), "clinician": working_clinician.pk}
    )

    grid = response.context["calendar"].grid
    monday = week_start(timezone.localtime(tomorrow_at(10)).date())
    assert [column.key for column in grid.columns] == [
        monday + dt.timedelta(days=n) for n in range(7)
    ]
    shown = [
        card.appointment.clinician for row in grid.rows for cell in row.cells for card in cell.cards
    ]
    assert shown == [working_clinician]


def _a_busy_week(clinician, room, *, per_day: int = 50, days: int = 6) -> dt.date:
    """`per_day` back-to-back 10-minute appointments a day from 08:00: 300 by default."""
    monday = week_start(local_today()) + dt.timedelta(days=7)
    patients = PatientFactory.create_batch(30)
    for day in range(days):
        start = at_local(monday + dt.timedelta(days=day), dt.time(8))
        for slot in range(per_day):
            AppointmentFactory(
                start=start + dt.timedelta(minutes=10 * slot),
                minutes=10,
                clinician=clinician,
                room=room,
                patient=patients[slot % 30],
            )
    return monday


def test_a_week_of_300_appointments_takes_a_fixed_few_queries(
    desk, working_clinician, room, django_assert_max_num_queries
):
    monday = _a_busy_week(working_clinician, room)

    # session, the user with their permissions and roles, the clinicians to
    # choose from, the week's appointments with patient, clinician, room and
    # type joined, the clinician's working hours, their time off, and the
    # revisions the drawn grid is kept under: 7, whatever the week holds.
    week = {"date": monday.isoformat(), "clinician": working_clinician.pk}
    with django_assert_max_num_queries(7):
        response = desk.get(WEEK, week)
    # Again, nothing changed: the grid comes from the page cache (4).
    with django_assert_max_num_queries(4):
        again = desk.get(WEEK, week)

    for shown in (response, again):
        assert shown.content.decode().count('data-testid="appointment-card"') == 300


def test_a_day_by_clinician_or_room_takes_a_fixed_few_queries(
    desk, working_clinician, working_other_clinician, room, room2, django_assert_max_num_queries
):
    monday = _a_busy_week(working_clinician, room, days=1)
    _a_busy_week(working_other_clinician, room2, days=1)

    # session, the user with their permissions and roles, the day's
    # appointments (joined), the clinicians, their hours, their time off, the
    # revisions the drawn grid is kept under: 7. By room: the rooms instead of
    # clinicians, hours and time off: 5. Again, nothing changed: the session,
    # the user and the revisions, the grid from the page cache (3).
    with django_assert_max_num_queries(7):
        by_clinician = desk.get(DAY, {"date": monday.isoformat()})
    with django_assert_max_num_queries(5):
        by_room = desk.get(DAY, {"date": monday.isoformat(), "by": "room"})
    with django_assert_max_num_queries(3):
        again = desk.get(DAY, {"date": monday.isoformat()})

    for response in (by_clinician, by_room, again):
        assert response.content.decode().count('data-testid="appointment-card"') == 100


def test_a_clinician_who_left_still_shows_on_days_with_their_appointments(desk, clinician):
    work_every_day(clinician)
    AppointmentFactory(start=tomorrow_at(10), clinician=clinician)
    clinician.is_active = False
    clinician.save()

    response = desk.get(DAY, {"date": _day_param(tomorrow_at(10))})

    assert [column.key for column in response.context["calendar"].grid.columns] == [clinician.pk]
