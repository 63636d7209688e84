"""The audit page: admins filter the access log; probes in its filters find nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from clinic.audit import Action
from clinic.audit_views import EVENTS_PER_PAGE
from clinic.models import AccessEvent
from patients.tests.factories import PatientFactory
from procedures.tests.factories import TreatmentSessionFactory

pytestmark = pytest.mark.django_db

CLINIC_ZONE = ZoneInfo("America/New_York")


def _event(user, action: str, object_id: str = "", day: int = 2, **fields) -> AccessEvent:
    at = datetime(2026, 3, day, 12, 0, tzinfo=CLINIC_ZONE)
    return AccessEvent.objects.create(
        user=user,
        action=action,
        object_type="patients.patient",
        object_id=object_id,
        at=at,
        **fields,
    )


def _rows(response) -> int:
    return response.content.decode().count('data-testid="audit-row"')


@pytest.fixture
def events(clinician, front_desk) -> None:
    _event(clinician, Action.VIEWED, "41", day=2)
    _event(clinician, Action.VIEWED, "42", day=3)
    _event(front_desk, Action.VIEWED, "42", day=4)
    _event(front_desk, Action.ACCESS_DENIED, "43", day=5)


def test_admin_filters_by_record(client, admin, events) -> None:
    client.force_login(admin)

    response = client.get(
        reverse("audit_log"), {"object_type": "patients.patient", "object_id": "42"}
    )

    assert _rows(response) == 2
    assert "patients.patient 42" in response.content.decode()


def test_admin_filters_by_user_action_and_dates(client, admin, clinician, front_desk, events):
    client.force_login(admin)
    url = reverse("audit_log")

    by_user = client.get(url, {"user": clinician.pk})
    by_action = client.get(url, {"action": Action.ACCESS_DENIED})
    by_days = client.get(url, {"start": "2026-03-03", "end": "2026-03-04"})

    assert _rows(by_user) == 2
    assert _rows(by_action) == 1
    assert _rows(by_days) == 2


def test_an_end_before_the_start_is_explained_and_shows_nothing(client, admin, events) -> None:
    client.force_login(admin)

    response = client.get(reverse("audit_log"), {"start": "2026-03-05", "end": "2026-03-01"})

    assert "The end date is before the start date." in response.content.decode()
    assert _rows(response) == 0


def test_the_log_is_paginated(client, admin, clinician) -> None:
    AccessEvent.objects.bulk_create(
        AccessEvent(user=clinician, action=Action.VIEWED, object_id=str(n))
        for n in range(EVENTS_PER_PAGE + 5)
    )
    client.force_login(admin)

    first = client.get(reverse("audit_log"))
    second = client.get(reverse("audit_log"), {"page": 2})

    assert _rows(first) == EVENTS_PER_PAGE
    assert _rows(second) == AccessEvent.objects.count() - EVENTS_PER_PAGE


def test_admin_lists_every_access_to_one_patient_by_mrn(client, admin, clinician) -> None:
    session = TreatmentSessionFactory()
    patient, someone_else = session.patient, PatientFactory()
    client.force_login(clinician)
    client.get(reverse("patients:chart", args=[patient.pk]))
    client.get(reverse("procedures:session", args=[session.pk]))
    client.get(reverse("patients:chart", args=[someone_else.pk]))
    client.force_login(admin)

    response = client.get(reverse("audit_log"), {"patient": patient.mrn.lower()})

    assert _rows(response) == 2
    html = response.content.decode()
    assert "patients.patient" in html and "procedures.treatmentsession" in html
    assert html.count(f"<td>{patient.mrn}</td>") == 2


def test_an_unknown_mrn_is_explained_next_to_the_field(client, admin) -> None:
    client.force_login(admin)

    response = client.get(reverse("audit_log"), {"patient": "ZZ999"})

    assert "No patient has the MRN ZZ999." in response.content.decode()
    assert _rows(response) == 0


@pytest.mark.parametrize("count", [3, 120])
def test_the_page_uses_a_fixed_number_of_queries(
    client, admin, clinician, django_assert_max_num_queries, count: int
) -> None:
    patients = PatientFactory.create_batch(3)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=clinician,
            action=Action.VIEWED,
            object_id=str(n),
            patient_id=patients[n % 3].pk,
        )
        for n in range(count)
    )
    client.force_login(admin)

    # session, the user with their permissions and roles, users for the
    # filter, count, one page of events with their users, the page's MRNs.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("audit_log"))

    assert _rows(response) == min(AccessEvent.objects.count(), EVENTS_PER_PAGE)


@pytest.mark.parametrize(
    "probe",
    ["' OR '1'='1", "42; DROP TABLE clinic_accessevent;--", "1) OR 1=1--", "%' UNION SELECT 1--"],
)
@pytest.mark.parametrize(
    "parameter", ["object_type", "object_id", "user", "action", "start", "page"]
)
def test_sql_injection_probes_in_the_filters_find_nothing(
    client, admin, events, parameter: str, probe: str
) -> None:
    client.force_login(admin)
    logged = AccessEvent.objects.count()

    response = client.get(reverse("audit_log"), {parameter: probe})

    assert response.status_code == 200
    if parameter != "page":
        assert _rows(response) == 0
    assert AccessEvent.objects.count() == logged
