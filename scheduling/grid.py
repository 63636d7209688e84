"""The calendar as a table: one row per 5 minutes, one column per clinician,
room or day, each appointment one cell spanning its rows.

Every row of every column stands for a UTC instant, so a day with a clock
change has the rows it really has (the repeated hour twice, the skipped
hour not at all in the day view). The week view lines days up by wall-clock
time. Appointments that would share rows (only possible around a clock
change) share one cell instead of breaking the table.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils.safestring import SafeString, mark_safe

from scheduling.clock import STEP, at_local, to_local
from scheduling.models import Appointment, TimeOff, WorkingHours
from scheduling.rules import within_hours

DAY_START = time(8, 0)
DAY_END = time(18, 0)


@dataclass
class Column:
    key: Hashable
    label: str
    # The UTC instant each row stands for in this column.
    moments: list[datetime] = field(default_factory=list)
    hours: list[WorkingHours] | None = None
    time_off: list[TimeOff] = field(default_factory=list)


@dataclass
class Cell:
    kind: str  # "appointment", "free", "off" (outside hours or time off), "covered"
    appointments: list[Appointment] = field(default_factory=list)
    rowspan: int = 1


@dataclass(frozen=True)
class PlainCells:
    """A run of cells without appointments, as HTML: the grid has thousands
    of them, too many to pass through the template one by one."""

    html: SafeString
    kind: str = "plain"


@dataclass
class Row:
    label: str
    is_hour: bool
    is_now: bool
    cells: list[Cell]

    @property
    def parts(self) -> list[Cell | PlainCells]:
        """Appointment cells as they are; every run of other cells as one piece of HTML."""
        parts: list[Cell | PlainCells] = []
        run: list[str] = []
        for cell in self.cells:
            if cell.kind == "appointment":
                if run:
                    parts.append(PlainCells(mark_safe("".join(run))))  # noqa: S308 (fixed class names)
                    run = []
                parts.append(cell)
            elif cell.kind != "covered":
                run.append(_PLAIN_CELL[cell.kind])
        if run:
            parts.append(PlainCells(mark_safe("".join(run))))  # noqa: S308 (fixed class names)
        return parts


_PLAIN_CELL = {kind: f'<td class="{kind}"></td>' for kind in ("free", "off")}


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]


def wall_times(appointments: Iterable[Appointment], hours: Iterable[WorkingHours]) -> list[time]:
    """Rows from the hour before the earliest start to the hour after the latest end shown."""
    starts = [DAY_START, *(block.starts_at for block in hours)]
    ends = [DAY_END, *(block.ends_at for block in hours)]
    for appointment in appointments:
        starts.append(to_local(appointment.starts_at).time())
        local_end = to_local(appointment.ends_at)
        same_day = local_end.date() == to_local(appointment.starts_at).date()
        ends.append(local_end.time() if same_day else time(23, 55))
    first_hour = min(starts).hour
    last_minute = max(end.hour * 60 + end.minute for end in ends)
    last_hour = min(24, -(-last_minute // 60))
    return [time(minute // 60, minute % 60) for minute in range(first_hour * 60, last_hour * 60, 5)]


def build_grid(
    *,
    columns: list[Column],
    appointments: Iterable[Appointment],
    column_of: Callable[[Appointment], Hashable],
    now: datetime,
) -> Grid:
    """Place each appointment in its column; mark hours, time off and the current time."""
    index = {column.key: position for position, column in enumerate(columns)}
    background = _Backgrounds()
    cells = [[background.cell(column, moment) for moment in column.moments] for column in columns]
    for appointment in appointments:
        position = index.get(column_of(appointment))
        if position is not None:
            _place(cells[position], columns[position].moments, appointment)
    reference = columns[0].moments if columns else []
    rows = [
        Row(
            label=_label(moment, reference),
            is_hour=to_local(moment).minute == 0,
            is_now=any(
                column.moments[row] <= now < column.moments[row] + STEP for column in columns
            ),
            cells=[column_cells[row] for column_cells in cells],
        )
        for row, moment in enumerate(reference)
    ]
    return Grid(columns=columns, rows=rows)


def day_moments(day: date, times: list[time]) -> list[datetime]:
    """UTC instants in 5-minute steps from the first to the last wall time of `day`."""
    if not times:
        return []
    first = at_local(day, times[0])
    last = at_local(day, times[-1])
    count = int((last - first) / STEP) + 1
    return [first + STEP * step for step in range(count)]


def week_moments(day: date, times: list[time]) -> list[datetime]:
    return [at_local(day, wall) for wall in times]


class _Backgrounds:
    """Columns with the same working hours and no time off share their
    background: worked out once per row instead of once per cell."""

    def __init__(self) -> None:
        self.kinds: dict[tuple, str] = {}

    def cell(self, column: Column, moment: datetime) -> Cell:
        if column.time_off or column.hours is None:
            return _background(column, moment)
        hours = tuple((block.weekday, block.starts_at, block.ends_at) for block in column.hours)
        key = (hours, moment)
        if key not in self.kinds:
            self.kinds[key] = _background(column, moment).kind
        return Cell(self.kinds[key])


def _background(column: Column, moment: datetime) -> Cell:
    if column.hours is None:
        return Cell("free")
    end = moment + STEP
    working = within_hours(column.hours, starts_at=moment, ends_at=end) and not any(
        off.timespan.lower < end and moment < off.timespan.upper for off in column.time_off
    )
    return Cell("free" if working else "off")


def _place(column_cells: list[Cell], moments: list[datetime], appointment: Appointment) -> None:
    if not moments:
        return
    first = max(0, bisect_right(moments, appointment.starts_at) - 1)
    last = max(first + 1, min(len(moments), bisect_left(moments, appointment.ends_at)))
    cell = column_cells[first]
    if cell.kind == "covered":
        cell = next(c for c in reversed(column_cells[:first]) if c.kind == "appointment")
    if cell.kind == "appointment":
        cell.appointments.append(appointment)
        return
    column_cells[first] = Cell("appointment", [appointment], rowspan=last - first)
    for row in range(first + 1, last):
        if column_cells[row].kind == "appointment":
            column_cells[first].rowspan = row - first
            break
        column_cells[row] = Cell("covered")


def _label(moment: datetime, reference: list[datetime]) -> str:
    local = to_local(moment)
    if local.minute % 30:
        return ""
    if reference and to_local(reference[0]).utcoffset() != to_local(reference[-1]).utcoffset():
        return f"{local:%H:%M %Z}"
    return f"{local:%H:%M}"
