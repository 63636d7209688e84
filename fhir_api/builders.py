"""Clinic records as FHIR R4 resources: plain JSON-ready dicts.

Resource ids are the primary keys of the rows they come from (opaque
numbers, never names or dates); observations, which come from two places,
carry a prefix: `pain-before-<session>`, `survey-pain-<answer>`,
`survey-pgic-<answer>`. Every builder expects its related rows preloaded
(see fhir_api.selectors) and runs no query.

Nothing here is validated at run time: fhir_api/tests/test_resources.py
checks every builder's output against fhir.resources' R4B models, for a
sparse and a full record (docs/decisions.md, FHIR API).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import User
from patients.models import Consent, Patient
from procedures.models import Injection, Side, TreatmentSession, TriggerPoint
from scheduling.models import Appointment, AppointmentStatus

Resource = dict[str, Any]

MRN_SYSTEM = "urn:trigger-point-clinic:mrn"
EXTENSION_BASE = "https://trigger-point-clinic.example/fhir/StructureDefinition"
BODY_MAP_EXTENSION = f"{EXTENSION_BASE}/body-map-location"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"

PAIN_CODE = {
    "coding": [
        {
            "system": LOINC,
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ],
    "text": "Pain (NRS 0-10)",
}
PGIC_CODE = {
    "text": "Patient global impression of change (1 very much improved - 7 very much worse)"
}
SURVEY_CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ]
    }
]
INTRAMUSCULAR = {
    "coding": [{"system": SNOMED, "code": "78421000", "display": "Intramuscular route"}]
}
LATERALITY = {
    Side.LEFT: {"system": SNOMED, "code": "7771000", "display": "Left"},
    Side.RIGHT: {"system": SNOMED, "code": "24028007", "display": "Right"},
}
APPOINTMENT_STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.ARRIVED: "arrived",
    AppointmentStatus.IN_SESSION: "arrived",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}
CONTAINERS = (dict, list)
GENDER = {"female": "female", "male": "male", "intersex": "other", "unknown": "unknown"}


def _ref(resource_type: str, pk: object) -> dict[str, str]:
    return {"reference": f"{resource_type}/{pk}"}


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _number(value: Any) -> float:
    return float(value)


def patient_resource(patient: Patient) -> Resource:
    names = [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}]
    if patient.preferred_name:
        names.append(
            {"use": "usual", "family": patient.last_name, "given": [patient.preferred_name]}
        )
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", patient.phone), ("email", patient.email))
        if value
    ]
    lines = [line for line in (patient.address_line1, patient.address_line2) if line]
    address = {
        "line": lines or None,
        "city": patient.city or None,
        "state": patient.region or None,
        "postalCode": patient.postal_code or None,
    }
    data = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MR",
                        }
                    ]
                },
                "system": MRN_SYSTEM,
                "value": patient.mrn,
            }
        ],
        "active": not patient.is_archived,
        "name": names,
        "telecom": telecom or None,
        "gender": GENDER.get(patient.sex, "unknown"),
        "birthDate": patient.date_of_birth.isoformat(),
        "address": [address] if any(address.values()) else None,
    }
    return without_none(data)


def practitioner_resource(user: User) -> Resource:
    data = {
        "resourceType": "Practitioner",
        "id": str(user.pk),
        "active": user.is_active,
        "name": [
            {
                "family": user.last_name or None,
                "given": [user.first_name] if user.first_name else None,
                "text": user.signature_name,
            }
        ],
        "qualification": [{"code": {"text": user.credentials}}] if user.credentials else None,
    }
    return without_none(data)


def appointment_resource(appointment: Appointment) -> Resource:
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    data = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "status": APPOINTMENT_STATUS[appointment.status],
        "cancelationReason": (
            {"text": appointment.cancel_reason} if appointment.cancel_reason else None
        ),
        "serviceType": [{"text": appointment.appointment_type.name}],
        "start": _when(appointment.starts_at),
        "end": _when(appointment.ends_at),
        "minutesDuration": minutes,
        "created": _when(appointment.booked_at),
        "comment": appointment.note or None,
        "participant": [
            {"actor": _ref("Patient", appointment.patient_id), "status": "accepted"},
            {
                "actor": {
                    **_ref("Practitioner", appointment.clinician_id),
                    "display": appointment.clinician.signature_name,
                },
                "status": "accepted",
            },
            {"actor": {"display": appointment.room.name}, "status": "accepted"},
        ],
    }
    return without_none(data)


def _reason(session: TreatmentSession) -> list[dict]:
    coding = [{"system": ICD10CM, "code": session.icd10_code}] if session.icd10_code else None
    return [{"coding": coding, "text": session.indication}]


def _performer(session: TreatmentSession) -> dict:
    return {
        **_ref("Practitioner", session.clinician_id),
        "display": session.clinician.signature_name,
    }


def encounter_resource(session: TreatmentSession) -> Resource:
    data = {
        "resourceType": "Encounter",
        "id": str(session.pk),
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": _ref("Patient", session.patient_id),
        "participant": [{"individual": _performer(session)}],
        "appointment": [_ref("Appointment", session.appointment_id)]
        if session.appointment_id
        else None,
        "period": {"start": _when(session.started_at), "end": _when(session.signed_at)},
        "reasonCode": _reason(session),
    }
    return without_none(data)


def procedure_resource(session: TreatmentSession) -> Resource:
    """The injection procedure of a session, coded as CPT trigger-point injection
    (20552 for one or two muscles, 20553 for three or more)."""
    points = list(session.trigger_points.all())
    muscles = sorted({point.muscle.name for point in points})
    cpt = "20553" if len(muscles) >= 3 else "20552"
    data = {
        "resourceType": "Procedure",
        "id": str(session.pk),
        "status": "completed",
        "code": {
            "coding": [{"system": CPT, "code": cpt}],
            "text": "Botulinum toxin trigger point injection",
        },
        "subject": _ref("Patient", session.patient_id),
        "encounter": _ref("Encounter", session.pk),
        "performedDateTime": _when(session.started_at),
        "performer": [{"actor": _performer(session)}],
        "reasonCode": _reason(session),
        "bodySite": [{"text": name} for name in muscles] or None,
        "complication": [
            {"text": f"{event.get_kind_display()} ({event.get_severity_display().lower()})"}
            for event in session.adverse_events.all()
        ]
        or None,
    }
    return without_none(data)


def _product_concept(product: Any) -> dict:
    return {"text": f"{product.brand_name} ({product.generic_name})"}


def _site(point: TriggerPoint) -> dict:
    return {
        "coding": [LATERALITY[point.side]] if point.side in LATERALITY else None,
        "text": f"{point.muscle.name}, {point.get_side_display().lower()}",
    }


def medication_administration_resource(injection: Injection) -> Resource:
    point = injection.trigger_point
    session = point.session
    lot = injection.vial.lot
    product = lot.product
    lot_id = f"lot-{lot.pk}"
    units = injection.units.normalize()
    data = {
        "resourceType": "MedicationAdministration",
        "id": str(injection.pk),
        "contained": [
            {
                "resourceType": "Medication",
                "id": lot_id,
                "code": _product_concept(product),
                "batch": {
                    "lotNumber": lot.lot_number,
                    "expirationDate": lot.expires_on.isoformat(),
                },
            }
        ],
        "status": "completed",
        "medicationCodeableConcept": _product_concept(product),
        "subject": _ref("Patient", session.patient_id),
        "context": _ref("Encounter", session.pk),
        "partOf": [_ref("Procedure", session.pk)],
        "supportingInformation": [{"reference": f"#{lot_id}"}, _ref("BodyStructure", point.pk)],
        "effectiveDateTime": _when(session.started_at),
        "performer": [{"actor": _performer(session)}],
        "dosage": {
            "text": f"{units:f} {product.unit_label} {product.brand_name} "
            f"in {injection.volume_ml.normalize():f} mL, {point.muscle.name} ({point.side})",
            "site": _site(point),
            "route": INTRAMUSCULAR,
            "dose": {"value": _number(injection.units), "unit": product.unit_label},
        },
    }
    return without_none(data)


def _observation(
    *, resource_id: str, code: dict, patient_id: int, value: int, **extra: Any
) -> Resource:
    data = {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": SURVEY_CATEGORY,
        "code": code,
        "subject": _ref("Patient", patient_id),
        "valueInteger": value,
        **extra,
    }
    return without_none(data)


def pain_before_observation(session: TreatmentSession) -> Resource:
    return _observation(
        resource_id=f"pain-before-{session.pk}",
        code=PAIN_CODE,
        patient_id=session.patient_id,
        value=session.pain_before,
        encounter=_ref("Encounter", session.pk),
        effectiveDateTime=_when(session.started_at),
    )


def survey_observations(response: Any) -> list[Resource]:
    """The pain and PGIC answers of one follow-up survey, part of the session's procedure."""
    return [survey_pain_observation(response), survey_pgic_observation(response)]


def survey_pain_observation(response: Any) -> Resource:
    return _observation(
        resource_id=f"survey-pain-{response.pk}",
        code=PAIN_CODE,
        value=response.pain_now,
        **_survey_context(response),
    )


def survey_pgic_observation(response: Any) -> Resource:
    return _observation(
        resource_id=f"survey-pgic-{response.pk}",
        code=PGIC_CODE,
        value=response.pgic,
        **_survey_context(response),
    )


def _survey_context(response: Any) -> dict[str, Any]:
    return {
        "patient_id": response.patient_id,
        "partOf": [_ref("Procedure", response.session_id)],
        "effectiveDateTime": _when(response.submitted_at),
        "issued": _when(response.submitted_at),
        "note": [{"text": response.followup.get_kind_display()}],
    }


def body_structure_resource(point: TriggerPoint) -> Resource:
    qualifier = LATERALITY.get(point.side)
    data = {
        "resourceType": "BodyStructure",
        "id": str(point.pk),
        "extension": [
            {
                "url": BODY_MAP_EXTENSION,
                "extension": [
                    {"url": "view", "valueCode": point.view},
                    {"url": "x", "valueDecimal": _number(point.x)},
                    {"url": "y", "valueDecimal": _number(point.y)},
                ],
            }
        ],
        "active": True,
        "morphology": {"text": f"Myofascial trigger point ({point.get_kind_display().lower()})"},
        "location": {"text": point.muscle.name},
        "locationQualifier": [
            {"coding": [qualifier] if qualifier else None, "text": point.get_side_display()}
        ],
        "description": _trigger_point_description(point),
        "patient": _ref("Patient", point.session.patient_id),
    }
    return without_none(data)


def _trigger_point_description(point: TriggerPoint) -> str:
    findings = [f"tenderness {point.get_tenderness_display().lower()}"]
    if point.taut_band:
        findings.append("taut band")
    if point.local_twitch:
        findings.append("local twitch response")
    if point.referred_pain:
        findings.append(f"referred pain: {point.referred_pain}")
    return f"Point {point.number} of session {point.session_id}: " + ", ".join(findings)


def consent_resource(consent: Consent) -> Resource:
    active = consent.revoked_at is None and consent.valid_until >= timezone.localdate()
    data = {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": "active" if active else "inactive",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment",
                }
            ]
        },
        "category": [
            {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}
        ],
        "patient": _ref("Patient", consent.patient_id),
        "dateTime": consent.signed_on.isoformat(),
        "sourceAttachment": {"title": str(consent.form)},
        "policyRule": {"text": f"{consent.form.code} version {consent.form.version}"},
        "provision": {
            "period": {
                "start": consent.signed_on.isoformat(),
                "end": consent.valid_until.isoformat(),
            }
        },
    }
    return without_none(data)


def without_none(data: dict[str, Any]) -> dict[str, Any]:
    """The data with every None left out (FHIR has no nulls: an absent field
    is omitted). Calls itself only for dicts and lists: it runs for every
    resource served, and a call for every string and number doubled its cost."""
    return {
        key: _without_none_inside(item) if type(item) in CONTAINERS else item
        for key, item in data.items()
        if item is not None
    }


def _without_none_inside(value: dict | list) -> dict | list:
    if type(value) is dict:
        return without_none(value)
    return [_without_none_inside(item) if type(item) in CONTAINERS else item for item in value]
