"""What the day and week views show, read in a fixed number of queries.

Day view: the day's appointments (one query, with patient, clinician, room
and type joined), the clinicians or the rooms (one), and for clinician
columns their working hours and time off (two). Week view: the same for one
clinician.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from clinic.models import User
from scheduling.cards import calendar_card
from scheduling.clock import day_bounds, to_local, week_bounds
from scheduling.display import clinician_label, date_label
from scheduling.grid import Column, Grid, build_grid, day_moments, wall_times, week_moments
from scheduling.models import RELEASED_STATUSES, Appointment, AppointmentStatus
from scheduling.selectors import (
    appointments_between,
    clinicians,
    rooms,
    time_off_between,
    working_hours_of,
)
from scheduling.services import transition_refusal

BY_CLINICIAN = "clinician"
BY_ROOM = "room"


@dataclass
class CalendarPage:
    grid: Grid
    released: list[Appointment]


def day_calendar(*, day: date, by: str, now: datetime) -> CalendarPage:
    start, end = day_bounds(day)
    appointments = list(appointments_between(start=start, end=end))
    holding = [a for a in appointments if a.status not in RELEASED_STATUSES]
    if by == BY_ROOM:
        columns = _room_columns(holding)
        hours = []
    else:
        columns, hours = _clinician_columns(holding, start=start, end=end)
    times = wall_times(holding, [block for block in hours if block.weekday == day.weekday()])
    moments = day_moments(day, times)
    for column in columns:
        column.moments = moments
    return _page(columns, appointments, holding, by=by, now=now)


def week_calendar(*, clinician: User, monday: date, now: datetime) -> CalendarPage:
    start, end = week_bounds(monday)
    appointments = list(appointments_between(start=start, end=end, clinician=clinician))
    holding = [a for a in appointments if a.status not in RELEASED_STATUSES]
    hours = working_hours_of([clinician.pk])
    time_off = time_off_between(start=start, end=end, clinician_ids=[clinician.pk])
    times = wall_times(holding, hours)
    columns = [
        Column(
            key=day,
            label=date_label(day),
            moments=week_moments(day, times),
            hours=hours,
            time_off=time_off,
        )
        for day in (monday + timedelta(days=offset) for offset in range(7))
    ]
    return _page(columns, appointments, holding, by="day", now=now)


def _clinician_columns(
    holding: list[Appointment], *, start: datetime, end: datetime
) -> tuple[list[Column], list]:
    people = list(clinicians())
    known = {person.pk for person in people}
    # A clinician who has left still shows on the days they had appointments.
    people += list(
        {a.clinician_id: a.clinician for a in holding if a.clinician_id not in known}.values()
    )
    ids = [person.pk for person in people]
    hours = working_hours_of(ids)
    time_off = time_off_between(start=start, end=end, clinician_ids=ids)
    columns = [
        Column(
            key=person.pk,
            label=clinician_label(person),
            hours=[block for block in hours if block.clinician_id == person.pk],
            time_off=[off for off in time_off if off.clinician_id == person.pk],
        )
        for person in people
    ]
    return columns, hours


def _room_columns(holding: list[Appointment]) -> list[Column]:
    places = list(rooms())
    known = {room.pk for room in places}
    places += list({a.room_id: a.room for a in holding if a.room_id not in known}.values())
    return [Column(key=room.pk, label=room.name) for room in places]


COLUMN_OF = {
    BY_CLINICIAN: lambda appointment: appointment.clinician_id,
    BY_ROOM: lambda appointment: appointment.room_id,
    "day": lambda appointment: to_local(appointment.starts_at).date(),
}


def _page(
    columns: list[Column],
    appointments: list[Appointment],
    holding: list[Appointment],
    *,
    by: str,
    now: datetime,
) -> CalendarPage:
    cards = [
        calendar_card(
            appointment,
            show_clinician=by == BY_ROOM,
            can_check_in=_can_check_in(appointment, now=now),
        )
        for appointment in holding
    ]
    return CalendarPage(
        grid=build_grid(columns=columns, cards=cards, column_of=COLUMN_OF[by], now=now),
        released=[a for a in appointments if a.status in RELEASED_STATUSES],
    )


def _can_check_in(appointment: Appointment, *, now: datetime) -> bool:
    return appointment.status == AppointmentStatus.BOOKED and not transition_refusal(
        appointment, to_status=AppointmentStatus.ARRIVED, at=now
    )
