"""CSV exports: one row per injection, one per session's outcome; identified or not."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from clinic.models import AccessEvent, Action
from outcomes.exports import date_shift_days, pseudonym
from outcomes.tests.clinic_data import clinic_weeks_build
from outcomes.tests.factories import course_of_treatment
from patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def weeks():
    return clinic_weeks_build()


def _export(client, slug: str, **params: str) -> list[dict[str, str]]:
    response = client.get(reverse(f"outcomes:export-{slug}"), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_injections_export_has_one_identified_row_per_injection(client, clinician, weeks) -> None:
    client.force_login(clinician)

    rows = _export(client, "injections")

    assert len(rows) == 5 + 2  # Alice: 2 + 3 injections; Bob: 2
    bob_rows = [row for row in rows if row["mrn"] == weeks.bob.mrn]
    assert {(r["product"], r["units"], r["muscle"], r["side"]) for r in bob_rows} == {
        ("Dysport", "50.00", "Gluteus medius", "left")
    }
    assert bob_rows[0]["last_name"] == weeks.bob.last_name
    assert bob_rows[0]["lot"]


def test_deidentified_export_has_no_names_mrns_birth_dates_or_lots(
    client, clinician, weeks
) -> None:
    client.force_login(clinician)

    response = client.get(reverse("outcomes:export-injections"), {"deidentified": "on"})
    text = b"".join(response.streaming_content).decode()

    for patient in (weeks.alice, weeks.bob):
        for identifying in (patient.mrn, patient.last_name, patient.first_name):
            assert identifying not in text
        assert patient.date_of_birth.isoformat() not in text
    header = text.splitlines()[0].split(",")
    assert {"mrn", "last_name", "first_name", "date_of_birth", "lot"}.isdisjoint(header)
    assert "deidentified.csv" in response["Content-Disposition"]


def test_deidentified_patients_keep_a_stable_pseudonym_and_shifted_dates(client, clinician) -> None:
    patient = course_of_treatment(sessions=2, start=timezone.now() - dt.timedelta(weeks=20))
    first, second = patient.sessions.order_by("started_at")
    client.force_login(clinician)
    params = {
        "deidentified": "on",
        "date_from": (timezone.localdate() - dt.timedelta(weeks=30)).isoformat(),
    }

    rows = _export(client, "outcomes", **params)
    again = _export(client, "outcomes", **params)

    assert [r["patient"] for r in rows] == [pseudonym(prefix="P", value=patient.pk)] * 2
    assert rows == again
    shift = dt.timedelta(days=date_shift_days(patient_id=patient.pk))
    assert shift.days != 0
    assert [r["session_date"] for r in rows] == [
        (timezone.localdate(s.started_at) + shift).isoformat() for s in (first, second)
    ]


def test_date_shifts_are_never_zero_and_at_most_half_a_year() -> None:
    shifts = [date_shift_days(patient_id=patient_id) for patient_id in range(1, 2000)]

    assert 0 not in shifts
    assert min(shifts) >= -182 and max(shifts) <= 182
    assert len(set(shifts)) > 300


def test_outcomes_export_gives_each_sessions_change_and_meaningful_response(
    client, clinician, weeks
) -> None:
    client.force_login(clinician)

    rows = {row["mrn"]: row for row in _export(client, "outcomes")}

    alice = rows[weeks.alice.mrn]
    assert (alice["product"], alice["units"], alice["pain_before"]) == ("Botox", "35.00", "7")
    assert (alice["change_2w"], alice["meaningful_2w"]) == ("-3", "yes")
    assert (alice["change_6w"], alice["meaningful_6w"]) == ("-1", "no")
    assert alice["adverse_events"] == "1"
    bob = rows[weeks.bob.mrn]
    assert (bob["units"], bob["change_2w"], bob["pain_6w"], bob["meaningful_6w"]) == (
        "100.00",
        "-3",
        "",
        "",
    )
    assert bob["adverse_events"] == "2"


def test_spreadsheet_formulas_in_names_are_defused(client, clinician) -> None:
    patient = PatientFactory(last_name="=HYPERLINK(1)")
    course_of_treatment(patient=patient, sessions=1, start=timezone.now() - dt.timedelta(weeks=2))
    client.force_login(clinician)

    (row,) = _export(client, "outcomes")

    assert row["last_name"] == "'=HYPERLINK(1)"


def test_every_export_is_in_the_access_log_with_kind_and_range(client, clinician) -> None:
    client.force_login(clinician)

    client.get(
        reverse("outcomes:export-injections"),
        {"date_from": "2026-01-01", "date_to": "2026-03-31", "deidentified": "on"},
    )

    event = AccessEvent.objects.get(action=Action.EXPORTED)
    assert (event.user, event.object_type, event.object_id) == (
        clinician,
        "outcomes.export.injections.deidentified",
        "2026-01-01/2026-03-31",
    )


def test_a_bad_range_gets_a_400_page_with_the_reason_and_no_file(client, clinician) -> None:
    client.force_login(clinician)

    response = client.get(
        reverse("outcomes:export-outcomes"), {"date_from": "2020-01-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 400
    assert "Choose at most three years." in response.content.decode()


@pytest.mark.parametrize("sessions", [1, 4])
def test_exports_read_the_database_in_a_fixed_number_of_queries(
    client, clinician, sessions, django_assert_num_queries
) -> None:
    course_of_treatment(sessions=sessions, start=timezone.now() - dt.timedelta(weeks=12 * sessions))
    client.force_login(clinician)
    params = {"date_from": (timezone.localdate() - dt.timedelta(weeks=60)).isoformat()}

    # session, the user with their permissions, the access-log row, then one
    # query per export whatever the number of rows (a server-side cursor read in chunks)
    with django_assert_num_queries(4):
        response = client.get(reverse("outcomes:export-injections"), params)
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == 1 + 5 * sessions
