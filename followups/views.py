from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import public, requires
from clinic.page_cache import Drawn, cached_part, next_minute
from clinic.revisions import FOLLOWUPS, REFERENCE, WHOLE, revisions
from followups.forms import OutboxFilterForm, SurveyForm
from followups.links import LinkExpired, LinkInvalid, LinkPurpose, link_followup
from followups.models import SURVEY_KINDS, Alert, FollowUp, SurveyResponse
from followups.paging import OutboxPaginator
from followups.selectors import (
    outbox_followups,
    outbox_oldest_overdue,
    survey_responses_for_patient,
    survey_responses_for_session,
)
from followups.services import (
    FollowUpError,
    alert_acknowledge,
    followup_retry,
    followups_unsubscribe,
    survey_response_record,
)
from patients.models import Patient
from procedures.models import TreatmentSession

OUTBOX_PAGE_SIZE = 50
RETRIED = "The email is back in the outbox and goes out within a minute."
ACKNOWLEDGED = "Alert acknowledged."
ONE_CLICK = "One-Click"  # RFC 8058: the body of a one-click unsubscribe POST


# Patient pages: no login, a signed link is the only credential ---------------------------


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    expired = isinstance(error, LinkExpired)
    return render(
        request,
        "followups/public/link_refused.html",
        {"expired": expired},
        status=410 if expired else 400,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        followup = link_followup(token=token, purpose=LinkPurpose.SURVEY)
    except (LinkExpired, LinkInvalid) as error:
        return _refused(request, error)
    if followup.kind not in SURVEY_KINDS:
        return _refused(request, LinkInvalid())
    if SurveyResponse.objects.filter(followup=followup).exists():
        return render(request, "followups/public/survey_answered.html")
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            response = survey_response_record(followup=followup, answers=form.cleaned_data)
        except FollowUpError:
            return render(request, "followups/public/survey_answered.html")
        return render(request, "followups/public/survey_thanks.html", {"response": response})
    return render(request, "followups/public/survey.html", {"form": form})


@public
@csrf_exempt  # RFC 8058: mail providers POST with no cookie; the signed link is the credential.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; only a POST of List-Unsubscribe=One-Click unsubscribes."""
    try:
        followup = link_followup(token=token, purpose=LinkPurpose.UNSUBSCRIBE)
    except (LinkExpired, LinkInvalid) as error:
        return _refused(request, error)
    patient = followup.patient
    if request.method == "GET":
        already = patient.unsubscribed_at is not None
        return render(request, "followups/public/unsubscribe.html", {"already": already})
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return _refused(request, LinkInvalid())
    followups_unsubscribe(patient=patient)
    return render(request, "followups/public/unsubscribed.html")


# Staff pages -------------------------------------------------------------------------------


@requires("followups.view_followup")
def outbox(request: HttpRequest) -> HttpResponse:
    depends_on = revisions([(FOLLOWUPS, WHOLE), (REFERENCE, WHOLE)])
    content = cached_part(
        request, name="outbox", depends_on=depends_on, draw=lambda extra: _outbox(request, extra)
    )
    return render(request, "followups/outbox.html", {"content": content})


def _outbox(request: HttpRequest, extra: dict[str, Any]) -> Drawn:
    """Drawn again each minute: what counts as overdue moves with the clock."""
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    paginator = OutboxPaginator(
        outbox_followups(**filters), OUTBOX_PAGE_SIZE, filtered=any(filters.values())
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "oldest_overdue": outbox_oldest_overdue(now=timezone.now()),
        "can_retry": request.user.has_perm("followups.retry_followup"),
        **extra,
    }
    html = render_to_string("followups/_outbox_content.html", context, request)
    return Drawn(html, valid_until=next_minute())


@requires("followups.retry_followup")
@require_POST
def outbox_retry(request: HttpRequest, followup_id: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp, pk=followup_id)
    try:
        followup_retry(followup=followup, user=request.user)
    except FollowUpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, RETRIED)
    return redirect(_outbox_return_url(request))


def _outbox_return_url(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    outbox_url = reverse("followups:outbox")
    safe = back.startswith(outbox_url) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    )
    return back if safe else outbox_url


@requires("followups.change_alert")
@require_POST
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=alert_id)
    alert_acknowledge(alert=alert, user=request.user)
    messages.success(request, ACKNOWLEDGED)
    return redirect("home")


@requires("followups.view_surveyresponse")
def session_surveys(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(TreatmentSession.objects.select_related("patient"), pk=session_id)
    responses = survey_responses_for_session(session_id=session.pk)
    return render(
        request,
        "followups/session_surveys.html",
        {"session": session, "survey_responses": responses},
    )


@requires("followups.view_surveyresponse")
def patient_surveys(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    responses = survey_responses_for_patient(patient=patient)
    return render(
        request,
        "followups/patient_surveys.html",
        {"patient": patient, "survey_responses": responses},
    )
