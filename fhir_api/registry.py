"""The resource types the API serves: who may read each, how to read one by
id, and how to find a patient's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fhir_api import builders as build
from fhir_api import selectors as select
from fhir_api.builders import Resource
from fhir_api.selectors import PatientRecord
from patients.models import Patient

SCHEDULING = "fhir_api.read_fhir_scheduling"
CLINICAL = "fhir_api.read_fhir_clinical"


@dataclass(frozen=True)
class ResourceType:
    name: str
    permission: str
    read: Callable[[str], Resource | None]
    search: Callable[[PatientRecord], list[Resource]] | None

    @property
    def slug(self) -> str:
        return self.name.lower()


def _pk(resource_id: str) -> int | None:
    return int(resource_id) if resource_id.isdigit() and len(resource_id) < 19 else None


def _reader(queryset: Callable, builder: Callable[[object], Resource]) -> Callable:
    def read(resource_id: str) -> Resource | None:
        pk = _pk(resource_id)
        found = queryset().filter(pk=pk).first() if pk is not None else None
        return builder(found) if found is not None else None

    return read


def _read_observation(resource_id: str) -> Resource | None:
    kind, _, number = resource_id.rpartition("-")
    pk = _pk(number)
    if pk is None:
        return None
    if kind == "pain-before":
        session = select.signed_sessions().filter(pk=pk, pain_before__isnull=False).first()
        return build.pain_before_observation(session) if session else None
    if kind in ("survey-pain", "survey-pgic"):
        response = select.survey_responses().filter(pk=pk).first()
        if response is None:
            return None
        pain, pgic = build.survey_observations(response)
        return pain if kind == "survey-pain" else pgic
    return None


def observations(record: PatientRecord) -> list[Resource]:
    before = [
        build.pain_before_observation(session)
        for session in record.sessions
        if session.pain_before is not None
    ]
    answers = [
        observation
        for response in record.survey_responses
        for observation in build.survey_observations(response)
    ]
    return before + answers


TYPES: dict[str, ResourceType] = {
    rtype.name: rtype
    for rtype in (
        ResourceType(
            "Patient",
            SCHEDULING,
            _reader(lambda: Patient.objects.all(), build.patient_resource),
            None,
        ),
        ResourceType(
            "Practitioner",
            CLINICAL,
            _reader(select.practitioners, build.practitioner_resource),
            None,
        ),
        ResourceType(
            "Appointment",
            SCHEDULING,
            _reader(select.appointments, build.appointment_resource),
            lambda record: [build.appointment_resource(a) for a in record.appointments],
        ),
        ResourceType(
            "Encounter",
            CLINICAL,
            _reader(select.signed_sessions, build.encounter_resource),
            lambda record: [build.encounter_resource(s) for s in record.sessions],
        ),
        ResourceType(
            "Procedure",
            CLINICAL,
            _reader(select.sessions_with_points, build.procedure_resource),
            lambda record: [build.procedure_resource(s) for s in record.sessions],
        ),
        ResourceType(
            "MedicationAdministration",
            CLINICAL,
            _reader(select.signed_injections, build.medication_administration_resource),
            lambda record: [build.medication_administration_resource(i) for i in record.injections],
        ),
        ResourceType(
            "BodyStructure",
            CLINICAL,
            _reader(select.signed_trigger_points, build.body_structure_resource),
            lambda record: [build.body_structure_resource(p) for p in record.trigger_points],
        ),
        ResourceType("Observation", CLINICAL, _read_observation, observations),
        ResourceType(
            "Consent",
            CLINICAL,
            _reader(select.consents, build.consent_resource),
            lambda record: [build.consent_resource(c) for c in record.consents],
        ),
    )
}
