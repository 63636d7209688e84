"""A patient with a full record, for the FHIR tests and the access table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from clinic.tests.factories import UserFactory
from fhir_api.services import api_token_create
from followups.models import FollowUpKind
from outcomes.tests.factories import AdverseEventFactory, course_of_treatment
from patients.models import Patient
from patients.tests.factories import ConsentFactory, PatientFactory
from procedures.models import Injection, TreatmentSession, TriggerPoint
from procedures.tests.factories import TreatmentSessionFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory


@dataclass(frozen=True)
class Record:
    patient: Patient
    first_session: TreatmentSession
    draft_session: TreatmentSession

    @property
    def injection(self) -> Injection:
        return Injection.objects.filter(trigger_point__session=self.first_session).first()

    @property
    def trigger_point(self) -> TriggerPoint:
        return self.first_session.trigger_points.first()

    @property
    def survey_response_id(self) -> int:
        """The first session's 2-week answer."""
        answers = self.first_session.survey_responses
        return answers.get(followup__kind=FollowUpKind.SURVEY_2W).pk


def record_build(*, sessions: int = 2) -> Record:
    """Signed sessions (two muscles, both surveys answered), the first one
    booked and with an adverse event, a consent, and a draft session."""
    start = timezone.now() - dt.timedelta(weeks=12 * sessions)
    patient = PatientFactory()
    clinician = UserFactory(role="Clinician")
    appointment = AppointmentFactory(
        patient=patient, clinician=clinician, start=start, status=AppointmentStatus.COMPLETED
    )
    course_of_treatment(
        patient=patient,
        sessions=sessions,
        start=start,
        clinician=clinician,
        first_appointment=appointment,
    )
    first = patient.sessions.order_by("started_at").first()
    AdverseEventFactory(session=first)
    ConsentFactory(patient=patient, signed_on=timezone.localdate(start) - dt.timedelta(days=1))
    draft = TreatmentSessionFactory(patient=patient, clinician=first.clinician)
    return Record(patient=patient, first_session=first, draft_session=draft)


def token_for(role: str) -> str:
    _, raw = api_token_create(name=f"{role} system", role=role, created_by=None)
    return raw


def ids_of_each_type(record: Record) -> dict[str, str]:
    return {
        "Patient": str(record.patient.pk),
        "Practitioner": str(record.first_session.clinician_id),
        "Appointment": str(record.first_session.appointment_id),
        "Encounter": str(record.first_session.pk),
        "Procedure": str(record.first_session.pk),
        "MedicationAdministration": str(record.injection.pk),
        "Observation": f"pain-before-{record.first_session.pk}",
        "BodyStructure": str(record.trigger_point.pk),
        "Consent": str(record.patient.consents.first().pk),
    }
