"""One appointment: its page, moving it, and the steps of its life."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.access import requires
from patients.models import Patient
from scheduling.display import clinician_label, clock_range, day_label
from scheduling.errors import IllegalTransition, SlotTaken
from scheduling.forms import CancelForm, MoveForm, default_end
from scheduling.models import Appointment, AppointmentStatus
from scheduling.selectors import appointment_for_page, patient_appointments
from scheduling.services import (
    appointment_cancel,
    appointment_check_in,
    appointment_mark_no_show,
    appointment_move,
    transition_refusal,
)
from scheduling.views.common import (
    APPOINTMENT_CHANGED,
    FORM_TARGET,
    day_url,
    redirect_to,
    render_page_or_fragment,
)


@requires("scheduling.view_appointment")
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    return _appointment_page(request, _appointment_or_404(pk), CancelForm())


def _appointment_or_404(pk: int) -> Appointment:
    try:
        return appointment_for_page(pk)
    except Appointment.DoesNotExist:
        return get_object_or_404(Appointment, pk=pk)


def _appointment_page(
    request: HttpRequest, shown: Appointment, cancel_form: CancelForm, *, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    allowed = {
        step
        for step in (
            AppointmentStatus.ARRIVED,
            AppointmentStatus.NO_SHOW,
            AppointmentStatus.CANCELLED,
        )
        if not transition_refusal(shown, to_status=step, at=now)
    }
    context = {
        "appointment": shown,
        "cancel_form": cancel_form,
        "can_check_in": AppointmentStatus.ARRIVED in allowed,
        "can_no_show": AppointmentStatus.NO_SHOW in allowed,
        "can_cancel": AppointmentStatus.CANCELLED in allowed,
        "can_move": shown.status == AppointmentStatus.BOOKED,
    }
    return render(request, "scheduling/appointment.html", context, status=status)


@requires("scheduling.change_appointment")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    moving = _appointment_or_404(pk)
    if request.method != "POST":
        return _move_page(request, moving, MoveForm(initial=_move_initial(request, moving)))
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _move_page(request, moving, form, status=422)
    try:
        moved = appointment_move(appointment=moving, moved_by=request.user, **form.move())
    except ValidationError as error:
        form.add_error(None, error)
        return _move_page(request, moving, form, status=422)
    except (SlotTaken, IllegalTransition) as refusal:
        form.add_error(getattr(refusal, "field", None), refusal.message)
        return _move_page(request, moving, form, status=409)
    messages.success(
        request,
        f"Moved {moved.patient.display_name}'s appointment to {day_label(moved.starts_at)} "
        f"{clock_range(moved.starts_at, moved.ends_at)} with {clinician_label(moved.clinician)}, "
        f"{moved.room.name}.",
    )
    return redirect_to(request, day_url(moved))


def _move_initial(request: HttpRequest, moving: Appointment) -> dict:
    """The appointment's placement, or the free slot that was clicked."""
    initial = {
        "clinician": request.GET.get("clinician") or moving.clinician_id,
        "room": request.GET.get("room") or moving.room_id,
        "starts_at": moving.starts_at,
        "ends_at": moving.ends_at,
    }
    clicked = MoveForm(data={**initial, "starts_at": request.GET.get("starts_at", "")})
    if clicked.is_valid():
        initial["starts_at"] = clicked.cleaned_data["starts_at"]
        initial["ends_at"] = default_end(
            initial["starts_at"], moving.appointment_type, minutes=_minutes(moving)
        )
    return initial


def _minutes(appointment: Appointment) -> int:
    return int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)


def _move_page(
    request: HttpRequest, moving: Appointment, form: MoveForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "appointment": moving,
        "form": form,
        "form_url": reverse("scheduling:move", args=[moving.pk]),
        "minutes": _minutes(moving),
    }
    return render_page_or_fragment(
        request,
        page="scheduling/move.html",
        fragment="scheduling/_move_form.html",
        target=FORM_TARGET,
        context=context,
        status=status,
    )


@requires("scheduling.check_in_appointment")
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    arriving = get_object_or_404(Appointment.objects.select_related("patient"), pk=pk)
    return _step(
        request,
        arriving,
        lambda: appointment_check_in(appointment=arriving, by=request.user),
        done=f"Checked in {arriving.patient.display_name}.",
    )


@requires("scheduling.change_appointment")
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    missed = get_object_or_404(Appointment.objects.select_related("patient"), pk=pk)
    return _step(
        request,
        missed,
        lambda: appointment_mark_no_show(appointment=missed, by=request.user),
        done=f"Recorded {missed.patient.display_name} as a no-show.",
    )


@requires("scheduling.change_appointment")
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    cancelling = _appointment_or_404(pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _appointment_page(request, cancelling, form, status=422)
    return _step(
        request,
        cancelling,
        lambda: appointment_cancel(
            appointment=cancelling, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=f"Cancelled {cancelling.patient.display_name}'s appointment.",
    )


def _step(
    request: HttpRequest, shown: Appointment, action: Callable[[], Appointment], *, done: str
) -> HttpResponse:
    """Run one step; htmx gets an alert (409 when refused) and the calendar is told to reload."""
    try:
        action()
    except IllegalTransition as refusal:
        if request.htmx:  # type: ignore[attr-defined]
            context = {"message": refusal.message, "level": "danger"}
            return render(request, "scheduling/_alert.html", context, status=409)
        messages.error(request, refusal.message)
    else:
        if request.htmx:  # type: ignore[attr-defined]
            response = render(
                request, "scheduling/_alert.html", {"message": done, "level": "success"}
            )
            response["HX-Trigger"] = APPOINTMENT_CHANGED
            return response
        messages.success(request, done)
    return redirect_to(request, _back(request, shown))


def _back(request: HttpRequest, shown: Appointment) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("scheduling:appointment", args=[shown.pk])


@requires("scheduling.view_appointment")
def patient_appointment_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The chart's appointment section on its own, for the chart to include or load."""
    patient = get_object_or_404(Patient, pk=patient_id)
    return render(
        request,
        "scheduling/_chart_appointments.html",
        {"appointments": patient_appointments(patient=patient)},
    )
