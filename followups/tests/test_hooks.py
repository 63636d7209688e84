"""The hooks the scheduling and procedures services call inside their transactions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from followups.models import FollowUp, FollowUpKind, FollowUpStatus
from followups.services import (
    CANCELLED_APPOINTMENT,
    CANCELLED_SHORT_NOTICE,
    SKIP_SIGNED_LATE,
    followups_on_appointment_booked,
    followups_on_appointment_changed,
    followups_on_session_signed,
)
from followups.tests.factories import FollowUpFactory
from procedures.tests.factories import TreatmentSessionFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _reminder(appointment) -> FollowUp:
    return FollowUp.objects.get(kind=FollowUpKind.APPOINTMENT_REMINDER, appointment=appointment)


def _move(appointment, *, start: dt.datetime) -> None:
    appointment.timespan = DateTimeTZRange(start, start + dt.timedelta(minutes=30), "[)")
    appointment.save()
    followups_on_appointment_changed(appointment=appointment)


def test_booking_queues_a_reminder_the_day_before() -> None:
    start = timezone.now() + dt.timedelta(days=3)
    appointment = AppointmentFactory(start=start)

    with transaction.atomic():
        followups_on_appointment_booked(appointment=appointment)

    reminder = _reminder(appointment)
    assert reminder.status == FollowUpStatus.PENDING
    assert reminder.patient == appointment.patient
    assert reminder.due_at == start - dt.timedelta(days=1)


def test_booking_for_tomorrow_morning_queues_the_reminder_now() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(hours=20))
    before = timezone.now()

    followups_on_appointment_booked(appointment=appointment)

    assert before <= _reminder(appointment).due_at <= timezone.now()


def test_booking_two_hours_ahead_or_less_queues_no_reminder() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(minutes=90))

    followups_on_appointment_booked(appointment=appointment)

    assert not FollowUp.objects.filter(appointment=appointment).exists()


def test_a_rolled_back_booking_leaves_no_reminder() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))

    with pytest.raises(RuntimeError), transaction.atomic():
        followups_on_appointment_booked(appointment=appointment)
        raise RuntimeError("the booking failed after the hook")

    assert not FollowUp.objects.filter(appointment=appointment).exists()


def test_moving_an_appointment_re_times_its_reminder() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))
    followups_on_appointment_booked(appointment=appointment)
    new_start = timezone.now() + dt.timedelta(days=10)

    _move(appointment, start=new_start)

    reminder = _reminder(appointment)
    assert reminder.due_at == new_start - dt.timedelta(days=1)
    assert reminder.status == FollowUpStatus.PENDING


def test_moving_after_the_reminder_went_out_sends_a_new_one_for_the_new_time() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))
    followups_on_appointment_booked(appointment=appointment)
    FollowUp.objects.filter(appointment=appointment).update(
        status=FollowUpStatus.SENT, attempts=1, sent_at=timezone.now()
    )

    _move(appointment, start=timezone.now() + dt.timedelta(days=5))

    reminder = _reminder(appointment)
    assert (reminder.status, reminder.attempts) == (FollowUpStatus.PENDING, 0)


def test_moving_to_within_two_hours_cancels_the_reminder() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))
    followups_on_appointment_booked(appointment=appointment)

    _move(appointment, start=timezone.now() + dt.timedelta(hours=1))

    reminder = _reminder(appointment)
    assert (reminder.status, reminder.skip_reason) == (
        FollowUpStatus.CANCELLED,
        CANCELLED_SHORT_NOTICE,
    )


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_cancelling_or_a_no_show_cancels_the_reminder(status: str) -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))
    followups_on_appointment_booked(appointment=appointment)

    appointment.status = status
    appointment.cancel_reason = "Patient called"
    appointment.save()
    followups_on_appointment_changed(appointment=appointment)

    reminder = _reminder(appointment)
    assert (reminder.status, reminder.skip_reason) == (
        FollowUpStatus.CANCELLED,
        CANCELLED_APPOINTMENT,
    )


def test_cancelling_leaves_a_reminder_already_sent_as_it_was() -> None:
    appointment = AppointmentFactory(start=timezone.now() + dt.timedelta(days=3))
    followups_on_appointment_booked(appointment=appointment)
    FollowUp.objects.filter(appointment=appointment).update(status=FollowUpStatus.SENT)

    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancel_reason = "Patient called"
    appointment.save()
    followups_on_appointment_changed(appointment=appointment)

    assert _reminder(appointment).status == FollowUpStatus.SENT


def test_signing_queues_the_day_after_check_two_surveys_and_the_retreatment_reminder() -> None:
    session = TreatmentSessionFactory(signed=True)

    with transaction.atomic():
        followups_on_session_signed(session=session)

    rows = FollowUp.objects.filter(session=session)
    assert sorted(rows.values_list("kind", flat=True)) == sorted(
        [
            FollowUpKind.DAY_AFTER,
            FollowUpKind.SURVEY_2W,
            FollowUpKind.SURVEY_6W,
            FollowUpKind.RETREATMENT_REMINDER,
        ]
    )
    assert {row.status for row in rows} == {FollowUpStatus.PENDING}
    assert {row.patient_id for row in rows} == {session.patient_id}


def test_signing_twice_queues_each_follow_up_once() -> None:
    session = TreatmentSessionFactory(signed=True)
    followups_on_session_signed(session=session)
    FollowUp.objects.filter(session=session, kind=FollowUpKind.DAY_AFTER).update(
        status=FollowUpStatus.SENT
    )

    followups_on_session_signed(session=session)

    assert FollowUp.objects.filter(session=session).count() == 4
    day_after = FollowUp.objects.get(session=session, kind=FollowUpKind.DAY_AFTER)
    assert day_after.status == FollowUpStatus.SENT


def test_a_session_signed_weeks_late_skips_the_follow_ups_whose_day_has_passed() -> None:
    session = TreatmentSessionFactory(
        signed=True, started_at=timezone.now() - dt.timedelta(days=20)
    )

    followups_on_session_signed(session=session)

    statuses = dict(FollowUp.objects.filter(session=session).values_list("kind", "status"))
    assert statuses == {
        FollowUpKind.DAY_AFTER: FollowUpStatus.SKIPPED,
        FollowUpKind.SURVEY_2W: FollowUpStatus.SKIPPED,
        FollowUpKind.SURVEY_6W: FollowUpStatus.PENDING,
        FollowUpKind.RETREATMENT_REMINDER: FollowUpStatus.PENDING,
    }
    skipped = FollowUp.objects.filter(session=session, status=FollowUpStatus.SKIPPED)
    assert set(skipped.values_list("skip_reason", flat=True)) == {SKIP_SIGNED_LATE}


def test_follow_ups_of_other_sessions_are_untouched() -> None:
    other = FollowUpFactory()

    followups_on_session_signed(session=TreatmentSessionFactory(signed=True))

    other.refresh_from_db()
    assert other.status == FollowUpStatus.PENDING
