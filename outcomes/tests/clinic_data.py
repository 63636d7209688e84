"""A few weeks of clinic life with known figures, for the dashboard and export tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from clinic.tests.factories import UserFactory
from followups.models import FollowUpKind, FollowUpStatus
from followups.tests.factories import FollowUpFactory
from outcomes.tests.factories import (
    AdverseEventFactory,
    Dose,
    answers,
    course_of_treatment,
    muscle,
    session_with_injections,
)
from patients.models import Patient
from patients.tests.factories import PatientFactory
from procedures.models import AdverseEvent, TreatmentSession
from procedures.tests.factories import ProductFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory


@dataclass(frozen=True)
class ClinicWeeks:
    alice: Patient
    bob: Patient
    alice_session: TreatmentSession
    bob_session: TreatmentSession


def clinic_weeks_build() -> ClinicWeeks:
    """Inside the last 12 weeks:

    - Alice, 7 weeks ago: 35 U Botox (20 trapezius in 2 injections, 15 levator in 3);
      pain 7, then 4 at 2 weeks (meaningful) and 6 at 6 weeks (not); a headache.
      Her vial is closed with 65 U wasted.
    - Bob, 3 weeks ago: 100 U Dysport in 2 injections; pain 6, then 3 at 2 weeks
      (meaningful); local pain twice.
    - Follow-ups: the three surveys sent and answered, one day-after check
      failed, one overdue, one pending but not yet overdue.
    - Appointments: one completed, one no-show, one cancelled, one still to come.

    And one signed session 20 weeks ago, outside the range.
    """
    now = timezone.now()
    alice = course_of_treatment(sessions=1, start=now - dt.timedelta(weeks=7))
    alice_session = alice.sessions.get()
    dysport = ProductFactory(
        brand_name="Dysport", generic_name="abobotulinumtoxinA", vial_sizes=[300, 500]
    )
    bob = PatientFactory()
    bob_session = session_with_injections(
        patient=bob,
        started_at=now - dt.timedelta(weeks=3),
        pain_before=6,
        product=dysport,
        doses=[Dose(muscle("gluteus-medius", "Gluteus medius"), "left", 100, per_injection=50)],
    )
    answers(bob_session, pain_2w=3, pain_6w=None)
    course_of_treatment(sessions=1, start=now - dt.timedelta(weeks=20))

    vial = alice_session.trigger_points.first().injections.first().vial
    vial.closed_at, vial.closed_by, vial.waste_units = now, UserFactory(), Decimal(65)
    vial.save()

    AdverseEventFactory(session=alice_session, kind=AdverseEvent.Kind.HEADACHE)
    AdverseEventFactory.create_batch(2, session=bob_session, kind=AdverseEvent.Kind.LOCAL_PAIN)

    FollowUpFactory(
        session=bob_session,
        kind=FollowUpKind.DAY_AFTER,
        status=FollowUpStatus.FAILED,
        due_at=now - dt.timedelta(days=20),
    )
    FollowUpFactory(
        session=alice_session,
        kind=FollowUpKind.DAY_AFTER,
        status=FollowUpStatus.PENDING,
        due_at=now - dt.timedelta(hours=2),
    )
    FollowUpFactory(
        session=alice_session,
        kind=FollowUpKind.RETREATMENT_REMINDER,
        status=FollowUpStatus.PENDING,
        due_at=now - dt.timedelta(minutes=10),
    )

    for days_ago, status in ((30, AppointmentStatus.COMPLETED), (20, AppointmentStatus.NO_SHOW)):
        AppointmentFactory(start=now - dt.timedelta(days=days_ago), status=status)
    AppointmentFactory(
        start=now - dt.timedelta(days=10),
        status=AppointmentStatus.CANCELLED,
        cancel_reason="Patient unwell",
    )
    AppointmentFactory(start=now + dt.timedelta(days=3))
    return ClinicWeeks(alice, bob, alice_session, bob_session)
