"""The patient chart: the patients app's own parts, and the sections other apps fill.

Each section is one `{% include %}` on the chart page, shown only to users
who hold its permission, so its data is never even read for anyone else.
A section names a selector `(*, patient) -> data` as `loader` and a chart
partial that receives that result as `data` and hands it to the owning
app's own partial (patients/chart/_appointments.html includes
scheduling/_chart_appointments.html, and so on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

from clinic.models import User
from patients.models import Consent, Patient, Precautions
from patients.selectors import (
    consent_history,
    consent_is_valid,
    precautions_of,
    precautions_review_due,
)

CLINICAL_PERMISSION = "patients.view_clinical_summary"


@dataclass(frozen=True)
class ChartSection:
    key: str
    template: str
    permission: str
    loader: str | None = None


CHART_SECTIONS: list[ChartSection] = [
    ChartSection(
        "appointments",
        "patients/chart/_appointments.html",
        "scheduling.view_appointment",
        loader="scheduling.selectors.patient_appointments",
    ),
    ChartSection(
        "treatments",
        "procedures/_chart_history.html",
        "procedures.view_treatmentsession",
        loader="procedures.selectors.chart_recent_history_context",
    ),
    ChartSection(
        "followups",
        "patients/chart/_followups.html",
        "followups.view_surveyresponse",
        loader="followups.selectors.chart_survey_responses",
    ),
    ChartSection(
        "outcomes",
        "patients/chart/_outcomes.html",
        "outcomes.view_patient_outcomes",
        loader="outcomes.partials.patient_recent_outcome_summary",
    ),
]


@dataclass(frozen=True)
class FilledSection:
    key: str
    template: str
    data: Any


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: str  # "valid", "expired" or "revoked"


@dataclass(frozen=True)
class ClinicalSummary:
    """What a clinician sees and the front desk never receives."""

    precautions: Precautions | None
    consents: list[ConsentRow]
    valid_consent: Consent | None


@dataclass(frozen=True)
class Chart:
    patient: Patient
    precautions_review_due: bool
    clinical: ClinicalSummary | None
    sections: list[FilledSection]


def chart_for(*, patient: Patient, user: User) -> Chart:
    """`patient` may come with its precautions (select_related), saving a query."""
    precautions = _precautions(patient)
    return Chart(
        patient=patient,
        precautions_review_due=precautions_review_due(precautions=precautions),
        clinical=_clinical_summary(patient, precautions)
        if user.has_perm(CLINICAL_PERMISSION)
        else None,
        sections=[
            FilledSection(section.key, section.template, _load(section, patient))
            for section in CHART_SECTIONS
            if user.has_perm(section.permission)
        ],
    )


def chart_changes_at(chart: Chart) -> dt.datetime | None:
    """When the clock alone changes the chart before the day ends: the first
    coming appointment's end, when it moves from "coming" to the history."""
    coming = [
        appointment
        for section in chart.sections
        if section.key == "appointments"
        for appointment in section.data.upcoming
    ]
    return min((appointment.ends_at for appointment in coming), default=None)


def _precautions(patient: Patient) -> Precautions | None:
    if Patient.precautions.is_cached(patient):
        return getattr(patient, "precautions", None)  # None when the patient has none
    return precautions_of(patient=patient)


def _clinical_summary(patient: Patient, precautions: Precautions | None) -> ClinicalSummary:
    today = timezone.localdate()
    rows = [
        ConsentRow(consent, _consent_status(consent, today))
        for consent in consent_history(patient=patient)
    ]
    return ClinicalSummary(
        precautions=precautions,
        consents=rows,
        valid_consent=next((row.consent for row in rows if row.status == "valid"), None),
    )


def _consent_status(consent: Consent, today: dt.date) -> str:
    if consent.revoked_at is not None:
        return "revoked"
    return "valid" if consent_is_valid(consent, on=today) else "expired"


def _load(section: ChartSection, patient: Patient) -> Any:
    if section.loader is None:
        return None
    return import_string(section.loader)(patient=patient)
