from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from clinic.demo import seed_users
from procedures import demo
from procedures.models import Lot, SessionStatus, TreatmentSession, Vial
from scheduling.clock import at_local, local_today
from scheduling.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_leaves_a_patient_ready_to_document() -> None:
    seed_users()

    demo.seed()
    counts = (Lot.objects.count(), Vial.objects.count(), TreatmentSession.objects.count())
    demo.seed()

    assert (Lot.objects.count(), Vial.objects.count(), TreatmentSession.objects.count()) == counts
    signed = TreatmentSession.objects.filter(status=SessionStatus.SIGNED)
    assert signed.count() == 9
    assert all(session.trigger_points.exists() for session in signed)
    today = timezone.localdate()
    assert Lot.objects.filter(expires_on__lte=today + dt.timedelta(days=30)).exists()
    assert Vial.objects.filter(closed_at=None, use_by__gt=timezone.now()).count() == 1
    waiting = Appointment.objects.get(
        status=AppointmentStatus.ARRIVED, appointment_type__kind="injection"
    )
    assert timezone.localtime(waiting.starts_at).date() == today
    assert not hasattr(waiting, "treatment_session")


@pytest.mark.parametrize("clock", ["06:10", "08:35", "09:50", "10:50", "12:45", "16:50", "21:30"])
def test_whatever_the_time_of_day_the_full_demo_leaves_a_patient_checked_in_for_today(
    settings, time_machine, clock: str
) -> None:
    settings.DEBUG = True
    time_machine.move_to(at_local(local_today(), dt.time.fromisoformat(clock)))

    call_command("seed_demo")

    waiting = Appointment.objects.filter(
        status=AppointmentStatus.ARRIVED, appointment_type__kind="injection"
    )
    assert [timezone.localtime(a.starts_at).date() for a in waiting][:1] == [local_today()]
