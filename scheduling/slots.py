"""The free-slot finder: the next open times for a type, within working hours.

Computed in the clinic's time zone (working hours are local wall-clock
times) with durations added to UTC instants, from five queries whatever the
calendar holds: clinicians, their hours, their time off, rooms, and the
appointments in the window.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from clinic.models import User
from patients.models import Patient
from scheduling.clock import at_local, ceil_to, to_local
from scheduling.models import (
    RELEASED_STATUSES,
    Appointment,
    AppointmentType,
    Room,
    WorkingHours,
)
from scheduling.selectors import clinicians, rooms, time_off_between, working_hours_of

SLOT_STEP = 15
SEARCH_DAYS = 21
DEFAULT_LIMIT = 12

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class FreeSlot:
    starts_at: datetime
    ends_at: datetime
    clinician: User
    room: Room


def free_slots(
    *,
    appointment_type: AppointmentType,
    clinician: User | None = None,
    room: Room | None = None,
    patient: Patient | None = None,
    after: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    moving: int | None = None,
) -> list[FreeSlot]:
    """The next `limit` open slots, earliest first, each with a free room. The
    appointment being `moving` (its id) does not count as busy: it will leave its slot."""
    now = timezone.now()
    start = ceil_to(max(after or now, now), SLOT_STEP)
    end = start + timedelta(days=SEARCH_DAYS)
    people = [clinician] if clinician else list(clinicians())
    hours: defaultdict[int, list[WorkingHours]] = defaultdict(list)
    for block in working_hours_of([person.pk for person in people]):
        hours[block.clinician_id].append(block)
    availability = _Availability(
        busy=_busy(
            start=start, end=end, clinician_ids=[person.pk for person in people], moving=moving
        ),
        places=[room] if room else list(rooms()),
        patient_id=patient.pk if patient else None,
    )
    length = timedelta(minutes=appointment_type.default_minutes)
    found: list[FreeSlot] = []
    day = to_local(start).date()
    while len(found) < limit and day <= to_local(end).date():
        for person in people:
            for slot_start in _starts_in_hours(hours[person.pk], day=day, length=length):
                slot_end = slot_start + length
                free_room = slot_start >= start and availability.room_for(
                    person.pk, slot_start, slot_end
                )
                if free_room:
                    found.append(FreeSlot(slot_start, slot_end, person, free_room))
        day += timedelta(days=1)
    found.sort(key=lambda slot: (slot.starts_at, slot.clinician.pk))
    return found[:limit]


def _starts_in_hours(blocks: list[WorkingHours], *, day: date, length: timedelta) -> list[datetime]:
    starts = []
    for block in blocks:
        if block.weekday != day.weekday():
            continue
        moment, block_end = at_local(day, block.starts_at), at_local(day, block.ends_at)
        while moment + length <= block_end:
            starts.append(moment)
            moment += timedelta(minutes=SLOT_STEP)
    return starts


Busy = defaultdict[tuple[str, int], list[Interval]]


def _busy(
    *, start: datetime, end: datetime, clinician_ids: list[int], moving: int | None = None
) -> Busy:
    """Taken intervals by ("clinician" | "room" | "patient", id), time off included."""
    busy: Busy = defaultdict(list)
    taken = (
        Appointment.objects.filter(timespan__overlap=DateTimeTZRange(start, end, "[)"))
        .exclude(status__in=RELEASED_STATUSES)
        .exclude(pk=moving)
        .values_list("clinician_id", "room_id", "patient_id", "timespan")
    )
    for clinician_id, room_id, patient_id, timespan in taken:
        interval = (timespan.lower, timespan.upper)
        busy[("clinician", clinician_id)].append(interval)
        busy[("room", room_id)].append(interval)
        busy[("patient", patient_id)].append(interval)
    for time_off in time_off_between(start=start, end=end, clinician_ids=clinician_ids):
        busy[("clinician", time_off.clinician_id)].append(
            (time_off.timespan.lower, time_off.timespan.upper)
        )
    return busy


@dataclass(frozen=True)
class _Availability:
    busy: Busy
    places: list[Room]
    patient_id: int | None

    def room_for(self, clinician_id: int, start: datetime, end: datetime) -> Room | None:
        """A free room when the clinician (and the patient) are free then, else None."""
        if not _free(self.busy[("clinician", clinician_id)], start, end):
            return None
        if self.patient_id and not _free(self.busy[("patient", self.patient_id)], start, end):
            return None
        return next(
            (room for room in self.places if _free(self.busy[("room", room.pk)], start, end)),
            None,
        )


def _free(intervals: list[Interval], start: datetime, end: datetime) -> bool:
    """Half-open: an interval ending at `start` leaves it free."""
    return not any(taken_start < end and start < taken_end for taken_start, taken_end in intervals)
