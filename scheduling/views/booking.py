"""Booking: the form, its patient picker, its end time and the free-slot finder."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clinic.access import requires
from patients.models import Patient
from patients.selectors import patient_search
from scheduling.clock import LOCAL_INPUT_FORMAT, day_bounds, to_local
from scheduling.display import clinician_label, clock_range, day_label
from scheduling.errors import SlotTaken
from scheduling.forms import BookingForm, SlotSearchForm, default_end
from scheduling.models import Appointment
from scheduling.services import appointment_book
from scheduling.slots import FreeSlot, free_slots
from scheduling.views.common import FORM_TARGET, day_url, redirect_to, render_page_or_fragment

PATIENT_RESULTS = 10
# What a clicked free slot carries over from the booking form.
CARRIED = ("patient", "appointment_type", "booking_key", "note")


@requires("scheduling.add_appointment")
def book(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _booking_page(request, BookingForm(initial=_initial(request.GET)))
    form = BookingForm(request.POST)
    if not form.is_valid():
        return _booking_page(request, form, status=422)
    try:
        appointment = appointment_book(**form.booking(), booked_by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _booking_page(request, form, status=422)
    except SlotTaken as taken:
        form.add_error(taken.field, taken.message)
        return _booking_page(request, form, status=409)
    messages.success(request, _booked_message(appointment))
    return redirect_to(request, day_url(appointment))


def _booking_page(request: HttpRequest, form: BookingForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "patient": _picked_patient(form),
        "form_url": reverse("scheduling:book"),
    }
    return render_page_or_fragment(
        request,
        page="scheduling/book.html",
        fragment="scheduling/_booking_form.html",
        target=FORM_TARGET,
        context=context,
        status=status,
    )


def _initial(params: Any) -> dict[str, Any]:
    """Initial values from the query string (a clicked free slot, the chart's Book link)."""
    initial: dict[str, Any] = {
        name: params[name]
        for name in ("patient", "appointment_type", "clinician", "room", "starts_at", "note")
        if params.get(name)
    }
    initial["booking_key"] = _booking_key(params.get("booking_key", ""))
    parsed = BookingForm(data=params)
    parsed.is_valid()
    cleaned = getattr(parsed, "cleaned_data", {})
    end = default_end(cleaned.get("starts_at"), cleaned.get("appointment_type"))
    if end:
        initial["ends_at"] = end
    return initial


def _booking_key(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.uuid4()


def _picked_patient(form: BookingForm) -> Patient | None:
    value = str(form["patient"].value() or "")
    if not value.isdigit():
        return None
    return Patient.objects.filter(pk=value).first()


def _booked_message(appointment: Appointment) -> str:
    return (
        f"Booked {appointment.patient.display_name} with "
        f"{clinician_label(appointment.clinician)}, {day_label(appointment.starts_at)} "
        f"{clock_range(appointment.starts_at, appointment.ends_at)}, {appointment.room.name}."
    )


@requires("scheduling.add_appointment")
def booking_end(request: HttpRequest) -> HttpResponse:
    """The end field, refilled from the start and the type's length (or, when moving,
    the appointment's own length)."""
    parsed = BookingForm(data=request.GET)
    parsed.is_valid()
    cleaned = getattr(parsed, "cleaned_data", {})
    minutes = request.GET.get("minutes", "")
    end = default_end(
        cleaned.get("starts_at"),
        cleaned.get("appointment_type"),
        minutes=int(minutes) if minutes.isdigit() and 5 <= int(minutes) <= 480 else None,
    )
    form = BookingForm(initial={"ends_at": end} if end else {})
    return render(request, "scheduling/_ends_at_field.html", {"form": form})


@requires("scheduling.add_appointment")
@require_POST  # a read, but the typed name must stay out of URLs and server logs
def patient_options(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("patient_query", "")
    found = list(patient_search(query=query)[:PATIENT_RESULTS]) if query.strip() else []
    return render(request, "scheduling/_patient_options.html", {"patients": found, "query": query})


@requires("scheduling.add_appointment")
def patient_picker(request: HttpRequest) -> HttpResponse:
    """The picker with the chosen patient, or empty again to search for another."""
    value = request.GET.get("patient", "")
    picked = Patient.objects.filter(pk=value, archived_at=None).first() if value.isdigit() else None
    return render(request, "scheduling/_patient_picker.html", {"patient": picked})


@requires("scheduling.add_appointment")
def free_slots_list(request: HttpRequest) -> HttpResponse:
    search = SlotSearchForm(data=request.GET)
    if not search.is_valid():
        return render(request, "scheduling/_free_slots.html", {"search": search, "slots": []})
    data = search.cleaned_data
    from_date = data["from_date"]
    moving = data["appointment"]
    found = free_slots(
        appointment_type=data["appointment_type"],
        clinician=data["clinician"],
        room=data["room"],
        patient=data["patient"],
        after=day_bounds(from_date)[0] if from_date else None,
        moving=moving,
    )
    fill_url = reverse("scheduling:move", args=[moving]) if moving else reverse("scheduling:book")
    links = [(slot, f"{fill_url}?{_slot_query(slot, request.GET)}") for slot in found]
    context = {"search": search, "slots": links, "target": FORM_TARGET}
    return render(request, "scheduling/_free_slots.html", context)


def _slot_query(slot: FreeSlot, params: Any) -> str:
    carried = {name: params[name] for name in CARRIED if params.get(name)}
    return urlencode(
        {
            **carried,
            "starts_at": f"{to_local(slot.starts_at):{LOCAL_INPUT_FORMAT}}",
            "clinician": slot.clinician.pk,
            "room": slot.room.pk,
        }
    )
