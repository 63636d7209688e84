"""Geometry for the server-drawn SVG charts.

Python computes where every mark goes; the templates only draw. Pain runs
0-10 with 10 at the top, PGIC 1-7 with 7 ("very much worse") at the top, so
on both panels lower is better.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as date_format

from outcomes.selectors import SessionOutcome

WIDTH = 760
LEFT = 64
RIGHT = 740
PAIN_TOP = 56
PAIN_BOTTOM = 256
PGIC_TOP = 296
PGIC_BOTTOM = 386
HEIGHT = 420
MAX_X_TICKS = 8


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    value: int
    title: str
    meaningful: bool = False


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SessionMark:
    x: float
    label_y: float
    number: int
    units_text: str
    title: str


@dataclass(frozen=True)
class PainChart:
    x_ticks: list[Tick]
    pain_ticks: list[Tick]
    pgic_ticks: list[Tick]
    sessions: list[SessionMark]
    baselines: list[Mark]
    answers: list[Mark]
    links: list[Segment]
    pgic: list[Mark]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    pain_top: int = PAIN_TOP
    pain_bottom: int = PAIN_BOTTOM
    pgic_top: int = PGIC_TOP
    pgic_bottom: int = PGIC_BOTTOM


class _TimeScale:
    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.start = first - dt.timedelta(days=7)
        self.days = max((last - self.start).days + 7, 1)

    def x(self, day: dt.date) -> float:
        return round(LEFT + (day - self.start).days / self.days * (RIGHT - LEFT), 1)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days)


def _pain_y(value: int) -> float:
    return round(PAIN_TOP + (10 - value) / 10 * (PAIN_BOTTOM - PAIN_TOP), 1)


def _pgic_y(value: int) -> float:
    return round(PGIC_TOP + (7 - value) / 6 * (PGIC_BOTTOM - PGIC_TOP), 1)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _month_ticks(scale: _TimeScale) -> list[Tick]:
    month = scale.start.replace(day=1)
    months = []
    while month <= scale.end:
        if month >= scale.start:
            months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    step = max(1, math.ceil(len(months) / MAX_X_TICKS))
    return [
        Tick(scale.x(month), date_format(month, "M Y" if month.month == 1 or i == 0 else "M"))
        for i, month in enumerate(months[::step])
    ]


def pain_chart_build(*, sessions: list[SessionOutcome]) -> PainChart | None:
    """The pain-over-time chart with PGIC below it; None without sessions."""
    if not sessions:
        return None
    days = [_local_date(s.started_at) for s in sessions]
    days += [_local_date(a.submitted_at) for s in sessions for a in s.answers]
    scale = _TimeScale(min(days), max(days))
    chart = PainChart(
        x_ticks=_month_ticks(scale),
        pain_ticks=[Tick(_pain_y(v), str(v)) for v in range(0, 11, 2)],
        pgic_ticks=[Tick(_pgic_y(v), str(v)) for v in (1, 4, 7)],
        sessions=[],
        baselines=[],
        answers=[],
        links=[],
        pgic=[],
    )
    for index, session in enumerate(sessions):
        _add_session(chart, scale, session, label_y=PAIN_TOP - (30 if index % 2 else 14))
    return chart


def _add_session(
    chart: PainChart, scale: _TimeScale, session: SessionOutcome, label_y: int
) -> None:
    day = _local_date(session.started_at)
    x = scale.x(day)
    when = date_format(day, "j M Y")
    chart.sessions.append(
        SessionMark(
            x=x,
            label_y=label_y,
            number=session.number,
            units_text=session.units_text,
            title=f"Session {session.number}, {when}: {session.units_text}",
        )
    )
    baseline = None
    if session.pain_before is not None:
        baseline = Mark(
            x, _pain_y(session.pain_before), session.pain_before, f"Pain before, {when}"
        )
        chart.baselines.append(baseline)
    for answer in session.answers:
        answer_x = scale.x(_local_date(answer.submitted_at))
        answer_when = date_format(_local_date(answer.submitted_at), "j M Y")
        mark = Mark(
            answer_x,
            _pain_y(answer.pain_now),
            answer.pain_now,
            f"Pain at {answer.label} after session {session.number}, {answer_when}"
            + (" (meaningful response)" if answer.meaningful else ""),
            meaningful=answer.meaningful,
        )
        chart.answers.append(mark)
        chart.pgic.append(
            Mark(
                answer_x,
                _pgic_y(answer.pgic),
                answer.pgic,
                f"PGIC at {answer.label}: {answer.pgic} ({answer.pgic_label})",
            )
        )
        if baseline is not None:
            chart.links.append(Segment(baseline.x, baseline.y, mark.x, mark.y))


# Sessions per week ----------------------------------------------------------

BAR_TOP = 16
BAR_BOTTOM = 150
BAR_HEIGHT = 180


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    url: str

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = BAR_HEIGHT
    left: int = LEFT
    right: int = RIGHT
    bottom: int = BAR_BOTTOM


def weekly_bars_build(*, weeks: list[tuple[dt.date, int, str]]) -> BarChart:
    """One bar per week (week start, count, the URL of that week's list)."""
    slot = (RIGHT - LEFT) / max(len(weeks), 1)
    most = max((count for _, count, _ in weeks), default=0) or 1
    bars = []
    for index, (week, count, url) in enumerate(weeks):
        height = round(count / most * (BAR_BOTTOM - BAR_TOP), 1)
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(BAR_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
                count=count,
                label=date_format(week, "j M Y"),
                url=url,
            )
        )
    step = max(1, math.ceil(len(weeks) / MAX_X_TICKS))
    ticks = [
        Tick(bar.center, date_format(week, "j M"))
        for (week, _, _), bar in list(zip(weeks, bars, strict=True))[::step]
    ]
    return BarChart(bars=bars, x_ticks=ticks)
