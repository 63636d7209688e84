"""Tokens and sessions are held to the role table: the front desk reads
Patient and Appointment only; nobody reads without credentials."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import AccessEvent, Action
from clinic.roles import CLINIC_ADMIN, CLINICIAN, FRONT_DESK
from fhir_api.models import ApiToken
from fhir_api.registry import SCHEDULING, TYPES
from fhir_api.services import api_token_revoke, token_hash
from fhir_api.tests.records import ids_of_each_type, record_build, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    return record_build(sessions=1)


def _get(client, url: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def _outcome_code(response) -> str:
    outcome = OperationOutcome.model_validate(response.json())
    return outcome.issue[0].code


@pytest.mark.parametrize("role", [FRONT_DESK, CLINICIAN, CLINIC_ADMIN])
def test_a_token_reads_exactly_the_types_its_role_may(client, record, role) -> None:
    token = token_for(role)
    outcomes = {
        name: _get(client, reverse(f"fhir:{name.lower()}-read", args=[resource_id]), token)
        for name, resource_id in ids_of_each_type(record).items()
    }

    allowed = {name for name, response in outcomes.items() if response.status_code == 200}
    if role == FRONT_DESK:
        assert allowed == {"Patient", "Appointment"}
        refused = [r for name, r in outcomes.items() if name not in allowed]
        assert {r.status_code for r in refused} == {403}
        assert {_outcome_code(r) for r in refused} == {"forbidden"}
    else:
        assert allowed == set(TYPES)


def test_front_desk_token_searching_observations_is_refused_without_any_data(
    client, record
) -> None:
    url = f"{reverse('fhir:observation-search')}?patient={record.patient.pk}"

    response = _get(client, url, token_for(FRONT_DESK))

    assert response.status_code == 403
    assert "valueInteger" not in response.content.decode()


def test_front_desk_everything_holds_only_the_patient_and_appointments(client, record) -> None:
    url = reverse("fhir:everything", args=[record.patient.pk])

    bundle = _get(client, url, token_for(FRONT_DESK)).json()

    types = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert types == {"Patient", "Appointment"}


def test_no_credentials_get_401_with_a_bearer_challenge(client, record) -> None:
    response = _get(client, reverse("fhir:patient-read", args=[record.patient.pk]))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'
    assert _outcome_code(response) == "login"


def test_a_revoked_or_unknown_token_gets_401(client, record, admin) -> None:
    raw = token_for(CLINICIAN)
    api_token_revoke(token=ApiToken.objects.get(token_hash=token_hash(raw)), revoked_by=admin)
    url = reverse("fhir:patient-read", args=[record.patient.pk])

    assert _get(client, url, raw).status_code == 401
    assert _get(client, url, "made-up-token").status_code == 401


def test_a_bad_token_is_refused_even_with_a_staff_session(client, record, clinician) -> None:
    client.force_login(clinician)
    url = reverse("fhir:patient-read", args=[record.patient.pk])

    assert _get(client, url).status_code == 200
    assert _get(client, url, "made-up-token").status_code == 401


def test_staff_sessions_follow_the_same_role_rules(client, record, front_desk) -> None:
    client.force_login(front_desk)
    session = record.first_session

    assert (
        _get(client, reverse("fhir:appointment-read", args=[session.appointment_id])).status_code
        == 200
    )
    assert _get(client, reverse("fhir:encounter-read", args=[session.pk])).status_code == 403


def test_writes_are_refused_as_read_only(client, record) -> None:
    url = reverse("fhir:patient-read", args=[record.patient.pk])

    response = client.post(url, headers={"Authorization": f"Bearer {token_for(CLINICIAN)}"})

    assert response.status_code == 405
    assert _outcome_code(response) == "not-supported"


@pytest.mark.parametrize("resource_id", ["999999", "abc", "pain-before-x", "1" * 40])
def test_unknown_ids_get_404_outcomes(client, resource_id) -> None:
    token = token_for(CLINICIAN)
    for name in ("Patient", "Observation"):
        response = _get(client, reverse(f"fhir:{name.lower()}-read", args=[resource_id]), token)

        assert response.status_code == 404
        assert _outcome_code(response) == "not-found"


def test_search_without_a_patient_is_a_400_not_a_dump_of_everyone(client, record) -> None:
    response = _get(client, reverse("fhir:encounter-search"), token_for(CLINICIAN))

    assert response.status_code == 400
    assert _outcome_code(response) == "required"


def test_token_reads_are_in_the_access_log_with_the_token_named(client, record, caplog) -> None:
    token = token_for(CLINICIAN)
    caplog.set_level(logging.INFO, logger="clinic.access")
    observation = f"pain-before-{record.first_session.pk}"

    _get(client, reverse("fhir:everything", args=[record.patient.pk]), token)
    _get(client, reverse("fhir:observation-read", args=[observation]), token)

    everything, read = AccessEvent.objects.filter(action=Action.FHIR_READ).order_by("id")
    assert (everything.object_type, everything.object_id) == (
        "patients.patient",
        str(record.patient.pk),
    )
    assert (read.object_type, read.object_id) == ("fhir.Observation", observation)
    assert everything.user is None
    token_id = ApiToken.objects.get(token_hash=token_hash(token)).pk
    lines = [r.getMessage() for r in caplog.records if r.name == "clinic.access"]
    assert f"access event {everything.pk}: FHIR read with API token {token_id}" in lines


def test_staff_reads_are_in_the_access_log_under_their_name(client, record, clinician) -> None:
    client.force_login(clinician)

    _get(client, f"{reverse('fhir:consent-search')}?patient={record.patient.pk}")

    event = AccessEvent.objects.get(action=Action.FHIR_READ)
    assert (event.user, event.object_id) == (clinician, str(record.patient.pk))


def test_every_read_is_filed_under_the_patient_it_is_about(client, record) -> None:
    token = token_for(CLINICIAN)

    for name, resource_id in ids_of_each_type(record).items():
        _get(client, reverse(f"fhir:{TYPES[name].slug}-read", args=[resource_id]), token)

    filed = dict(
        AccessEvent.objects.filter(action=Action.FHIR_READ).values_list("object_type", "patient_id")
    )
    assert filed.pop("fhir.Practitioner") is None
    assert set(filed.values()) == {record.patient.pk}
    assert len(filed) == len(TYPES) - 1


def test_reading_an_unknown_id_is_a_logged_404(client, record) -> None:
    response = _get(client, reverse("fhir:procedure-read", args=["999999"]), token_for(CLINICIAN))

    assert response.status_code == 404
    event = AccessEvent.objects.get(action=Action.NOT_FOUND)
    assert (event.object_type, event.object_id) == ("url:fhir:procedure-read", "resource_id=999999")


def test_permissions_of_the_two_fhir_levels_match_the_role_table() -> None:
    assert {rtype.name for rtype in TYPES.values() if rtype.permission == SCHEDULING} == {
        "Patient",
        "Appointment",
    }
