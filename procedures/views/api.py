"""The JSON endpoints the session editor autosaves to.

Each takes a form-encoded POST, calls one service, and answers with the
session's whole state (presenters.session_state) so the page redraws from
the server's truth. Refusals: 400 with field errors for bad input, 409 with
the rule's message when the clinic's rules say no. Nothing is saved either way.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from clinic.access import requires
from procedures.errors import ProcedureError
from procedures.forms import MoveForm, PointForm, ReactionForm, session_details_form
from procedures.models import TreatmentSession
from procedures.presenters import session_state
from procedures.selectors import session_for_page, session_points, session_reactions
from procedures.services import points as point_services
from procedures.services import sessions as session_services

EDIT = "procedures.change_treatmentsession"
CHECK_FIELDS = "Check the highlighted fields."


def _session(pk: int) -> TreatmentSession:
    return get_object_or_404(TreatmentSession.objects.select_related("product", "patient"), pk=pk)


def state_response(pk: int) -> JsonResponse:
    session = session_for_page(pk=pk)
    state = session_state(
        session, session_points(session=session), reactions=session_reactions(session=session)
    )
    return JsonResponse(state)


def _form_errors(form) -> JsonResponse:
    errors = {
        name: [str(message) for message in messages] for name, messages in form.errors.items()
    }
    return JsonResponse({"error": CHECK_FIELDS, "errors": errors}, status=400)


def _refused(error: ProcedureError) -> JsonResponse:
    errors = {error.field: [error.message]} if error.field else {}
    return JsonResponse({"error": error.message, "errors": errors}, status=409)


def _apply(pk: int, write: Callable[[], object]) -> JsonResponse:
    try:
        write()
    except ProcedureError as error:
        return _refused(error)
    return state_response(pk)


@requires("procedures.view_treatmentsession")
@require_GET
def session_state_view(request: HttpRequest, pk: int) -> JsonResponse:
    get_object_or_404(TreatmentSession, pk=pk)
    return state_response(pk)


@requires(EDIT)
@require_POST
def details_save(request: HttpRequest, pk: int) -> JsonResponse:
    session = _session(pk)
    form = session_details_form(request.POST, session)
    if not form.is_valid():
        return _form_errors(form)
    changes = {name: form.cleaned_data[name] for name in form.fields}
    return _apply(
        pk,
        lambda: session_services.session_details_update(
            session=session, user=request.user, changes=changes
        ),
    )


@requires(EDIT)
@require_POST
def point_add(request: HttpRequest, pk: int) -> JsonResponse:
    session = _session(pk)
    form = PointForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    return _apply(
        pk,
        lambda: point_services.trigger_point_add(
            session=session,
            user=request.user,
            point=form.point_input(),
            injection=form.injection_input(),
        ),
    )


@requires(EDIT)
@require_POST
def point_update(request: HttpRequest, pk: int, point_id: int) -> JsonResponse:
    session = _session(pk)
    point = get_object_or_404(session.trigger_points, pk=point_id)
    form = PointForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    return _apply(
        pk,
        lambda: point_services.trigger_point_update(
            session=session,
            trigger_point=point,
            user=request.user,
            point=form.point_input(),
            injection=form.injection_input(),
        ),
    )


@requires(EDIT)
@require_POST
def point_move(request: HttpRequest, pk: int, point_id: int) -> JsonResponse:
    session = _session(pk)
    point = get_object_or_404(session.trigger_points, pk=point_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    return _apply(
        pk,
        lambda: point_services.trigger_point_move(
            session=session, trigger_point=point, user=request.user, **form.cleaned_data
        ),
    )


@requires(EDIT)
@require_POST
def point_remove(request: HttpRequest, pk: int, point_id: int) -> JsonResponse:
    session = _session(pk)
    point = get_object_or_404(session.trigger_points, pk=point_id)
    return _apply(
        pk,
        lambda: point_services.trigger_point_remove(
            session=session, trigger_point=point, user=request.user
        ),
    )


@requires(EDIT)
@require_POST
def points_copy_last(request: HttpRequest, pk: int) -> JsonResponse:
    session = _session(pk)
    return _apply(
        pk, lambda: point_services.trigger_points_copy_last(session=session, user=request.user)
    )


@requires(EDIT)
@require_POST
def reaction_add(request: HttpRequest, pk: int) -> JsonResponse:
    session = _session(pk)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _form_errors(form)
    return _apply(
        pk,
        lambda: session_services.adverse_event_record(
            session=session, user=request.user, **form.cleaned_data
        ),
    )


@requires(EDIT)
@require_POST
def reaction_remove(request: HttpRequest, pk: int, event_id: int) -> JsonResponse:
    session = _session(pk)
    event = get_object_or_404(session.adverse_events, pk=event_id)
    return _apply(
        pk,
        lambda: session_services.adverse_event_remove(
            session=session, event=event, user=request.user
        ),
    )
