"""Helpers the scheduling views share."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from scheduling.clock import local_today, to_local
from scheduling.models import Appointment

# A calendar or list listens for this event (sent in HX-Trigger) and reloads itself.
APPOINTMENT_CHANGED = "appointment-changed"
# The id of the booking and move forms, which htmx swaps in place.
FORM_TARGET = "appointment-form"


def date_param(value: str | None) -> date:
    """The ?date=YYYY-MM-DD of a calendar page; today when missing or malformed."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return local_today()


def wants_fragment(request: HttpRequest, target: str) -> bool:
    """An htmx request aimed at `target` gets only that part of the page.

    History restores (back button with htmx's cache off) ask for the whole page.
    """
    htmx = request.htmx  # type: ignore[attr-defined]
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def render_page_or_fragment(
    request: HttpRequest,
    *,
    page: str,
    fragment: str,
    target: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    template = fragment if wants_fragment(request, target) else page
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def day_url(appointment: Appointment) -> str:
    """The day view of the appointment's date, with the appointment highlighted."""
    query = urlencode(
        {"date": to_local(appointment.starts_at).date().isoformat(), "highlight": appointment.pk}
    )
    return f"{reverse('scheduling:day')}?{query}"


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful POST: htmx is told to navigate, a plain form gets a 303."""
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return HttpResponseSeeOther(url)


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303
