"""Clinic-wide figures for a date range, added up from per-day figures
(outcomes/rollup.py: stored for past days, computed live for the others).

A range is two local calendar days, both included. Sessions, injections,
survey answers and adverse events belong to the range by the session's
start; vials by their opening; appointments by their start; follow-ups by
their due time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from followups.models import FollowUpStatus
from outcomes import rollup
from procedures.models import Product

# A pending follow-up this long past due means the courier is not delivering.
OVERDUE_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DateRange:
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return rollup.local_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """Midnight after the last day (exclusive)."""
        return rollup.local_midnight(self.last + dt.timedelta(days=1))

    @property
    def runs(self) -> rollup.Runs:
        return [(self.first, self.last)]

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def as_query(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def date_range_default(*, today: dt.date | None = None) -> DateRange:
    """The last twelve weeks, today included."""
    last = today or timezone.localdate()
    return DateRange(first=last - dt.timedelta(weeks=12) + dt.timedelta(days=1), last=last)


# What each figure counts, for the lists behind the figures.


def signed_sessions_in(period: DateRange):
    return rollup.signed_sessions_on(period.runs)


def injections_in(period: DateRange):
    return rollup.injections_on(period.runs)


def vials_in(period: DateRange):
    return rollup.vials_on(period.runs)


def appointments_in(period: DateRange):
    """Appointments that started in the range and are already past."""
    return rollup.appointments_on(period.runs)


def followups_in(period: DateRange):
    return rollup.followups_on(period.runs)


def survey_answers_in(period: DateRange):
    return rollup.survey_answers_on(period.runs)


def adverse_events_in(period: DateRange):
    return rollup.adverse_events_on(period.runs)


def overdue_q() -> Q:
    return Q(
        status__in=(FollowUpStatus.PENDING, FollowUpStatus.SENDING),
        due_at__lt=timezone.now() - OVERDUE_AFTER,
    )


# The figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    part: int | Decimal
    whole: int | Decimal

    @property
    def percent(self) -> int | None:
        return None if not self.whole else round(100 * self.part / self.whole)


@dataclass(frozen=True)
class Figures:
    period: DateRange
    sessions_per_week: list[tuple[dt.date, int]]
    units_per_product: list[dict]
    vials_per_product: list[dict]
    appointments: dict
    followups: dict
    survey_response: Share
    meaningful_2w: Share
    meaningful_6w: Share
    adverse_events: list[dict]

    @property
    def session_count(self) -> int:
        return sum(count for _, count in self.sessions_per_week)

    @property
    def no_show(self) -> Share:
        return Share(self.appointments["no_show"], self.appointments["due"])


def dashboard_figures(*, period: DateRange) -> Figures:
    """Every figure on the dashboard, from the stored days and, computed
    live, the others: at most eleven queries whatever the range and data."""
    stored = rollup.days_stored_and_current(period.first, min(period.last, _yesterday()))
    live = rollup.days_figures(day for day in period.days() if day not in stored)
    days = {**stored, **live}
    total = rollup.figures_total(days.values())
    products = _products()
    answers = total["answers"]
    followups = {
        "sent": 0,
        "failed": 0,
        "surveys_sent": 0,
        "surveys_answered": 0,
        **total["followups"],
        "overdue": followups_in(period).filter(overdue_q()).count(),
    }
    return Figures(
        period=period,
        sessions_per_week=_sessions_per_week(period, days),
        units_per_product=_per_product(total["units"], products),
        vials_per_product=_vials_per_product(total["vials"], products),
        appointments={"due": 0, "no_show": 0, **total["appointments"]},
        followups=followups,
        survey_response=Share(followups["surveys_answered"], followups["surveys_sent"]),
        meaningful_2w=Share(answers.get("meaningful_2w", 0), answers.get("answered_2w", 0)),
        meaningful_6w=Share(answers.get("meaningful_6w", 0), answers.get("answered_6w", 0)),
        adverse_events=[
            {"kind": kind, "count": count}
            for kind, count in sorted(total["adverse_events"].items(), key=_most_first)
        ],
    )


def _most_first(kind_count: tuple[str, int]) -> tuple[int, str]:
    kind, count = kind_count
    return (-count, kind)


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def _sessions_per_week(period: DateRange, days: dict) -> list[tuple[dt.date, int]]:
    """Every week of the range (weeks start on Monday), zero where nothing happened."""
    weeks: dict[dt.date, int] = {}
    for day in period.days():
        week = day - dt.timedelta(days=day.weekday())
        weeks[week] = weeks.get(week, 0) + days[day]["sessions"]
    return list(weeks.items())


def _products() -> dict[str, dict]:
    """The catalogue's products by id (as the roll-up's JSON keys them)."""
    return {
        str(product_id): {"product_id": product_id, "product": name, "unit_label": unit_label}
        for product_id, name, unit_label in Product.objects.values_list(
            "id", "brand_name", "unit_label"
        )
    }


def _per_product(counts: dict[str, dict], products: dict[str, dict]) -> list[dict]:
    rows = [{**products[product_id], **row} for product_id, row in counts.items()]
    return sorted(rows, key=lambda row: row["product"])


def _vials_per_product(counts: dict[str, dict], products: dict[str, dict]) -> list[dict]:
    rows = _per_product(counts, products)
    for row in rows:
        row["waste_share"] = Share(row["waste"], row["units_closed"])
    return rows
