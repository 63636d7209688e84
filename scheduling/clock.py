"""The clinic's clock: storage is UTC, days and working hours are local.

Durations are always computed on UTC instants, never on local wall-clock
times, so an appointment across a clock change keeps its real length.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# Appointments start and end on 5-minute marks; the calendar grid uses the same step.
STEP = timedelta(minutes=5)
# How a datetime-local input writes a local wall-clock time.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def utc(moment: datetime) -> datetime:
    """`moment` in UTC. Arithmetic on a datetime in a zone with clock changes adds
    wall-clock time (Python ignores the offset within one zone), so durations
    are added to and measured between UTC datetimes only."""
    return moment.astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(clinic_zone())


def local_today(*, now: datetime | None = None) -> date:
    return to_local(now or timezone.now()).date()


def at_local(day: date, clock_time: time) -> datetime:
    """The UTC instant of a local wall-clock time on `day`."""
    return datetime.combine(day, clock_time, tzinfo=clinic_zone()).astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC instants of the local midnight that starts `day` and the next one."""
    return at_local(day, time.min), at_local(day + timedelta(days=1), time.min)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """UTC instants of the local midnights that start `monday` and end its Sunday."""
    return day_bounds(monday)[0], day_bounds(monday + timedelta(days=6))[1]


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def on_step(moment: datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % 5 == 0


def ceil_to(moment: datetime, minutes: int) -> datetime:
    """`moment` rounded up to the next multiple of `minutes` past the hour."""
    floor = moment.replace(second=0, microsecond=0)
    floor -= timedelta(minutes=floor.minute % minutes)
    return floor if floor == moment else floor + timedelta(minutes=minutes)


def format_minutes(total: int) -> str:
    """45 -> "45 min", 60 -> "1 h", 90 -> "1 h 30 min"."""
    hours, minutes = divmod(total, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
