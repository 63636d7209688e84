from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import requires
from clinic.audit import Action, AuditTarget, access_log_write
from clinic.page_cache import Drawn, cached_part
from clinic.revisions import PATIENT, REFERENCE, revision_of
from patients import services
from patients.chart import chart_changes_at, chart_for
from patients.forms import ConsentRecordForm, ConsentRevokeForm, PatientForm, PrecautionsForm
from patients.models import Consent, Patient
from patients.search import MAX_QUERY_LENGTH
from patients.selectors import patient_search_page, precautions_of

LAST_SEARCH = "patients:last_search"


def _get_patient(pk: int, *also: str) -> Patient:
    """The patient with who consented, archived and created them (and `also`)."""
    return get_object_or_404(_patients(*also), pk=pk)


def _patients(*also: str) -> QuerySet[Patient]:
    return Patient.objects.select_related("email_consent_by", "archived_by", "created_by", *also)


def _show_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@requires("patients.view_patient")
@require_http_methods(["GET", "POST"])
def patient_list(request: HttpRequest) -> HttpResponse:
    """Search terms travel in the POST body and the session, never in the URL,
    so patients' names and dates of birth stay out of access logs and browser
    history. The page shows the user's last search, also after "back"."""
    if request.method == "POST":
        request.session[LAST_SEARCH] = _search_from(request.POST)
        # That a search happened, never what was searched for.
        access_log_write(request=request, action=Action.SEARCHED, target=AuditTarget("patient"))
        if not request.htmx:
            return redirect("patients:list")
    search = request.session.get(LAST_SEARCH, {"q": "", "archived": False, "page": 1})
    page = patient_search_page(
        query=search["q"], include_archived=search["archived"], page=search["page"]
    )
    context = {"query": search["q"], "include_archived": search["archived"], "page": page}
    template = "patients/_results.html" if request.htmx else "patients/search.html"
    return render(request, template, context)


def _search_from(data: QueryDict) -> dict[str, Any]:
    page = data.get("page", "1")
    return {
        "q": data.get("q", "").strip()[:MAX_QUERY_LENGTH],
        "archived": data.get("archived") == "1",
        "page": int(page) if page.isdigit() else 1,
    }


@requires("patients.add_patient")
def patient_register(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_register(
                details=form.details(),
                registered_by=request.user,
                confirmed_duplicate_ids=form.confirmed_duplicate_ids(),
            )
        except services.PossibleDuplicate as warning:
            duplicates = _ask_to_confirm(form, warning)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}.")
            return redirect("patients:chart", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "duplicates": duplicates})


def _ask_to_confirm(form: PatientForm, warning: services.PossibleDuplicate) -> list[Patient]:
    """Show the likely matches; submitting again confirms exactly these."""
    data = form.data.copy()
    data["confirmed_duplicates"] = ",".join(str(match.pk) for match in warning.matches)
    form.data = data
    return warning.matches


@requires("patients.view_patient")
def patient_chart(request: HttpRequest, pk: int) -> HttpResponse:
    # The revisions are read with the patient, before the chart's other data:
    # a write in between only makes the chart drawn again.
    patient = get_object_or_404(
        _patients("precautions__reviewed_by").annotate(  # the chart reads them: no query
            revision=revision_of(PATIENT, "patients_patient.id"),
            reference_revision=revision_of(REFERENCE),
        ),
        pk=pk,
    )
    access_log_write(request=request, action=Action.VIEWED, target=patient)
    content = cached_part(
        request,
        name="chart",
        depends_on=[patient.revision, patient.reference_revision],
        draw=lambda extra: _chart_content(request, patient, extra),
    )
    return render(request, "patients/chart.html", {"patient": patient, "chart_content": content})


def _chart_content(request: HttpRequest, patient: Patient, extra: dict[str, Any]) -> Drawn:
    chart = chart_for(patient=patient, user=request.user)
    context = {"chart": chart, "patient": patient, **extra}
    html = render_to_string("patients/chart/_content.html", context, request)
    return Drawn(html, valid_until=chart_changes_at(chart))


@requires("patients.change_patient")
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _get_patient(pk)
    form = PatientForm(request.POST or None, initial=PatientForm.initial_for(patient))
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(
                patient=patient,
                details=form.details(),
                updated_by=request.user,
                confirmed_duplicate_ids=form.confirmed_duplicate_ids(),
            )
        except services.PossibleDuplicate as warning:
            duplicates = _ask_to_confirm(form, warning)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Patient details saved.")
            return redirect("patients:chart", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "patient": patient, "duplicates": duplicates},
    )


@requires("patients.archive_patient")
def patient_archive(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _get_patient(pk)
    refusal = ""
    if request.method == "POST":
        try:
            services.patient_archive(patient=patient, archived_by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"{patient.display_name} is archived.")
            return redirect("patients:chart", pk=patient.pk)
    return render(
        request, "patients/archive_confirm.html", {"patient": patient, "refusal": refusal}
    )


@requires("patients.archive_patient")
@require_POST
def patient_restore(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _get_patient(pk)
    try:
        services.patient_restore(patient=patient, restored_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{patient.display_name} is restored.")
    return redirect("patients:chart", pk=patient.pk)


@requires("patients.change_precautions")
def precautions_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _get_patient(pk)
    precautions = precautions_of(patient=patient)
    form = PrecautionsForm(request.POST or None, initial=PrecautionsForm.initial_for(precautions))
    if request.method == "POST" and form.is_valid():
        try:
            services.precautions_record(
                patient=patient, answers=form.answers(), reviewed_by=request.user
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Precautions reviewed and saved.")
            return redirect("patients:chart", pk=patient.pk)
    return render(
        request,
        "patients/precautions_form.html",
        {"form": form, "patient": patient, "precautions": precautions},
    )


@requires("patients.add_consent")
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    patient = _get_patient(pk)
    form = ConsentRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(patient=patient, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("patients:chart", pk=patient.pk)
    return render(request, "patients/consent_form.html", {"form": form, "patient": patient})


@requires("patients.change_consent")
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("patient", "form"), pk=pk)
    form = ConsentRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revoke(
                consent=consent, reason=form.cleaned_data["reason"], revoked_by=request.user
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, "Consent revoked.")
            return redirect("patients:chart", pk=consent.patient_id)
    return render(
        request,
        "patients/consent_revoke.html",
        {"form": form, "consent": consent, "patient": consent.patient},
    )
