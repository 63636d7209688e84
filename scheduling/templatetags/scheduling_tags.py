"""Times in the clinic's zone and names as scheduling shows them."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from clinic.models import User
from scheduling import display
from scheduling.clock import LOCAL_INPUT_FORMAT, to_local
from scheduling.grid import Grid
from scheduling.grid_html import CheckInForm, grid_rows_html
from scheduling.models import Appointment

register = template.Library()


@register.filter
def clock(moment: datetime | None) -> str:
    return display.clock(moment) if moment else ""


@register.filter
def status_badge(status: str) -> str:
    return display.status_badge(status)


@register.filter
def time_range(appointment: Appointment) -> str:
    return display.clock_range(appointment.starts_at, appointment.ends_at)


@register.filter
def duration(appointment: Appointment) -> str:
    return display.duration_label(appointment.starts_at, appointment.ends_at)


@register.filter
def day_label(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return display.day_label(moment)
    return display.date_label(moment)


@register.filter
def clinician_label(clinician: User | None) -> str:
    return display.clinician_label(clinician) if clinician else ""


@register.filter
def local_input(moment: datetime | None) -> str:
    """The value of a datetime-local input, in the clinic's zone."""
    return f"{to_local(moment):{LOCAL_INPUT_FORMAT}}" if moment else ""


@register.filter
def iso_date(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = to_local(day).date()
    return day.isoformat()


@register.simple_tag(takes_context=True)
def calendar_rows(context: Context, grid: Grid, highlight: int | None) -> SafeString:
    """The grid's rows, drawn in Python (scheduling.grid_html)."""
    request = context["request"]
    check_in = None
    if request.user.has_perm("scheduling.check_in_appointment"):
        # The context's token: a placeholder when the rows go to the page cache.
        check_in = CheckInForm(
            csrf_token=str(context["csrf_token"]), next_url=request.get_full_path()
        )
    return grid_rows_html(grid, highlight=highlight, check_in=check_in)
