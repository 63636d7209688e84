"""What the FHIR API reads, each part loaded once with its related rows.

Only signed sessions are shared: a draft is not yet part of the record, and
its points and injections may still change or go.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from clinic.models import User
from clinic.revisions import PATIENT, REFERENCE, revision_of
from clinic.roles import CLINICIAN
from followups.models import SurveyResponse
from patients.models import Consent, Patient
from procedures.models import Injection, SessionStatus, TreatmentSession, TriggerPoint
from scheduling.models import Appointment


def appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("clinician", "room", "appointment_type")


def signed_sessions() -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(status=SessionStatus.SIGNED).select_related("clinician")


def sessions_with_points() -> QuerySet[TreatmentSession]:
    """Signed sessions with their trigger points, injections and adverse events:
    four queries for any number of sessions."""
    injections = Injection.objects.select_related("vial__lot__product").order_by("id")
    points = (
        TriggerPoint.objects.select_related("muscle")
        .prefetch_related(Prefetch("injections", queryset=injections))
        .order_by("number")
    )
    return signed_sessions().prefetch_related(
        Prefetch("trigger_points", queryset=points), "adverse_events"
    )


def signed_trigger_points() -> QuerySet[TriggerPoint]:
    return TriggerPoint.objects.filter(session__status=SessionStatus.SIGNED).select_related(
        "muscle", "session"
    )


def signed_injections() -> QuerySet[Injection]:
    return Injection.objects.filter(
        trigger_point__session__status=SessionStatus.SIGNED
    ).select_related(
        "trigger_point__muscle", "trigger_point__session__clinician", "vial__lot__product"
    )


def survey_responses() -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(session__status=SessionStatus.SIGNED).select_related(
        "followup"
    )


def consents() -> QuerySet[Consent]:
    return Consent.objects.select_related("form")


def practitioners() -> QuerySet[User]:
    """Clinicians, and anyone who has seen a patient (whatever their role now)."""
    return User.objects.filter(
        Q(groups__name=CLINICIAN)
        | Exists(TreatmentSession.objects.filter(clinician=OuterRef("pk")))
        | Exists(Appointment.objects.filter(clinician=OuterRef("pk")))
    ).distinct()


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a correlated queryset, as an annotation (0 when there are none)."""
    counted = queryset.order_by().annotate(
        count=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Subquery(counted.values("count"))


def patient_with_part_counts(patient_id: int) -> Patient | None:
    """The patient with how many appointments and consents their record
    holds and the clinicians of those appointments (for paging $everything),
    and their revisions (clinic.revisions), in one query."""
    this = OuterRef("pk")
    appointments = Appointment.objects.filter(patient=this).order_by()
    return (
        Patient.objects.filter(pk=patient_id)
        .annotate(
            appointment_count=_count_of(appointments),
            appointment_clinician_ids=ArraySubquery(appointments.values("clinician").distinct()),
            consent_count=_count_of(Consent.objects.filter(patient=this)),
            revision=revision_of(PATIENT, "patients_patient.id"),
            reference_revision=revision_of(REFERENCE),
        )
        .first()
    )


def signed_session_shapes(patient: Patient) -> QuerySet:
    """Each signed session's id, clinician, pain before and numbers of trigger
    points, injections and survey answers, in record order: one query, no
    rows of them read."""
    this = OuterRef("pk")
    return (
        TreatmentSession.objects.filter(patient=patient, status=SessionStatus.SIGNED)
        .order_by("started_at", "pk")
        .annotate(
            point_count=_count_of(TriggerPoint.objects.filter(session=this)),
            injection_count=_count_of(Injection.objects.filter(trigger_point__session=this)),
            answer_count=_count_of(SurveyResponse.objects.filter(session=this)),
        )
        .values("pk", "clinician", "pain_before", "point_count", "injection_count", "answer_count")
    )


class PatientRecord:
    """One patient's record, each part loaded on first use with a fixed
    number of queries, so a search reads only what its type needs."""

    def __init__(self, patient: Patient) -> None:
        self.patient = patient

    @cached_property
    def appointments(self) -> list[Appointment]:
        return list(appointments().filter(patient=self.patient).order_by("timespan"))

    @cached_property
    def sessions(self) -> list[TreatmentSession]:
        return list(sessions_with_points().filter(patient=self.patient).order_by("started_at"))

    @cached_property
    def survey_responses(self) -> list[SurveyResponse]:
        return list(
            survey_responses().filter(session__patient=self.patient).order_by("submitted_at")
        )

    @cached_property
    def consents(self) -> list[Consent]:
        return list(consents().filter(patient=self.patient).order_by("signed_on"))

    @property
    def trigger_points(self) -> list[TriggerPoint]:
        return [point for session in self.sessions for point in session.trigger_points.all()]

    @property
    def injections(self) -> list[Injection]:
        return [injection for point in self.trigger_points for injection in point.injections.all()]
