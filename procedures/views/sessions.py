"""Session pages: the work list, starting a session, the editor or the
signed record, signing, amendments, print, and the patient's history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clinic.access import requires
from clinic.audit import Action, access_log_write
from clinic.page_cache import Drawn, cached_part
from followups.selectors import survey_responses_for_session
from patients.models import Patient
from procedures.errors import ProcedureError
from procedures.forms import AmendmentForm, ReactionForm, SessionDetailsForm, SignForm
from procedures.models import Muscle, TreatmentSession
from procedures.presenters import (
    VIEW_BOXES,
    marker_radius,
    point_label,
    point_map_position,
    session_header,
    session_state,
)
from procedures.selectors import (
    chart_history_context,
    draft_sessions,
    injection_appointments_waiting,
    openable_lots,
    recently_signed,
    session_amendments,
    session_for_page,
    session_points,
    session_reactions,
    session_summary,
)
from procedures.services.sessions import session_start_from_appointment, session_start_walk_in
from procedures.services.signing import amendment_add, session_sign
from procedures.views.stock import vial_open_form
from scheduling.models import Appointment

VIEW = "procedures.view_treatmentsession"


@requires(VIEW)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    context = {
        "waiting": injection_appointments_waiting(on=timezone.localdate()),
        "drafts": draft_sessions(),
        "signed": recently_signed(),
    }
    return render(request, "procedures/worklist.html", context)


@requires("procedures.add_treatmentsession")
@require_POST
def session_start(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "appointment_type"), pk=appointment_id
    )
    try:
        session = session_start_from_appointment(appointment=appointment, user=request.user)
    except ProcedureError as error:
        messages.error(request, error.message)
        return redirect("procedures:worklist")
    return redirect("procedures:session", pk=session.pk)


@requires("procedures.add_treatmentsession")
@require_POST
def session_walk_in(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    try:
        session = session_start_walk_in(patient=patient, user=request.user)
    except ProcedureError as error:
        messages.error(request, error.message)
        return redirect("procedures:patient_history", patient_id=patient.pk)
    return redirect("procedures:session", pk=session.pk)


def _may_edit(request: HttpRequest, session: TreatmentSession) -> bool:
    return (
        not session.is_signed
        and session.clinician_id == request.user.pk
        and request.user.has_perm("procedures.change_treatmentsession")
    )


def _map_points(points: list) -> list[dict[str, Any]]:
    """Points placed for the server-drawn (printable) map."""
    placed = []
    for point in points:
        x, y = point_map_position(point)
        units = sum(injection.units for injection in point.injections.all())
        placed.append(
            {"point": point, "x": x, "y": y, "r": marker_radius(units), "view": point.view}
        )
    return placed


def _record_context(session: TreatmentSession) -> dict[str, Any]:
    points = session_points(session=session)
    reactions = session_reactions(session=session)
    state = session_state(
        session, points, reactions=reactions, warnings=[] if session.is_signed else None
    )
    return {
        "session": session,
        "header": session_header(session),
        "points": points,
        "map_points": _map_points(points),
        "state": state,
        "record_views": [(view, " ".join(map(str, box))) for view, box in VIEW_BOXES.items()],
        "amendments": session_amendments(session=session),
        "reactions": reactions,
        # Lazy: read only where the page shows it, to users who may see it.
        "survey_responses": survey_responses_for_session(session_id=session.pk),
    }


def _editor_context(request: HttpRequest, session: TreatmentSession) -> dict[str, Any]:
    context = _record_context(session)
    last = context["header"].last_session
    ghosts = session_points(session=last) if last else []
    context.update(
        {
            "details_form": SessionDetailsForm(instance=session),
            "reaction_form": ReactionForm(),
            "vial_form": vial_open_form(product=session.product),
            "openable_lots": openable_lots(product=session.product, on=timezone.localdate()),
            "muscles": Muscle.objects.order_by("name"),
            "ghosts": [
                {
                    "id": f"g{point.pk}",
                    "number": point.number,
                    "view": point.view,
                    "x": float(point.x),
                    "y": float(point.y),
                    "label": point_label(point),
                }
                for point in ghosts
            ],
            "last_session": last,
        }
    )
    return context


def _render_session(
    request: HttpRequest,
    session: TreatmentSession,
    *,
    sign_form: SignForm | None = None,
    amendment_form: AmendmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if _may_edit(request, session):
        context = _editor_context(request, session)
        context["sign_form"] = sign_form or SignForm()
        return render(request, "procedures/session_editor.html", context, status=status)
    context = _record_context(session)
    context["amendment_form"] = amendment_form or AmendmentForm()
    return render(request, "procedures/session_record.html", context, status=status)


@requires(VIEW)
@require_GET
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk, summary=True)
    access_log_write(request=request, action=Action.VIEWED, target=session)
    if not session.is_signed:
        return _render_session(request, _get_session(pk))
    # A signed session never changes; what is drawn around it (amendments,
    # answers, the patient) moves the patient's revision, read with it.
    depends_on = [session.patient_revision, session.reference_revision]
    content = cached_part(
        request,
        name="signed-session",
        depends_on=depends_on,
        draw=lambda extra: _signed_record_content(request, pk, extra),
    )
    context = {"session": session, "record_content": content}
    return render(request, "procedures/session_record.html", context)


def _signed_record_content(request: HttpRequest, pk: int, extra: dict[str, Any]) -> Drawn:
    """Read after the revisions, so that what is kept is never older than them."""
    context = {**_record_context(_get_session(pk)), "amendment_form": AmendmentForm(), **extra}
    return Drawn(render_to_string("procedures/_record_content.html", context, request))


def _get_session(pk: int, *, summary: bool = False) -> TreatmentSession:
    """The session with all the page shows, or (`summary`) its status, patient and title."""
    try:
        return session_summary(pk=pk) if summary else session_for_page(pk=pk)
    except TreatmentSession.DoesNotExist as error:
        raise Http404("No such session.") from error


@requires(VIEW)
@require_GET
def session_print(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    access_log_write(request=request, action=Action.PRINTED, target=session)
    return render(request, "procedures/session_print.html", _record_context(session))


@requires("procedures.sign_treatmentsession")
@require_POST
def session_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            session_sign(
                session=session,
                user=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ProcedureError as error:
            if not _may_edit(request, session):
                messages.error(request, error.message)
                return redirect("procedures:session", pk=pk)
            form.add_error(
                "override_reason" if error.field == "override_reason" else None, error.message
            )
        else:
            messages.success(request, "Session signed. It can no longer be edited.")
            return redirect("procedures:session", pk=pk)
    return _render_session(request, _get_session(pk), sign_form=form, status=409)


@requires("procedures.add_amendment")
@require_POST
def amendment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            amendment_add(session=session, user=request.user, **form.cleaned_data)
        except ProcedureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Amendment added to the record.")
            return redirect("procedures:session", pk=pk)
    return _render_session(request, session, amendment_form=form, status=400)


@requires(VIEW)
@require_GET
def patient_history(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    access_log_write(request=request, action=Action.VIEWED, target=patient)
    context = {"patient": patient, "data": chart_history_context(patient=patient)}
    return render(request, "procedures/patient_history.html", context)
