from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from followups.models import Alert, FollowUp, FollowUpKind, FollowUpStatus, SurveyResponse
from procedures.models import TreatmentSession
from procedures.tests.factories import TreatmentSessionFactory


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    kind = FollowUpKind.DAY_AFTER
    session = factory.SubFactory(TreatmentSessionFactory, signed=True)
    patient = factory.SelfAttribute("session.patient")
    due_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=1))


def due_followups(count: int, *, kind: str = FollowUpKind.DAY_AFTER) -> list[FollowUp]:
    """`count` due follow-ups for one patient, each on its own signed session, in bulk."""
    first = TreatmentSessionFactory(signed=True)
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            patient=first.patient,
            clinician=first.clinician,
            product=first.product,
            started_at=first.started_at - dt.timedelta(days=n),
            status=first.status,
            signed_at=first.signed_at,
            signed_by=first.signed_by,
        )
        for n in range(1, count)
    )
    due_at = timezone.now() - dt.timedelta(minutes=1)
    return FollowUp.objects.bulk_create(
        FollowUp(kind=kind, session=session, patient=first.patient, due_at=due_at)
        for session in [first, *sessions]
    )


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """Answers without warning signs; pass e.g. double_vision=True for one."""

    class Meta:
        model = SurveyResponse

    followup = factory.SubFactory(
        FollowUpFactory, kind=FollowUpKind.SURVEY_2W, status=FollowUpStatus.SENT
    )
    session = factory.SelfAttribute("followup.session")
    patient = factory.SelfAttribute("followup.patient")
    pain_now = 3
    pgic = 2
    trouble_swallowing = False
    trouble_speaking = False
    trouble_breathing = False
    drooping_eyelid = False
    double_vision = False
    new_weakness = False


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    response = factory.SubFactory(SurveyResponseFactory, double_vision=True)
    session = factory.SelfAttribute("response.session")
    clinician = factory.SelfAttribute("response.session.clinician")
