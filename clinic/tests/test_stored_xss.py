"""Stored XSS: script and onerror payloads typed into any stored text field
come back as text on every page that shows them.

Every text field a user or patient can type into is overwritten with the probe
straight in the database (so the test reaches records the app itself would no
longer let anyone edit, such as signed sessions), then the pages are walked.
"""

from __future__ import annotations

import pytest
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from clinic.tests import access_table as table
from clinic.tests.security_checks import (
    XSS_PROBE,
    assert_escaped,
    overwrite_text,
    signed_in_clients,
)
from followups.models import SurveyResponse
from patients.models import Consent, Patient, Precautions
from procedures.models import AdverseEvent, Amendment, TreatmentSession, TriggerPoint
from scheduling.models import Appointment, AppointmentChange, TimeOff

pytestmark = pytest.mark.django_db

TYPED_TEXT = {
    User: ["first_name", "last_name"],
    Patient: ["first_name", "last_name", "preferred_name", "address_line1", "city"],
    Precautions: ["allergies", "notes"],
    Consent: ["witness_name"],
    Appointment: ["note", "cancel_reason", "hours_override_reason"],
    AppointmentChange: ["reason"],
    TimeOff: ["reason"],
    TreatmentSession: ["indication", "vitals", "aftercare_notes", "override_reason"],
    TriggerPoint: ["referred_pain"],
    Amendment: ["reason", "text"],
    AdverseEvent: ["description"],
    SurveyResponse: ["comment"],
}
HTML_GET_ROWS = [row for row in table.ROWS if row.method == "get"]


def _probe_every_typed_field() -> None:
    """The probe (with the row id, for unique names) in every typed field of every row."""
    overwrite_text(TYPED_TEXT, Concat(Value(XSS_PROBE), Cast("pk", CharField())))


def _assert_no_live_markup(response, label: str) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return  # JSON, CSV and calendar feeds are not rendered by a browser as HTML
    html = response.content.decode()
    assert "<script>alert" not in html, label
    assert "<img src=x onerror" not in html, label


@pytest.mark.parametrize("row", HTML_GET_ROWS, ids=lambda row: row.name)
def test_no_page_renders_a_stored_probe_as_markup(row: table.Row, personas) -> None:
    url = reverse(row.name, kwargs=row.make_kwargs())
    _probe_every_typed_field()

    for persona, client in signed_in_clients(personas).items():
        if row.expected[persona] == table.OK:
            _assert_no_live_markup(client.get(url), f"{persona} GET {url}")


def test_the_chart_record_print_view_and_surveys_show_the_probe_as_text(
    client, clinician, typed_record
) -> None:
    _probe_every_typed_field()
    patient, session = typed_record["patient"], typed_record["session"]
    client.force_login(clinician)

    for url in (
        reverse("patients:chart", args=[patient.pk]),
        reverse("procedures:session", args=[session.pk]),
        reverse("procedures:session_print", args=[session.pk]),
        reverse("procedures:patient_history", args=[patient.pk]),
        reverse("followups:session_surveys", args=[session.pk]),
        reverse("followups:patient_surveys", args=[patient.pk]),
        reverse("outcomes:patient", args=[patient.pk]),
        reverse("patients:precautions", args=[patient.pk]),
    ):
        assert_escaped(client.get(url))


def test_the_front_desks_pages_show_the_probe_as_text(client, front_desk, typed_record) -> None:
    _probe_every_typed_field()
    appointment = typed_record["appointment"]
    client.force_login(front_desk)
    day = timezone.localtime(appointment.starts_at).date()

    for response in (
        client.get(reverse("patients:chart", args=[typed_record["patient"].pk])),
        client.get(reverse("scheduling:appointment", args=[appointment.pk])),
        client.get(reverse("scheduling:day"), {"date": day.isoformat()}),
        client.get(reverse("patients:list"), {"q": typed_record["patient"].mrn}),
    ):
        assert_escaped(response)
