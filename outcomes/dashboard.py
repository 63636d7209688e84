"""Clinic-wide figures for a date range, each computed by one aggregate query.

A range is two local calendar days, both included. Sessions, injections,
survey answers and adverse events belong to the range by the session's
start; vials by their opening; appointments by their start; follow-ups by
their due time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from followups.models import FollowUp, FollowUpKind, FollowUpStatus, SurveyResponse
from outcomes.selectors import MEANINGFUL_DROP
from procedures.models import AdverseEvent, Injection, SessionStatus, TreatmentSession, Vial
from scheduling.models import Appointment, AppointmentStatus

SURVEY_KINDS = (FollowUpKind.SURVEY_2W, FollowUpKind.SURVEY_6W)
# A pending follow-up this long past due means the courier is not delivering.
OVERDUE_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DateRange:
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """Midnight after the last day (exclusive)."""
        return local_midnight(self.last + dt.timedelta(days=1))

    def as_query(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def local_midnight(day: dt.date) -> dt.datetime:
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def date_range_default(*, today: dt.date | None = None) -> DateRange:
    """The last twelve weeks, today included."""
    last = today or timezone.localdate()
    return DateRange(first=last - dt.timedelta(weeks=12) + dt.timedelta(days=1), last=last)


def signed_sessions_in(period: DateRange):
    return TreatmentSession.objects.filter(
        status=SessionStatus.SIGNED, started_at__gte=period.start, started_at__lt=period.end
    )


def injections_in(period: DateRange):
    return Injection.objects.filter(
        trigger_point__session__status=SessionStatus.SIGNED,
        trigger_point__session__started_at__gte=period.start,
        trigger_point__session__started_at__lt=period.end,
    )


def vials_in(period: DateRange):
    return Vial.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end)


def appointments_in(period: DateRange):
    """Appointments that started in the range and are already past."""
    return Appointment.objects.filter(
        timespan__startswith__gte=period.start,
        timespan__startswith__lt=min(period.end, timezone.now()),
    )


def followups_in(period: DateRange):
    return FollowUp.objects.filter(due_at__gte=period.start, due_at__lt=period.end)


def overdue_q() -> Q:
    return Q(
        status__in=(FollowUpStatus.PENDING, FollowUpStatus.SENDING),
        due_at__lt=timezone.now() - OVERDUE_AFTER,
    )


def survey_answers_in(period: DateRange):
    return SurveyResponse.objects.filter(
        session__status=SessionStatus.SIGNED,
        session__started_at__gte=period.start,
        session__started_at__lt=period.end,
    )


def meaningful_q() -> Q:
    return Q(session__pain_before__isnull=False) & Q(
        pain_now__lte=F("session__pain_before") - MEANINGFUL_DROP
    )


def adverse_events_in(period: DateRange):
    return AdverseEvent.objects.filter(
        session__started_at__gte=period.start, session__started_at__lt=period.end
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
    """Every figure on the dashboard: eight queries whatever the data size."""
    answers = survey_answers_in(period).aggregate(
        answered_2w=Count("id", filter=Q(followup__kind=FollowUpKind.SURVEY_2W)),
        meaningful_2w=Count("id", filter=Q(followup__kind=FollowUpKind.SURVEY_2W) & meaningful_q()),
        answered_6w=Count("id", filter=Q(followup__kind=FollowUpKind.SURVEY_6W)),
        meaningful_6w=Count("id", filter=Q(followup__kind=FollowUpKind.SURVEY_6W) & meaningful_q()),
    )
    followups = _followup_counts(period)
    return Figures(
        period=period,
        sessions_per_week=_sessions_per_week(period),
        units_per_product=_units_per_product(period),
        vials_per_product=_vials_per_product(period),
        appointments=appointments_in(period).aggregate(
            due=Count("id", filter=~Q(status=AppointmentStatus.CANCELLED)),
            no_show=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
        ),
        followups=followups,
        survey_response=Share(followups["surveys_answered"], followups["surveys_sent"]),
        meaningful_2w=Share(answers["meaningful_2w"], answers["answered_2w"]),
        meaningful_6w=Share(answers["meaningful_6w"], answers["answered_6w"]),
        adverse_events=list(
            adverse_events_in(period).values("kind").annotate(count=Count("id")).order_by("-count")
        ),
    )


def _sessions_per_week(period: DateRange) -> list[tuple[dt.date, int]]:
    """Every week of the range, zero where nothing happened."""
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    counted = {
        row["week"].date(): row["count"]
        for row in signed_sessions_in(period)
        .annotate(week=TruncWeek("started_at", tzinfo=zone))
        .values("week")
        .annotate(count=Count("id"))
    }
    week = period.first - dt.timedelta(days=period.first.weekday())
    weeks = []
    while week <= period.last:
        weeks.append((week, counted.get(week, 0)))
        week += dt.timedelta(weeks=1)
    return weeks


_PRODUCT = {
    "product_id": F("vial__lot__product_id"),
    "product": F("vial__lot__product__brand_name"),
    "unit_label": F("vial__lot__product__unit_label"),
}


def _units_per_product(period: DateRange) -> list[dict]:
    return list(
        injections_in(period)
        .values(**_PRODUCT)
        .annotate(
            units=Sum("units"),
            sessions=Count("trigger_point__session", distinct=True),
        )
        .order_by("product")
    )


def _vials_per_product(period: DateRange) -> list[dict]:
    rows = list(
        vials_in(period)
        .values(
            product_id=F("lot__product_id"),
            product=F("lot__product__brand_name"),
            unit_label=F("lot__product__unit_label"),
        )
        .annotate(
            opened=Count("id"),
            closed=Count("id", filter=Q(closed_at__isnull=False)),
            units_closed=Sum("units_total", filter=Q(closed_at__isnull=False)),
            waste=Sum("waste_units"),
        )
        .order_by("product")
    )
    for row in rows:
        row["waste"] = row["waste"] or Decimal(0)
        row["waste_share"] = Share(row["waste"], row["units_closed"] or Decimal(0))
    return rows


def _followup_counts(period: DateRange) -> dict:
    surveys = Q(kind__in=SURVEY_KINDS)
    return followups_in(period).aggregate(
        sent=Count("id", filter=Q(status=FollowUpStatus.SENT)),
        failed=Count("id", filter=Q(status=FollowUpStatus.FAILED)),
        overdue=Count("id", filter=overdue_q()),
        surveys_sent=Count("id", filter=surveys & Q(status=FollowUpStatus.SENT)),
        surveys_answered=Count("response", filter=surveys),
    )
