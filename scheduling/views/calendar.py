"""The day and week calendars and today's arrivals list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from clinic.access import requires
from clinic.models import User
from clinic.page_cache import Drawn, cached_part, next_minute
from clinic.revisions import REFERENCE, WHOLE, revisions, utc_days
from scheduling.calendars import BY_CLINICIAN, BY_ROOM, CalendarPage, day_calendar, week_calendar
from scheduling.clock import day_bounds, local_today, week_bounds, week_start
from scheduling.models import AppointmentStatus
from scheduling.selectors import appointments_between, appointments_on, clinicians
from scheduling.services import transition_refusal
from scheduling.views.common import date_param, render_page_or_fragment


@requires("scheduling.view_appointment")
def day(request: HttpRequest) -> HttpResponse:
    shown = date_param(request.GET.get("date"))
    by = BY_ROOM if request.GET.get("by") == BY_ROOM else BY_CLINICIAN
    start, end = day_bounds(shown)

    def draw(extra: dict[str, Any]) -> Drawn:
        calendar = day_calendar(day=shown, by=by, now=timezone.now())
        return _calendar_body(request, calendar, caption=f"Appointments by {by}", extra=extra)

    context = {
        "day": shown,
        "by": by,
        "today": local_today(),
        "previous": shown - timedelta(days=1),
        "next": shown + timedelta(days=1),
        "calendar_body": _cached_calendar(request, "day", start=start, end=end, draw=draw),
    }
    return render_page_or_fragment(
        request,
        page="scheduling/day.html",
        fragment="scheduling/_day.html",
        target="calendar",
        context=context,
    )


@requires("scheduling.view_appointment")
def week(request: HttpRequest) -> HttpResponse:
    monday = week_start(date_param(request.GET.get("date")))
    people = list(clinicians())
    chosen = _chosen_clinician(request, people)
    start, end = week_bounds(monday)

    def draw(extra: dict[str, Any]) -> Drawn:
        calendar = week_calendar(clinician=chosen, monday=monday, now=timezone.now())
        caption = "Appointments of the week by day"
        return _calendar_body(request, calendar, caption=caption, extra=extra)

    context = {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "today": local_today(),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "clinicians": people,
        "clinician": chosen,
        "calendar_body": _cached_calendar(
            request, "week", start=start, end=end, draw=draw, clinician=chosen
        )
        if chosen
        else None,
    }
    return render_page_or_fragment(
        request,
        page="scheduling/week.html",
        fragment="scheduling/_week.html",
        target="calendar",
        context=context,
    )


def _cached_calendar(
    request: HttpRequest,
    name: str,
    *,
    start: datetime,
    end: datetime,
    draw: Callable[[dict[str, Any]], Drawn],
    clinician: User | None = None,
) -> SafeString:
    """A calendar's grid, kept under the revisions of its UTC days, of the
    reference data (names, rooms, hours, time off) and of its patients."""
    depends_on = revisions(
        [*utc_days(start, end), (REFERENCE, WHOLE)],
        patients_of=appointments_between(start=start, end=end, clinician=clinician),
    )
    return cached_part(request, name=f"calendar-{name}", depends_on=depends_on, draw=draw)


def _calendar_body(
    request: HttpRequest, calendar: CalendarPage, *, caption: str, extra: dict[str, Any]
) -> Drawn:
    """Check-in buttons and the "now" line follow the clock: drawn again each minute."""
    context = {"calendar": calendar, "caption": caption, "highlight": _highlight(request), **extra}
    html = render_to_string("scheduling/_calendar_body.html", context, request)
    return Drawn(html, valid_until=next_minute())


def _chosen_clinician(request: HttpRequest, people: list[User]) -> User | None:
    """?clinician=<id>, else the signed-in clinician, else the first one."""
    wanted = request.GET.get("clinician", "")
    by_id = {str(person.pk): person for person in people}
    if wanted in by_id:
        return by_id[wanted]
    if str(request.user.pk) in by_id:
        return by_id[str(request.user.pk)]
    return people[0] if people else None


def _highlight(request: HttpRequest) -> int | None:
    value = request.GET.get("highlight", "")
    return int(value) if value.isdigit() else None


@requires("scheduling.view_appointment")
def today(request: HttpRequest) -> HttpResponse:
    return render_page_or_fragment(
        request,
        page="scheduling/today.html",
        fragment="scheduling/_today_list.html",
        target="today-list",
        context=_today_context(),
    )


@requires("scheduling.view_appointment")
def today_panel(request: HttpRequest) -> HttpResponse:
    """Today's arrivals, compact, for the front desk's home page."""
    return render(request, "scheduling/_today_panel.html", _today_context())


def _today_context() -> dict[str, Any]:
    now = timezone.now()
    appointments = list(appointments_on(local_today()))
    counts = dict.fromkeys(AppointmentStatus.values, 0)
    for appointment in appointments:
        counts[appointment.status] += 1
    return {
        "day": local_today(),
        "appointments": appointments,
        "counts": counts,
        "check_in_ids": {
            a.pk
            for a in appointments
            if not transition_refusal(a, to_status=AppointmentStatus.ARRIVED, at=now)
        },
        "no_show_ids": {
            a.pk
            for a in appointments
            if not transition_refusal(a, to_status=AppointmentStatus.NO_SHOW, at=now)
        },
    }
