"""The dashboard's figures per local day, stored so a year costs 365 rows.

Every figure on the dashboard but the overdue follow-ups is a sum over the
local days of its range. `days_figures` computes those sums for any set of
days with one grouped query per figure. `dashboard_days_refresh` (beat)
stores them for past days in `DashboardDay`; the triggers of migration
0003 note every change that can move a day in `DashboardChange`, and the
refresh recomputes the noted days. The dashboard reads stored days and
computes live, with the same queries, the days that are not stored or have
a change not folded in yet, today and the days ahead.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from followups.models import FollowUp, FollowUpKind, FollowUpStatus, SurveyResponse
from outcomes.models import DashboardChange, DashboardDay
from outcomes.selectors import MEANINGFUL_DROP
from procedures.models import AdverseEvent, Injection, SessionStatus, TreatmentSession, Vial
from scheduling.models import Appointment, AppointmentStatus

SURVEY_KINDS = (FollowUpKind.SURVEY_2W, FollowUpKind.SURVEY_6W)
# Days computed per statement when the refresh catches up on years of data.
REFRESH_CHUNK_DAYS = 92
ROLLUP_LOCK = 0x0DA5_B0A2  # pg advisory lock: one refresh at a time

DayFigures = dict  # JSON: counts as ints, units as decimal strings
Runs = list[tuple[dt.date, dt.date]]  # (first, last) local days, both included

SESSION_DAY = "session__started_at"
INJECTION_DAY = "trigger_point__session__started_at"
APPOINTMENT_DAY = "timespan__startswith"


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.CLINIC_TIME_ZONE))


def local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=ZoneInfo(settings.CLINIC_TIME_ZONE))


def day_runs(days: Iterable[dt.date]) -> Runs:
    """Sorted days as (first, last) runs of consecutive days."""
    ordinals = sorted({day.toordinal() for day in days})
    runs = []
    for _, run in itertools.groupby(enumerate(ordinals), key=lambda pair: pair[1] - pair[0]):
        run = [ordinal for _, ordinal in run]
        runs.append((dt.date.fromordinal(run[0]), dt.date.fromordinal(run[-1])))
    return runs


def _within(field: str, runs: Runs) -> Q:
    """`field` falls on one of the days; matches nothing when there are none."""
    matched = Q(pk__in=[])
    for first, last in runs:
        matched |= Q(
            **{
                f"{field}__gte": local_midnight(first),
                f"{field}__lt": local_midnight(last + dt.timedelta(days=1)),
            }
        )
    return matched


# Computing days ---------------------------------------------------------------


def days_figures(days: Iterable[dt.date]) -> dict[dt.date, DayFigures]:
    """Every day's figures, empty days included: seven queries however many days."""
    days = set(days)
    runs = day_runs(days)
    figures = {day: _empty() for day in days}
    for day, count in _sessions(runs):
        figures[day]["sessions"] = count
    for row in _units(runs):
        day, product_id = row.pop("day"), str(row.pop("product_id"))
        figures[day]["units"][product_id] = _json(row)
    for row in _vials(runs):
        day, product_id = row.pop("day"), str(row.pop("product_id"))
        figures[day]["vials"][product_id] = _json(row)
    for name, rows in (
        ("appointments", _appointments(runs)),
        ("followups", _followups(runs)),
        ("answers", _answers(runs)),
    ):
        for row in rows:
            day = row.pop("day")
            figures[day][name] = row
    for row in _adverse_events(runs):
        figures[row["day"]]["adverse_events"][row["kind"]] = row["count"]
    return figures


def _empty() -> DayFigures:
    return {
        "sessions": 0,
        "units": {},
        "vials": {},
        "appointments": {},
        "followups": {},
        "answers": {},
        "adverse_events": {},
    }


def _json(row: dict) -> dict:
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in row.items()}


def _per_day(queryset: QuerySet, field: str, *fields: str, **groups) -> QuerySet:
    return queryset.annotate(day=local_day(field)).values("day", *fields, **groups)


# What each figure counts, on given days. The dashboard's lists use them too.


def signed_sessions_on(runs: Runs) -> QuerySet:
    return TreatmentSession.objects.filter(_within("started_at", runs), status=SessionStatus.SIGNED)


def injections_on(runs: Runs) -> QuerySet:
    return Injection.objects.filter(
        _within(INJECTION_DAY, runs), trigger_point__session__status=SessionStatus.SIGNED
    )


def vials_on(runs: Runs) -> QuerySet:
    return Vial.objects.filter(_within("opened_at", runs))


def appointments_on(runs: Runs) -> QuerySet:
    """Appointments count once they have started."""
    return Appointment.objects.filter(
        _within(APPOINTMENT_DAY, runs), timespan__startswith__lt=timezone.now()
    )


def followups_on(runs: Runs) -> QuerySet:
    return FollowUp.objects.filter(_within("due_at", runs))


def survey_answers_on(runs: Runs) -> QuerySet:
    return SurveyResponse.objects.filter(
        _within(SESSION_DAY, runs), session__status=SessionStatus.SIGNED
    )


def adverse_events_on(runs: Runs) -> QuerySet:
    return AdverseEvent.objects.filter(_within(SESSION_DAY, runs))


def meaningful_q() -> Q:
    return Q(session__pain_before__isnull=False) & Q(
        pain_now__lte=F("session__pain_before") - MEANINGFUL_DROP
    )


# The figures per day.


def _sessions(runs: Runs) -> Iterator[tuple[dt.date, int]]:
    rows = _per_day(signed_sessions_on(runs), "started_at").annotate(count=Count("id"))
    return ((row["day"], row["count"]) for row in rows)


def _units(runs: Runs) -> QuerySet:
    return _per_day(
        injections_on(runs), INJECTION_DAY, product_id=F("vial__lot__product_id")
    ).annotate(units=Sum("units"), sessions=Count("trigger_point__session", distinct=True))


def _vials(runs: Runs) -> QuerySet:
    closed = Q(closed_at__isnull=False)
    return _per_day(vials_on(runs), "opened_at", product_id=F("lot__product_id")).annotate(
        opened=Count("id"),
        closed=Count("id", filter=closed),
        units_closed=Sum("units_total", filter=closed, default=Decimal(0)),
        waste=Sum("waste_units", default=Decimal(0)),
    )


def _appointments(runs: Runs) -> QuerySet:
    return _per_day(appointments_on(runs), APPOINTMENT_DAY).annotate(
        due=Count("id", filter=~Q(status=AppointmentStatus.CANCELLED)),
        no_show=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
    )


def _followups(runs: Runs) -> QuerySet:
    surveys = Q(kind__in=SURVEY_KINDS)
    return _per_day(followups_on(runs), "due_at").annotate(
        sent=Count("id", filter=Q(status=FollowUpStatus.SENT)),
        failed=Count("id", filter=Q(status=FollowUpStatus.FAILED)),
        surveys_sent=Count("id", filter=surveys & Q(status=FollowUpStatus.SENT)),
        surveys_answered=Count("response", filter=surveys),
    )


def _answers(runs: Runs) -> QuerySet:
    two_weeks = Q(followup__kind=FollowUpKind.SURVEY_2W)
    six_weeks = Q(followup__kind=FollowUpKind.SURVEY_6W)
    return _per_day(survey_answers_on(runs), SESSION_DAY).annotate(
        answered_2w=Count("id", filter=two_weeks),
        meaningful_2w=Count("id", filter=two_weeks & meaningful_q()),
        answered_6w=Count("id", filter=six_weeks),
        meaningful_6w=Count("id", filter=six_weeks & meaningful_q()),
    )


def _adverse_events(runs: Runs) -> QuerySet:
    return _per_day(adverse_events_on(runs), SESSION_DAY, "kind").annotate(count=Count("id"))


# Adding days up ---------------------------------------------------------------


def figures_total(days: Iterable[DayFigures]) -> DayFigures:
    """The sum of several days: counts stay ints, units become Decimals."""
    total = _empty()
    for figures in days:
        _add(total, figures)
    return total


def _add(total: dict, figures: dict) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        else:
            number = Decimal(value) if isinstance(value, str) else value
            total[key] = total.get(key, 0) + number


# Reading and storing days -------------------------------------------------------


def days_stored_and_current(first: dt.date, last: dt.date) -> dict[dt.date, DayFigures]:
    """Stored days of the range that no change has moved since: one query.

    The noted changes and the stored days are read in one statement, so in
    one snapshot: a refresh committing meanwhile (changes drained, days
    replaced) is seen whole or not at all, never a replaced day taken for
    current."""
    start, end = local_midnight(first), local_midnight(last + dt.timedelta(days=1))
    moved = (
        DashboardChange.objects.filter(at__gte=start, at__lt=end)
        .annotate(day=local_day("at"))
        .values("day")
    )
    stored = DashboardDay.objects.filter(day__gte=first, day__lte=last).exclude(day__in=moved)
    return dict(stored.values_list("day", "figures"))


def dashboard_days_refresh(*, today: dt.date | None = None) -> int:
    """Fold noted changes into the stored days and store every past day not
    stored yet, from the first day with any activity. One refresh at a time.
    Returns the number of days computed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
        moved = _changes_drain()
        due = moved | _days_never_stored(before=today)
        due = sorted(day for day in due if day < today)
        for start in range(0, len(due), REFRESH_CHUNK_DAYS):
            _days_store(days_figures(due[start : start + REFRESH_CHUNK_DAYS]))
    return len(due)


def _changes_drain() -> set[dt.date]:
    """Deletes every noted change visible now and returns their local days."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH drained AS (DELETE FROM outcomes_dashboardchange RETURNING at) "
            "SELECT DISTINCT (at AT TIME ZONE %s)::date FROM drained",
            [settings.CLINIC_TIME_ZONE],
        )
        return {day for (day,) in cursor.fetchall()}


def _days_never_stored(*, before: dt.date) -> set[dt.date]:
    first = _first_active_day()
    if first is None or first >= before:
        return set()
    stored = set(DashboardDay.objects.filter(day__gte=first).values_list("day", flat=True))
    wanted = (first + dt.timedelta(days=n) for n in range((before - first).days))
    return {day for day in wanted if day not in stored}


def _first_active_day() -> dt.date | None:
    firsts = [
        TreatmentSession.objects.aggregate(first=Min("started_at"))["first"],
        Vial.objects.aggregate(first=Min("opened_at"))["first"],
        Appointment.objects.aggregate(first=Min("timespan__startswith"))["first"],
        FollowUp.objects.aggregate(first=Min("due_at"))["first"],
    ]
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    known = [first.astimezone(zone).date() for first in firsts if first is not None]
    return min(known, default=None)


def _days_store(figures: dict[dt.date, DayFigures]) -> None:
    DashboardDay.objects.bulk_create(
        [DashboardDay(day=day, figures=day_figures) for day, day_figures in figures.items()],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["figures", "computed_at"],
    )
