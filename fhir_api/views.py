"""The read-only FHIR R4 API: capability statement, read, search by patient,
and Patient/$everything. Answers are application/fhir+json; errors are
OperationOutcomes with the matching status."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from clinic.access import public
from clinic.audit import Action, AuditTarget, access_log_write, url_target
from clinic.page_cache import Drawn, cached_part
from fhir_api.auth import BadToken, Principal, principal_for
from fhir_api.capability import capability_statement
from fhir_api.everything import (
    BadPageParameter,
    Page,
    Window,
    everything_page,
    page_links,
    page_window,
)
from fhir_api.registry import CLINICAL, TYPES, ResourceType
from fhir_api.selectors import PatientRecord, patient_with_part_counts
from patients.models import Patient

CONTENT_TYPE = "application/fhir+json"

logger = logging.getLogger("clinic.access")

NOT_SIGNED_IN = "Send a bearer token (Authorization: Bearer <token>) or sign in."
CREDENTIALS_REFUSED = "The token is unknown or revoked."
FORBIDDEN = "Your role may not read {type} resources."
NOT_FOUND = "{type}/{id} is not known."
READ_ONLY = "This API is read-only: only GET is supported."
PATIENT_PARAMETER = "Search needs a patient: ?patient=<id>."
PATIENT_ID_PARAMETER = "Search needs a patient id: ?_id=<id>."


def fhir_json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, content_type=CONTENT_TYPE)


def operation_outcome(status: int, code: str, message: str) -> JsonResponse:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }
    response = fhir_json(outcome, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


def fhir_endpoint(permission: str) -> Callable:
    """Authenticate by token or session and check `permission`, answering
    401/403/405 as OperationOutcomes instead of redirecting to a login page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return operation_outcome(405, "not-supported", READ_ONLY)
            try:
                principal = principal_for(request)
            except BadToken:
                return operation_outcome(401, "login", CREDENTIALS_REFUSED)
            if principal is None:
                return operation_outcome(401, "login", NOT_SIGNED_IN)
            if not principal.has_perm(permission):
                access_log_write(
                    request=request, action=Action.ACCESS_DENIED, target=url_target(request)
                )
                return operation_outcome(403, "forbidden", FORBIDDEN.format(type=view.fhir_type))
            return view(request, principal, *args, **kwargs)

        guarded = never_cache(login_not_required(guarded))
        guarded.required_permission = permission  # type: ignore[attr-defined]
        return guarded

    return decorate


def _logged(request: HttpRequest, principal: Principal, target: Model | AuditTarget) -> None:
    """Record the read in the access log (ids only)."""
    event = access_log_write(request=request, action=Action.FHIR_READ, target=target)
    if principal.token_id is not None:
        # The access log has no column for an API token: name it here, by event id.
        logger.info("access event %s: FHIR read with API token %s", event.pk, principal.token_id)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")


def _bundle(request: HttpRequest, resources: list[dict], *, total: int, links: list[dict]) -> dict:
    """A searchset of resources built by fhir_api.builders."""
    base = _base_url(request)
    entries = [
        {
            "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "match"},
        }
        for resource in resources
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "total": total,
        "link": links,
        "entry": entries,
    }


def _search_bundle(request: HttpRequest, resources: list[dict]) -> dict:
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    return _bundle(request, resources, total=len(resources), links=links)


def _everything_bundle(request: HttpRequest, patient: Patient, page: Page) -> dict:
    path = reverse("fhir:everything", args=[patient.pk])

    def url_for(window: Window) -> str:
        query = urlencode({"_count": window.count, "_offset": window.offset})
        return request.build_absolute_uri(f"{path}?{query}")

    links = page_links(page, url_for)
    return _bundle(request, page.resources, total=page.total, links=links)


@public
@never_cache
def metadata(request: HttpRequest) -> HttpResponse:
    """The capability statement: public, like every FHIR server's."""
    if request.method not in ("GET", "HEAD"):
        return operation_outcome(405, "not-supported", READ_ONLY)
    return fhir_json(capability_statement(base_url=_base_url(request)))


def read_view(rtype: ResourceType) -> Callable:
    def read(request: HttpRequest, principal: Principal, resource_id: str) -> HttpResponse:
        resource = rtype.read(resource_id)
        if resource is None:
            access_log_write(request=request, action=Action.NOT_FOUND, target=url_target(request))
            return operation_outcome(
                404, "not-found", NOT_FOUND.format(type=rtype.name, id=resource_id[:64])
            )
        target = AuditTarget(
            f"fhir.{rtype.name}", resource_id, patient_id=_patient_of_resource(resource)
        )
        _logged(request, principal, target)
        return fhir_json(resource)

    read.fhir_type = rtype.name  # type: ignore[attr-defined]
    read.__name__ = f"read_{rtype.slug}"
    return fhir_endpoint(rtype.permission)(read)


def _patient_of_resource(resource: dict) -> int | None:
    """The patient a resource is about: itself, its subject or patient, or an
    Appointment's participant (for the Audit page's patient filter)."""
    if resource["resourceType"] == "Patient":
        return _patient_id(resource["id"])
    references = [resource.get(field, {}).get("reference", "") for field in ("subject", "patient")]
    references += [
        participant.get("actor", {}).get("reference", "")
        for participant in resource.get("participant", [])
    ]
    return next((_patient_id(ref) for ref in references if ref.startswith("Patient/")), None)


def _patient_id(value: str) -> int | None:
    value = value.removeprefix("Patient/")
    return int(value) if value.isdigit() and len(value) < 19 else None


def search_view(rtype: ResourceType) -> Callable:
    def search(request: HttpRequest, principal: Principal) -> HttpResponse:
        parameter = "_id" if rtype.search is None else "patient"
        patient_id = _patient_id(request.GET.get(parameter, ""))
        if patient_id is None:
            message = PATIENT_ID_PARAMETER if rtype.search is None else PATIENT_PARAMETER
            return operation_outcome(400, "required", message)
        patient = Patient.objects.filter(pk=patient_id).first()
        resources: list[dict] = []
        if patient is not None:
            _logged(request, principal, patient)
            record = PatientRecord(patient)
            resources = rtype.search(record) if rtype.search else [rtype.read(str(patient.pk))]
        return fhir_json(_search_bundle(request, resources))

    search.fhir_type = rtype.name  # type: ignore[attr-defined]
    search.__name__ = f"search_{rtype.slug}"
    return fhir_endpoint(rtype.permission)(search)


def _everything(request: HttpRequest, principal: Principal, patient_id: str) -> HttpResponse:
    """One page of the patient's record (fhir_api.everything), with links to the others."""
    try:
        window = page_window(request.GET)
    except BadPageParameter as error:
        return operation_outcome(400, "invalid", str(error))
    # The revisions come with the patient, before the record: a write in
    # between only makes the page drawn again.
    patient = patient_with_part_counts(_patient_id(patient_id) or 0)
    if patient is None:
        return operation_outcome(
            404, "not-found", NOT_FOUND.format(type="Patient", id=patient_id[:64])
        )
    depends_on = [patient.revision, patient.reference_revision, principal.identity]
    _logged(request, principal, patient)

    def draw(_: dict[str, Any]) -> Drawn:
        clinical = principal.has_perm(CLINICAL)
        page = everything_page(patient=patient, clinical=clinical, window=window)
        bundle = _everything_bundle(request, patient, page)
        return Drawn(json.dumps(bundle, cls=DjangoJSONEncoder))

    body = cached_part(request, name="fhir-everything", depends_on=depends_on, draw=draw)
    return HttpResponse(body, content_type=CONTENT_TYPE)


_everything.fhir_type = "Patient"  # type: ignore[attr-defined]
patient_everything = fhir_endpoint(TYPES["Patient"].permission)(_everything)

read_views = {name: read_view(rtype) for name, rtype in TYPES.items()}
search_views = {name: search_view(rtype) for name, rtype in TYPES.items() if name != "Practitioner"}
