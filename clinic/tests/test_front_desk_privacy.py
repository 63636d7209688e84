"""The front desk never receives clinical data: not in a page, a fragment, an
export, an API answer or an error page.

A marker is written into every clinical text field of every row (and into
muscle names, which say where a patient was injected), then every URL is
opened as the front desk, whatever the access table expects for it.
"""

from __future__ import annotations

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from clinic.tests import access_table as table
from clinic.tests.security_checks import overwrite_text
from followups.models import SurveyResponse
from patients.models import Consent, Precautions
from procedures.models import AdverseEvent, Amendment, Muscle, TreatmentSession, TriggerPoint

pytestmark = pytest.mark.django_db

MARKER = "CLINICAL-MARKER-"
CLINICAL_TEXT = {
    Precautions: ["allergies", "notes"],
    Consent: ["witness_name"],
    TreatmentSession: ["indication", "vitals", "aftercare_notes", "override_reason"],
    TriggerPoint: ["referred_pain"],
    Amendment: ["reason", "text"],
    AdverseEvent: ["description"],
    SurveyResponse: ["comment"],
    Muscle: ["name"],
}
GET_ROWS = [row for row in table.ROWS if row.method == "get"]


def _mark_every_clinical_field() -> None:
    overwrite_text(CLINICAL_TEXT, Concat(Value(MARKER), Cast("pk", CharField())))


def _assert_nothing_clinical(response, label: str) -> None:
    assert MARKER not in response.content.decode(errors="replace"), label


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.name)
def test_no_url_gives_the_front_desk_clinical_text(row: table.Row, client, front_desk) -> None:
    url = reverse(row.name, kwargs=row.make_kwargs())
    _mark_every_clinical_field()
    client.force_login(front_desk)

    _assert_nothing_clinical(client.get(url), f"front desk GET {url}")


def test_the_front_desks_view_of_a_treated_patient_has_nothing_clinical(
    client, front_desk, clinician, typed_record
) -> None:
    _mark_every_clinical_field()
    patient, appointment = typed_record["patient"], typed_record["appointment"]
    client.force_login(clinician)
    assert MARKER in client.get(reverse("patients:chart", args=[patient.pk])).content.decode()
    client.force_login(front_desk)
    day = timezone.localtime(appointment.starts_at).date().isoformat()

    for url, query in (
        (reverse("patients:chart", args=[patient.pk]), {}),
        (reverse("scheduling:appointment", args=[appointment.pk]), {}),
        (reverse("scheduling:patient_appointments", args=[patient.pk]), {}),
        (reverse("scheduling:day"), {"date": day}),
        (reverse("scheduling:week"), {"date": day}),
        (reverse("patients:list"), {"q": patient.mrn}),
        (reverse("fhir:everything", args=[patient.pk]), {}),
        (reverse("procedures:session", args=[typed_record["session"].pk]), {}),
    ):
        _assert_nothing_clinical(client.get(url, query), url)
