"""Stored in UTC, shown in the clinic's zone, right across the clock changes.

America/New_York springs forward at 02:00 on 8 March 2026 (01:59 EST is
followed by 03:00 EDT) and falls back at 02:00 on 1 November 2026 (01:00 to
01:59 happen twice). Those days are in the past for the booking form, so the
form is tested on the next changes after today, and the named 2026 days on
what the pages show.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from scheduling.models import Appointment
from scheduling.slots import free_slots
from scheduling.tests.conftest import work_every_day
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SPRING_2026 = dt.date(2026, 3, 8)
AUTUMN_2026 = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _new_york(settings) -> None:
    settings.CLINIC_TIME_ZONE = "America/New_York"
    settings.TIME_ZONE = "America/New_York"


@pytest.fixture
def desk(client, front_desk):
    client.force_login(front_desk)
    return client


def _local(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=NEW_YORK).astimezone(
        dt.UTC
    )


def _next_change(*, forward: bool) -> dt.date:
    """The next day after today on which New York's clocks go forward (or back)."""
    day = dt.date.today() + dt.timedelta(days=1)
    while True:
        before = dt.datetime.combine(day, dt.time(0), tzinfo=NEW_YORK).utcoffset()
        after = dt.datetime.combine(day, dt.time(12), tzinfo=NEW_YORK).utcoffset()
        if before != after and (after > before) == forward:
            return day
        day += dt.timedelta(days=1)


def _shown_when(client, appointment: Appointment) -> str:
    page = client.get(reverse("scheduling:appointment", args=[appointment.pk])).content.decode()
    start = page.index('data-testid="appointment-when">') + len('data-testid="appointment-when">')
    return page[start : page.index("</dd>", start)]


def test_spring_2026_an_hour_from_0130_ends_at_0330_by_the_clock(desk):
    appointment = AppointmentFactory(start=_local(SPRING_2026, 1, 30), minutes=60)

    assert appointment.ends_at == _local(SPRING_2026, 3, 30)
    assert _shown_when(desk, appointment) == "Sun 8 Mar 2026 01:30 EST–03:30 EDT (1 h)"


def test_autumn_2026_an_hour_from_the_first_0130_ends_at_the_second(desk):
    appointment = AppointmentFactory(start=_local(AUTUMN_2026, 1, 30), minutes=60)

    assert appointment.ends_at == _local(AUTUMN_2026, 1, 30, fold=1)
    assert _shown_when(desk, appointment) == "Sun 1 Nov 2026 01:30 EDT–01:30 EST (1 h)"


def test_the_day_view_of_autumn_2026_has_the_repeated_hour_twice(desk, clinician):
    work_every_day(clinician, start=dt.time(0), end=dt.time(6))

    grid = desk.get(reverse("scheduling:day"), {"date": "2026-11-01"}).context["calendar"].grid

    labels = [row.label for row in grid.rows]
    assert [label for label in labels if label][:5] == [
        "00:00 EDT",
        "00:30 EDT",
        "01:00 EDT",
        "01:30 EDT",
        "01:00 EST",
    ]
    assert labels.index("06:00 EST") == 7 * 12  # 00:00 to 06:00 took seven real hours


def test_the_day_view_of_spring_2026_skips_the_missing_hour(desk, clinician):
    work_every_day(clinician, start=dt.time(0), end=dt.time(6))

    grid = desk.get(reverse("scheduling:day"), {"date": "2026-03-08"}).context["calendar"].grid

    labels = [row.label for row in grid.rows]
    assert [label for label in labels if label][:5] == [
        "00:00 EST",
        "00:30 EST",
        "01:00 EST",
        "01:30 EST",
        "03:00 EDT",
    ]
    assert labels.index("06:00 EDT") == 5 * 12  # 00:00 to 06:00 took five real hours


@pytest.mark.parametrize(
    ("forward", "start", "end", "shown", "minutes"),
    [
        (True, "01:30", "03:30", "01:30 EST–03:30 EDT (1 h)", 60),
        (False, "00:30", "02:30", "00:30 EDT–02:30 EST (3 h)", 180),
    ],
    ids=["spring", "autumn"],
)
def test_booking_across_the_next_clock_change_keeps_wall_clock_and_real_length(
    desk, working_clinician, room, review, patient, forward, start, end, shown, minutes
):
    day = _next_change(forward=forward)

    response = desk.post(
        reverse("scheduling:book"),
        {
            "booking_key": "5c0e7b0e-2f0a-4a7e-9d7c-4f1e0e0b1a11",
            "patient": patient.pk,
            "appointment_type": review.pk,
            "clinician": working_clinician.pk,
            "room": room.pk,
            "starts_at": f"{day}T{start}",
            "ends_at": f"{day}T{end}",
            "hours_override_reason": "Night clinic",
        },
    )

    assert response.status_code == 303, response.context["form"].errors
    appointment = Appointment.objects.get()
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=minutes)
    assert (
        appointment.starts_at.tzinfo == dt.UTC
        or appointment.starts_at.utcoffset() == dt.timedelta(0)
    )
    assert _shown_when(desk, appointment) == f"{day:%a} {day.day} {day:%b %Y} {shown}"


def test_free_slots_follow_the_wall_clock_across_the_spring_change(clinician, room, review):
    work_every_day(clinician, start=dt.time(9), end=dt.time(10))
    day = _next_change(forward=True)

    slots = free_slots(
        appointment_type=review,
        clinician=clinician,
        after=_local(day - dt.timedelta(days=1), 0),
        limit=8,
    )

    saturday = [slot.starts_at for slot in slots[:4]]
    sunday = [slot.starts_at for slot in slots[4:8]]
    assert saturday[0] == _local(day - dt.timedelta(days=1), 9)
    assert sunday[0] == _local(day, 9)
    assert saturday[0].hour - sunday[0].hour == 1  # 14:00 UTC in winter, 13:00 in summer
