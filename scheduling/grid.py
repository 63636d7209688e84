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

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from scheduling.cards import Card
from scheduling.clock import STEP, at_local, to_local
from scheduling.models import Appointment, TimeOff, WorkingHours
from scheduling.rules import within_local_hours

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
    cards: list[Card] = field(default_factory=list)
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
        """The row as pieces of HTML: its opening tag and time label, then every
        run of cells without appointments, each as one piece; appointment cells
        as they are. Whoever draws the row closes it."""
        parts: list[Cell | PlainCells] = []
        run: list[str] = [self._opening()]
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

    def _opening(self) -> str:
        classes = " ".join(
            name for name, shown in (("hour", self.is_hour), ("now", self.is_now)) if shown
        )
        if self.is_now:
            return format_html(
                '<tr class="{}" data-testid="now-line"><th scope="row" class="time-col">'
                '<span class="now-label">Now</span>{}</th>',
                classes,
                self.label,
            )
        return format_html(
            '<tr class="{}"><th scope="row" class="time-col">{}</th>', classes, self.label
        )


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
    cards: Iterable[Card],
    column_of: Callable[[Appointment], Hashable],
    now: datetime,
) -> Grid:
    """Place each appointment's card in its column; mark hours, time off and the current time."""
    index = {column.key: position for position, column in enumerate(columns)}
    background = _Backgrounds()
    cells = [background.column(column) for column in columns]
    for card in cards:
        position = index.get(column_of(card.appointment))
        if position is not None:
            _place(cells[position], columns[position].moments, card)
    reference = columns[0].moments if columns else []
    now_rows = {_row_at(column.moments, now) for column in columns}
    rows = [
        Row(
            label=_label(moment, reference),
            is_hour=to_local(moment).minute == 0,
            is_now=row in now_rows,
            cells=[column_cells[row] for column_cells in cells],
        )
        for row, moment in enumerate(reference)
    ]
    return Grid(columns=columns, rows=rows)


def _row_at(moments: list[datetime], moment: datetime) -> int | None:
    """The row of `moments` (ascending) whose 5 minutes hold `moment`, if any."""
    row = bisect_right(moments, moment) - 1
    return row if row >= 0 and moment < moments[row] + STEP else None


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
    """Columns with the same working hours and rows (the day view's
    clinicians mostly) share their background, worked out once; each row's
    local wall-clock time is worked out once per list of rows."""

    def __init__(self) -> None:
        self.local_spans: dict[int, list[tuple[datetime, datetime]]] = {}
        self.shared: dict[tuple, list[str]] = {}

    def column(self, column: Column) -> list[Cell]:
        if column.hours is None:
            return [Cell("free") for _ in column.moments]
        return [Cell(kind) for kind in self._kinds(column, column.hours)]

    def _kinds(self, column: Column, hours: list[WorkingHours]) -> list[str]:
        if column.time_off:
            return self._worked_out(column, hours)
        signature = tuple((block.weekday, block.starts_at, block.ends_at) for block in hours)
        key = (signature, id(column.moments))
        if key not in self.shared:
            self.shared[key] = self._worked_out(column, hours)
        return self.shared[key]

    def _worked_out(self, column: Column, hours: list[WorkingHours]) -> list[str]:
        blocks_on: dict[int, list[WorkingHours]] = {}
        for block in hours:
            blocks_on.setdefault(block.weekday, []).append(block)
        spans = self._local_spans(column.moments)
        return [
            "free" if _working(column, moment, span, blocks_on) else "off"
            for moment, span in zip(column.moments, spans, strict=True)
        ]

    def _local_spans(self, moments: list[datetime]) -> list[tuple[datetime, datetime]]:
        key = id(moments)
        if key not in self.local_spans:
            self.local_spans[key] = [(to_local(m), to_local(m + STEP)) for m in moments]
        return self.local_spans[key]


def _working(
    column: Column,
    moment: datetime,
    local_span: tuple[datetime, datetime],
    blocks_on: dict[int, list[WorkingHours]],
) -> bool:
    local_start, local_end = local_span
    end = moment + STEP
    blocks = blocks_on.get(local_start.weekday(), [])
    return within_local_hours(blocks, local_start=local_start, local_end=local_end) and not any(
        off.timespan.lower < end and moment < off.timespan.upper for off in column.time_off
    )


def _place(column_cells: list[Cell], moments: list[datetime], card: Card) -> None:
    if not moments:
        return
    first = max(0, bisect_right(moments, card.starts_at) - 1)
    last = max(first + 1, min(len(moments), bisect_left(moments, card.ends_at)))
    cell = column_cells[first]
    if cell.kind == "covered":
        cell = next(c for c in reversed(column_cells[:first]) if c.kind == "appointment")
    if cell.kind == "appointment":
        cell.cards.append(card)
        return
    column_cells[first] = Cell("appointment", [card], rowspan=last - first)
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
