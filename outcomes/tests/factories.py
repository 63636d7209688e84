"""Factories for outcome data: survey answers, adverse events, and whole
courses of treatment (signed sessions with injections and answers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from clinic.models import User
from clinic.tests.factories import UserFactory
from followups.models import FollowUpKind, FollowUpStatus, SurveyResponse
from followups.tests import factories as followups_factories
from followups.tests.factories import FollowUpFactory
from patients.models import Patient
from patients.tests.factories import PatientFactory
from procedures.models import AdverseEvent, Muscle, Product, TreatmentSession, Vial
from procedures.tests.factories import (
    InjectionFactory,
    LotFactory,
    MuscleFactory,
    TreatmentSessionFactory,
    TriggerPointFactory,
    VialFactory,
    signed,
)
from scheduling.models import Appointment

SURVEY_DAYS = {FollowUpKind.SURVEY_2W: 14, FollowUpKind.SURVEY_6W: 42}


class SurveyResponseFactory(followups_factories.SurveyResponseFactory):
    """An answer to a survey sent on its day after the session; submitted
    three hours later unless `submitted_at` is given."""

    class Meta:
        skip_postgeneration_save = True

    followup = factory.SubFactory(
        FollowUpFactory,
        kind=FollowUpKind.SURVEY_2W,
        status=FollowUpStatus.SENT,
        due_at=factory.LazyAttribute(
            lambda f: f.session.started_at + dt.timedelta(days=SURVEY_DAYS.get(f.kind, 1))
        ),
        sent_at=factory.SelfAttribute("due_at"),
    )
    pain_now = 4

    @factory.post_generation
    def submitted_at(self, create: bool, extracted: dt.datetime | None, **kwargs: object) -> None:
        # submitted_at is auto_now_add: move it afterwards.
        moment = extracted or self.followup.due_at + dt.timedelta(hours=3)
        SurveyResponse.objects.filter(pk=self.pk).update(submitted_at=moment)
        self.submitted_at = moment


class AdverseEventFactory(factory.django.DjangoModelFactory):
    """Reported after the visit (in a survey), which a signed session still
    accepts; reactions observed in clinic are locked with the signature."""

    class Meta:
        model = AdverseEvent

    session = factory.SubFactory(TreatmentSessionFactory, signed=True)
    kind = AdverseEvent.Kind.LOCAL_PAIN
    severity = AdverseEvent.Severity.MILD
    source = AdverseEvent.Source.SURVEY


def muscle(slug: str, name: str, *, on_front: bool = False) -> Muscle:
    return MuscleFactory(slug=slug, name=name, on_front=on_front, on_back=not on_front)


@dataclass(frozen=True)
class Dose:
    """Units into one muscle and side, as injections of `per_injection` units."""

    muscle: Muscle
    side: str
    units: int
    per_injection: int = 10
    x: str = "0.4000"
    y: str = "0.2000"
    view: str = "back"


def session_with_injections(
    *,
    patient: Patient,
    started_at: dt.datetime,
    doses: list[Dose],
    pain_before: int | None = 7,
    product: Product | None = None,
    vial: Vial | None = None,
    sign: bool = True,
    **session_fields: object,
) -> TreatmentSession:
    """A signed session drawing every dose from one vial of the product
    (a draft with `sign=False`, to add more before signing)."""
    vial = vial or VialFactory(
        lot=LotFactory(**({"product": product} if product else {})), opened_at=started_at
    )
    session = TreatmentSessionFactory(
        patient=patient,
        started_at=started_at,
        pain_before=pain_before,
        product=vial.lot.product,
        **session_fields,
    )
    for number, dose in enumerate(doses, start=1):
        point = TriggerPointFactory(
            session=session,
            number=number,
            muscle=dose.muscle,
            side=dose.side,
            view=dose.view,
            x=Decimal(dose.x),
            y=Decimal(dose.y),
        )
        for _ in range(dose.units // dose.per_injection):
            InjectionFactory(trigger_point=point, vial=vial, units=Decimal(dose.per_injection))
    # Points and injections first: the database locks a signed session's points.
    return signed(session) if sign else session


def answers(session: TreatmentSession, *, pain_2w: int | None, pain_6w: int | None) -> None:
    """The 2- and 6-week survey answers of a session (None: not answered)."""
    for kind, pain in ((FollowUpKind.SURVEY_2W, pain_2w), (FollowUpKind.SURVEY_6W, pain_6w)):
        if pain is not None:
            SurveyResponseFactory(
                followup__session=session, followup__kind=kind, pain_now=pain, pgic=3
            )


def course_of_treatment(
    *,
    patient: Patient | None = None,
    sessions: int = 3,
    start: dt.datetime | None = None,
    clinician: User | None = None,
    first_appointment: Appointment | None = None,
) -> Patient:
    """A patient treated every 12 weeks by one clinician in two muscles, answering
    both surveys; pain before 7, 6, 5...; two weeks after, down by 3 (meaningful),
    six weeks after, down by 1."""
    patient = patient or PatientFactory()
    clinician = clinician or UserFactory(role="Clinician")
    start = start or timezone.now() - dt.timedelta(weeks=12 * sessions)
    trapezius = muscle("upper-trapezius", "Upper trapezius")
    levator = muscle("levator-scapulae", "Levator scapulae")
    for index in range(sessions):
        pain = 7 - index
        session = session_with_injections(
            patient=patient,
            started_at=start + dt.timedelta(weeks=12 * index),
            pain_before=pain,
            doses=[Dose(trapezius, "left", 20), Dose(levator, "right", 15, per_injection=5)],
            clinician=clinician,
            appointment=first_appointment if index == 0 else None,
        )
        answers(session, pain_2w=pain - 3, pain_6w=pain - 1)
    return patient
