"""Five years of clinic days: every room runs a morning and an afternoon
shift, each with one clinician, filled with back-to-back appointments. No
clinician, room or patient is ever in two places at once, so the exclusion
constraints accept every row."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.seeding.rows import HistoryWriter
from bench.seeding.staff import CLINICIAN_COUNT, ROOM_COUNT, SHIFTS, WORKING_DAYS
from followups.timing import clinic_zone

SHIFT_MINUTES = 360
SLOT_MINUTES_MIN = 15
DAYS_PER_BATCH = 20
OTHER_KINDS = ("consult", "review", "injection")


@dataclass(frozen=True)
class Patients:
    """Generated patients; sessions go to those who may be emailed, so their
    follow-ups are sent and some are answered."""

    all_ids: list[int]
    emailable_ids: list[int]


@dataclass(frozen=True)
class Span:
    first_day: dt.date
    end_day: dt.date  # exclusive

    def working_days(self) -> list[dt.date]:
        count = (self.end_day - self.first_day).days
        days = (self.first_day + dt.timedelta(days=n) for n in range(count))
        return [day for day in days if day.weekday() in WORKING_DAYS]


def history_write(
    *,
    writer: HistoryWriter,
    span: Span,
    patients: Patients,
    appointments: int,
    sessions: int,
) -> None:
    days = span.working_days()
    rng = writer.rng
    session_numbers = set(rng.sample(range(appointments), sessions))
    number = 0
    for day_index, (day, count) in enumerate(_per_day(days, appointments)):
        day_numbers = range(number, number + count)
        _day_write(writer, day, day_index, day_numbers, session_numbers, patients)
        number += count
        if day_index % DAYS_PER_BATCH == DAYS_PER_BATCH - 1:
            writer.flush()
    writer.flush()


def _per_day(days: list[dt.date], total: int) -> Iterator[tuple[dt.date, int]]:
    for index, day in enumerate(days):
        yield day, (index + 1) * total // len(days) - index * total // len(days)


def _day_write(
    writer: HistoryWriter,
    day: dt.date,
    day_index: int,
    numbers: range,
    session_numbers: set[int],
    patients: Patients,
) -> None:
    shifts = ROOM_COUNT * len(SHIFTS)
    slot = _slot_minutes(math.ceil(len(numbers) / shifts))
    taken: set[int] = set()
    for position, number in enumerate(numbers):
        room_index, shift_index = divmod(position % shifts, len(SHIFTS))
        start = _shift_start(day, shift_index) + dt.timedelta(minutes=slot * (position // shifts))
        is_session = number in session_numbers
        pool = patients.emailable_ids if is_session else patients.all_ids
        patient_id = _patient_for_day(writer.rng, pool, taken)
        clinician_id = writer.staff.clinician_ids[
            (room_index * len(SHIFTS) + shift_index + day_index) % CLINICIAN_COUNT
        ]
        _slot_write(
            writer,
            is_session,
            patient_id,
            clinician_id,
            writer.staff.room_ids[room_index],
            start,
            slot,
        )


def _slot_write(
    writer: HistoryWriter,
    is_session: bool,
    patient_id: int,
    clinician_id: int,
    room_id: int,
    start: dt.datetime,
    slot: int,
) -> None:
    rng = writer.rng
    kind = "injection" if is_session else rng.choice(OTHER_KINDS)
    minutes = min(slot, {"consult": 45, "injection": 30, "review": 15}[kind])
    status = "completed" if is_session else _status(rng)
    appointment_id = writer.appointment(
        patient_id=patient_id,
        clinician_id=clinician_id,
        room_id=room_id,
        kind=kind,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        status=status,
    )
    if is_session:
        writer.session(
            appointment_id=appointment_id,
            patient_id=patient_id,
            clinician_id=clinician_id,
            started_at=start + dt.timedelta(minutes=2),
            shape=writer.shape_random(),
            patient_may_be_emailed=True,
        )


def _status(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.10:
        return "cancelled"
    return "no_show" if draw < 0.16 else "completed"


def _slot_minutes(per_shift: int) -> int:
    if per_shift == 0:
        return SHIFT_MINUTES
    minutes = min(45, SHIFT_MINUTES // per_shift // 5 * 5)
    if minutes < SLOT_MINUTES_MIN:
        raise ValueError(f"{per_shift} appointments do not fit in one shift; lower --scale")
    return minutes


def _shift_start(day: dt.date, shift_index: int) -> dt.datetime:
    local = dt.datetime.combine(day, SHIFTS[shift_index][0], tzinfo=clinic_zone())
    return local.astimezone(dt.UTC)


def _patient_for_day(rng: random.Random, pool: list[int], taken: set[int]) -> int:
    """A patient not yet seen that day: nobody is booked twice at once."""
    while True:
        patient_id = rng.choice(pool)
        if patient_id not in taken:
            taken.add(patient_id)
            return patient_id
