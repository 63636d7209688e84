"""Demo rooms, working hours and a few weeks of appointments for `seed_demo`.

Appointments go through the same services as the booking page, back-dated
with `at`: past ones are checked in and completed (or recorded as no-shows),
today's are under way, future ones are booked, a few cancelled. Each planned
appointment has a fixed booking key, so running the seed again books
nothing twice; run on a later day, it completes what has since passed.

Appointments need patients: the patients app's seed runs first and makes
them. With no patients, only rooms and hours are seeded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import User
from patients.models import Patient
from scheduling.clock import at_local, local_today
from scheduling.errors import IllegalTransition, SlotTaken
from scheduling.models import Appointment, AppointmentStatus, AppointmentType, Room, WorkingHours
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_mark_no_show,
    appointment_start_session,
)

ROOMS = ["Room 1", "Room 2", "Room 3"]
WEEKDAYS = range(5)
HOURS: dict[str, list[tuple[tuple[int, ...], time, time]]] = {
    "clinician": [
        (tuple(WEEKDAYS), time(8, 30), time(12, 30)),
        (tuple(WEEKDAYS), time(13, 30), time(17, 0)),
    ],
    "clinician2": [((0, 1, 3), time(9, 0), time(17, 0)), ((4,), time(9, 0), time(13, 0))],
}
# Each clinician's day: start, type, room.
DAY_PLAN = [
    (time(9, 0), "New consultation", "Room 1"),
    (time(10, 0), "Injection session", "Room 2"),
    (time(10, 45), "Review", "Room 3"),
    (time(11, 30), "Injection session", "Room 2"),
    (time(14, 0), "Review", "Room 3"),
    (time(15, 0), "New consultation", "Room 1"),
]
PAST_DAYS = 14
FUTURE_DAYS = 21
DEMO_KEYS = uuid.UUID("6f1d7c1e-6f0b-4d0e-9a51-3c8d2f0b7a10")


@dataclass(frozen=True)
class Plan:
    day: date
    clinician: User
    start: time
    type_name: str
    room_name: str

    @property
    def key(self) -> uuid.UUID:
        return uuid.uuid5(DEMO_KEYS, f"{self.day}:{self.clinician.username}:{self.start}")

    @property
    def starts_at(self) -> datetime:
        return at_local(self.day, self.start)


@dataclass(frozen=True)
class _Clinic:
    patients: list[Patient]
    rooms: dict[str, Room]
    types: dict[str, AppointmentType]
    desk: User


def seed() -> str:
    rooms = {name: Room.objects.get_or_create(name=name)[0] for name in ROOMS}
    clinicians = {user.username: user for user in User.objects.filter(username__in=HOURS)}
    for username, user in clinicians.items():
        _seed_hours(user, HOURS[username])
    patients = list(Patient.objects.filter(archived_at=None).order_by("pk"))
    desk = User.objects.filter(username="frontdesk").first()
    if not patients or desk is None:
        return f"{len(rooms)} rooms, working hours; no appointments (no demo patients yet)"
    clinic = _Clinic(
        patients=patients,
        rooms=rooms,
        types={kind.name: kind for kind in AppointmentType.objects.all()},
        desk=desk,
    )
    plans = _plans(list(clinicians.values()))
    booked = sum(_seed_one(plan, clinic, position) for position, plan in enumerate(plans))
    return (
        f"{len(rooms)} rooms, working hours for {len(clinicians)} clinicians, {booked} appointments"
    )


def _seed_hours(clinician: User, blocks: list[tuple[tuple[int, ...], time, time]]) -> None:
    for weekdays, starts_at, ends_at in blocks:
        for weekday in weekdays:
            WorkingHours.objects.get_or_create(
                clinician=clinician,
                weekday=weekday,
                starts_at=starts_at,
                defaults={"ends_at": ends_at},
            )


def _plans(clinicians: list[User]) -> list[Plan]:
    """Most of each working day's plan, skipping a slot here and there."""
    today = local_today()
    ordered = sorted(clinicians, key=lambda user: user.username)
    weekdays = {
        user.pk: set(user.working_hours.values_list("weekday", flat=True)) for user in ordered
    }
    plans = []
    for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
        day = today + timedelta(days=offset)
        for number, clinician in enumerate(ordered):
            if day.weekday() not in weekdays[clinician.pk]:
                continue
            for slot, (start, type_name, room_name) in enumerate(DAY_PLAN):
                if (day.toordinal() + slot + number) % 4 == 0:
                    continue
                room = room_name if number == 0 else ROOMS[(ROOMS.index(room_name) + 1) % 3]
                plans.append(Plan(day, clinician, start, type_name, room))
    return plans


def _seed_one(plan: Plan, clinic: _Clinic, position: int) -> int:
    """Book the planned appointment (once) and bring it up to date; 1 if it exists."""
    starts_at = plan.starts_at
    try:
        appointment = appointment_book(
            patient=clinic.patients[(position * 7) % len(clinic.patients)],
            clinician=plan.clinician,
            room=clinic.rooms[plan.room_name],
            appointment_type=clinic.types[plan.type_name],
            starts_at=starts_at,
            booked_by=clinic.desk,
            booking_key=plan.key,
            at=starts_at - timedelta(days=10),
        )
    except (ValidationError, SlotTaken):
        return 0  # the patient is busy then or too soon for another injection: skip it
    _bring_up_to_date(appointment, desk=clinic.desk, position=position)
    return 1


def _bring_up_to_date(appointment: Appointment, *, desk: User, position: int) -> None:
    now = timezone.now()
    if appointment.status != AppointmentStatus.BOOKED:
        return
    clinician = appointment.clinician
    start, end = appointment.starts_at, appointment.ends_at
    try:
        if start > now + timedelta(days=2) and position % 13 == 0:
            appointment_cancel(appointment=appointment, by=desk, reason="Patient asked to rebook")
        elif end <= now and position % 9 == 0:
            appointment_mark_no_show(
                appointment=appointment, by=desk, at=start + timedelta(minutes=20)
            )
        elif start <= now:
            appointment_check_in(appointment=appointment, by=desk, at=start - timedelta(minutes=7))
            if end <= now:
                appointment_start_session(appointment=appointment, by=clinician, at=start)
                appointment_complete(appointment=appointment, by=clinician, at=end)
    except IllegalTransition:
        return
