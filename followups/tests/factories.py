from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from followups.models import FollowUp, FollowUpKind
from procedures.tests.factories import TreatmentSessionFactory


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    kind = FollowUpKind.DAY_AFTER
    session = factory.SubFactory(TreatmentSessionFactory, signed=True)
    patient = factory.SelfAttribute("session.patient")
    due_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=1))
