"""Every resource the API serves validates against fhir.resources' R4B models
and says what the record says."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from clinic.models import User
from clinic.roles import CLINICIAN
from fhir_api.everything import MAX_COUNT
from fhir_api.registry import TYPES
from fhir_api.tests.records import Record, ids_of_each_type, record_build, token_for
from outcomes.tests.factories import Dose, muscle, session_with_injections
from patients.models import Consent, Patient
from procedures.models import Injection
from procedures.tests.factories import signed
from scheduling.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> Record:
    return record_build(sessions=2)


@pytest.fixture
def api(client):
    """GET as a clinical system with a bearer token; returns the parsed JSON."""
    headers = {"Authorization": f"Bearer {token_for(CLINICIAN)}"}

    def get(url: str, status: int = 200) -> dict:
        response = client.get(url, headers=headers)
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/fhir+json"
        return response.json()

    return get


def _validated(resource: dict):
    """The resource parsed by its R4B model (raises on anything invalid)."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_every_resource_type_read_by_id_validates_against_r4b(record, api) -> None:
    for name, resource_id in ids_of_each_type(record).items():
        resource = api(reverse(f"fhir:{name.lower()}-read", args=[resource_id]))

        model = _validated(resource)
        assert (model.get_resource_type(), model.id) == (name, resource_id)


def test_search_by_patient_gives_a_valid_searchset_of_each_type(record, api) -> None:
    counts = {}
    for name, rtype in TYPES.items():
        if name == "Practitioner":
            continue
        parameter = "_id" if rtype.search is None else "patient"
        bundle = api(f"{reverse(f'fhir:{name.lower()}-search')}?{parameter}={record.patient.pk}")

        parsed = Bundle.model_validate(bundle)
        assert parsed.type == "searchset"
        assert {entry.resource.get_resource_type() for entry in parsed.entry} == {name}
        counts[name] = parsed.total
    injections = Injection.objects.filter(trigger_point__session__patient=record.patient)
    assert counts == {
        "Patient": 1,
        "Appointment": 1,
        "Encounter": 2,  # the draft session is not shared
        "Procedure": 2,
        "MedicationAdministration": injections.exclude(
            trigger_point__session=record.draft_session
        ).count(),
        "BodyStructure": 4,
        "Observation": 2 + 4 * 2,  # pain before each session; pain and PGIC per answer
        "Consent": 1,
    }


def test_everything_bundle_validates_and_holds_the_whole_record(record, api) -> None:
    bundle = api(reverse("fhir:everything", args=[record.patient.pk]))

    parsed = Bundle.model_validate(bundle)
    types = Counter(entry.resource.get_resource_type() for entry in parsed.entry)
    assert parsed.total == len(parsed.entry)
    assert types["Patient"] == 1
    assert types["Practitioner"] == 1
    assert types["Encounter"] == 2
    assert types["Observation"] == 10
    assert set(types) == {*TYPES}
    full_urls = [entry.fullUrl for entry in parsed.entry]
    assert f"http://testserver/fhir/Patient/{record.patient.pk}" in full_urls


def _signed_session_of_shape(record: Record, *, side: str, **fields: object) -> None:
    """One more signed session, its session and point fields as given
    (a signed session is locked, so the shape is set before signing)."""
    session = session_with_injections(
        patient=record.patient,
        started_at=timezone.now() - dt.timedelta(days=2),
        doses=[Dose(muscle("splenius-capitis", "Splenius capitis"), side, 10)],
        clinician=record.first_session.clinician,
        sign=False,
        icd10_code=fields.pop("icd10_code"),
        pain_before=fields.pop("pain_before"),
    )
    session.trigger_points.update(**fields)
    signed(session)


def _blank_every_optional_field(record: Record) -> None:
    Patient.objects.filter(pk=record.patient.pk).update(
        preferred_name="",
        phone="",
        email="",
        email_consent=False,
        address_line1="",
        city="",
        region="",
        postal_code="",
    )
    User.objects.filter(pk=record.first_session.clinician_id).update(
        first_name="", last_name="", credentials=""
    )
    Appointment.objects.filter(patient=record.patient).update(note="")
    _signed_session_of_shape(
        record,
        side="midline",
        icd10_code="",
        pain_before=None,
        referred_pain="",
        taut_band=False,
        local_twitch=False,
    )


def _fill_every_optional_field(record: Record) -> None:
    Patient.objects.filter(pk=record.patient.pk).update(
        preferred_name="Kit",
        sex="intersex",
        address_line1="1 Main St",
        address_line2="Apt 2",
        city="Albany",
        region="NY",
        postal_code="12207",
    )
    User.objects.filter(pk=record.first_session.clinician_id).update(credentials="MD")
    Appointment.objects.filter(patient=record.patient).update(
        note="Prefers mornings", status=AppointmentStatus.CANCELLED, cancel_reason="Unwell"
    )
    Consent.objects.filter(patient=record.patient).update(
        revoked_at=timezone.now(), revoked_by=record.first_session.clinician, revoked_reason="Asked"
    )
    _signed_session_of_shape(
        record,
        side="right",
        icd10_code="M79.1",
        pain_before=6,
        referred_pain="to the temple",
        taut_band=True,
        local_twitch=True,
    )


@pytest.mark.parametrize("shape", [_blank_every_optional_field, _fill_every_optional_field])
def test_every_resource_validates_with_optional_fields_blank_or_filled(record, api, shape) -> None:
    """The API does not validate at run time (docs/decisions.md): this is
    where each builder's output is held to R4B, for both shapes of a record."""
    shape(record)

    bundle = api(f"{reverse('fhir:everything', args=[record.patient.pk])}?_count={MAX_COUNT}")

    resources = [entry["resource"] for entry in bundle["entry"]]
    assert len(resources) == bundle["total"]
    assert {_validated(resource).get_resource_type() for resource in resources} == {*TYPES}


@pytest.mark.parametrize("sessions", [1, 4])
def test_everything_reads_the_record_in_a_fixed_number_of_queries(
    sessions, client, django_assert_num_queries
) -> None:
    record = record_build(sessions=sessions)
    headers = {"Authorization": f"Bearer {token_for(CLINICIAN)}"}
    url = reverse("fhir:everything", args=[record.patient.pk])

    # token, patient with its part counts, the access-log row, the sessions'
    # shapes, practitioners, appointments, consents, sessions, their trigger
    # points, injections and adverse events, survey answers (the patient's
    # query also reads the revisions the drawn bundle is kept under)
    with django_assert_num_queries(12):
        response = client.get(url, headers=headers)
    # Again, nothing changed: token, patient with revisions, the access-log
    # row; the bundle from the page cache.
    with django_assert_num_queries(3):
        again = client.get(url, headers=headers)

    assert response.json()["total"] > 10
    assert again.json()["entry"] == response.json()["entry"]


def test_medication_administration_carries_product_dose_site_route_and_lot(record, api) -> None:
    injection = record.injection
    lot = injection.vial.lot

    resource = api(reverse("fhir:medicationadministration-read", args=[injection.pk]))

    assert resource["medicationCodeableConcept"] == {"text": "Botox (onabotulinumtoxinA)"}
    assert resource["dosage"]["dose"] == {"value": 10.0, "unit": "U"}
    assert resource["dosage"]["route"]["coding"][0]["code"] == "78421000"
    assert resource["dosage"]["site"]["text"] == "Upper trapezius, left"
    assert resource["dosage"]["site"]["coding"][0]["code"] == "7771000"  # SNOMED: left
    (medication,) = resource["contained"]
    assert medication["batch"] == {
        "lotNumber": lot.lot_number,
        "expirationDate": lot.expires_on.isoformat(),
    }
    assert {"reference": f"#{medication['id']}"} in resource["supportingInformation"]
    assert resource["partOf"] == [{"reference": f"Procedure/{record.first_session.pk}"}]


def test_pain_observations_use_loinc_72514_3_with_the_recorded_values(record, api) -> None:
    session = record.first_session
    response_id = record.survey_response_id

    before = api(reverse("fhir:observation-read", args=[f"pain-before-{session.pk}"]))
    after = api(reverse("fhir:observation-read", args=[f"survey-pain-{response_id}"]))
    pgic = api(reverse("fhir:observation-read", args=[f"survey-pgic-{response_id}"]))

    assert before["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert before["valueInteger"] == session.pain_before == 7
    assert before["encounter"] == {"reference": f"Encounter/{session.pk}"}
    assert after["code"]["coding"][0]["code"] == "72514-3"
    assert after["valueInteger"] == 4
    assert pgic["valueInteger"] == 3
    assert "Patient global impression of change" in pgic["code"]["text"]


def test_body_structure_gives_muscle_side_and_map_location(record, api) -> None:
    point = record.trigger_point

    resource = api(reverse("fhir:bodystructure-read", args=[point.pk]))

    assert resource["location"] == {"text": "Upper trapezius"}
    assert resource["locationQualifier"][0]["text"] == "Left"
    (location,) = resource["extension"]
    assert location["url"].endswith("/body-map-location")
    assert location["extension"] == [
        {"url": "view", "valueCode": "back"},
        {"url": "x", "valueDecimal": 0.4},
        {"url": "y", "valueDecimal": 0.2},
    ]


def test_procedure_lists_the_muscles_and_the_adverse_event(record, api) -> None:
    resource = api(reverse("fhir:procedure-read", args=[record.first_session.pk]))

    assert resource["code"]["coding"] == [
        {"system": "http://www.ama-assn.org/go/cpt", "code": "20552"}
    ]
    assert resource["bodySite"] == [{"text": "Levator scapulae"}, {"text": "Upper trapezius"}]
    assert resource["complication"] == [{"text": "Local pain (mild)"}]


def test_patient_resource_has_the_mrn_and_no_clinical_data(record, api) -> None:
    patient = record.patient

    resource = api(reverse("fhir:patient-read", args=[patient.pk]))

    assert resource["identifier"][0]["value"] == patient.mrn
    assert resource["name"][0] == {
        "use": "official",
        "family": patient.last_name,
        "given": [patient.first_name],
    }
    assert resource["birthDate"] == patient.date_of_birth.isoformat()
    assert set(resource) <= {
        "resourceType", "id", "identifier", "active", "name", "telecom", "gender",
        "birthDate", "address",
    }  # fmt: skip


def test_a_draft_session_is_not_shared(record, api) -> None:
    outcome = api(reverse("fhir:encounter-read", args=[record.draft_session.pk]), status=404)

    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found"


def test_metadata_is_a_valid_capability_statement_listing_every_type(client) -> None:
    response = client.get(reverse("fhir:metadata"))

    statement = CapabilityStatement.model_validate(response.json())
    assert response["Content-Type"] == "application/fhir+json"
    served = {resource.type for resource in statement.rest[0].resource}
    assert served == set(TYPES)
