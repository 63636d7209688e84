"""Due times are computed on the clinic's clock and stored in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from followups.models import FollowUpKind
from followups.timing import reminder_due, session_followups_due
from procedures.tests.factories import ProductFactory, TreatmentSessionFactory

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def _local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def _new_york(settings) -> None:
    settings.CLINIC_TIME_ZONE = "America/New_York"


@pytest.mark.django_db
def test_session_follow_ups_leave_at_nine_local_on_their_days() -> None:
    session = TreatmentSessionFactory.build(
        started_at=_local(2026, 5, 4, 15, 30), product=ProductFactory(min_retreatment_days=84)
    )

    due = session_followups_due(session=session)

    assert {kind: when.astimezone(NEW_YORK) for kind, when in due.items()} == {
        FollowUpKind.DAY_AFTER: _local(2026, 5, 5, 9, 0),
        FollowUpKind.SURVEY_2W: _local(2026, 5, 18, 9, 0),
        FollowUpKind.SURVEY_6W: _local(2026, 6, 15, 9, 0),
        FollowUpKind.RETREATMENT_REMINDER: _local(2026, 7, 27, 9, 0),
    }
    assert all(when.tzinfo == UTC for when in due.values())


@pytest.mark.django_db
def test_survey_due_across_the_spring_clock_change_leaves_at_nine_not_eight_or_ten() -> None:
    # Clocks go forward on 2026-03-08 in New York: 09:00 is 14:00 UTC before, 13:00 after.
    session = TreatmentSessionFactory.build(started_at=_local(2026, 2, 28, 11, 0))

    due = session_followups_due(session=session)

    assert due[FollowUpKind.SURVEY_2W] == dt.datetime(2026, 3, 14, 13, 0, tzinfo=UTC)
    assert due[FollowUpKind.SURVEY_2W].astimezone(NEW_YORK).hour == 9
    assert due[FollowUpKind.DAY_AFTER] == dt.datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_day_after_on_the_morning_of_the_spring_change_is_at_nine_local() -> None:
    session = TreatmentSessionFactory.build(started_at=_local(2026, 3, 7, 16, 0))

    due = session_followups_due(session=session)

    assert due[FollowUpKind.DAY_AFTER] == dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_survey_due_across_the_autumn_clock_change_leaves_at_nine_local() -> None:
    # Clocks go back on 2026-11-01: 09:00 is 13:00 UTC before and 14:00 after.
    session = TreatmentSessionFactory.build(started_at=_local(2026, 10, 26, 10, 0))

    due = session_followups_due(session=session)

    assert due[FollowUpKind.SURVEY_2W] == dt.datetime(2026, 11, 9, 14, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_day_after_counts_from_the_local_day_not_the_utc_day() -> None:
    # 21:00 in New York is already the next day in UTC.
    session = TreatmentSessionFactory.build(started_at=_local(2026, 5, 4, 21, 0))

    due = session_followups_due(session=session)

    assert due[FollowUpKind.DAY_AFTER].astimezone(NEW_YORK) == _local(2026, 5, 5, 9, 0)


def test_other_clinic_time_zone_and_send_time_come_from_settings(settings) -> None:
    settings.CLINIC_TIME_ZONE = "Europe/Paris"
    settings.FOLLOWUP_LOCAL_TIME = dt.time(10, 30)
    session = TreatmentSessionFactory.build(
        started_at=dt.datetime(2026, 5, 4, 12, 0, tzinfo=UTC), product=None
    )

    due = session_followups_due(session=session)

    assert due[FollowUpKind.DAY_AFTER] == dt.datetime(2026, 5, 5, 8, 30, tzinfo=UTC)
    assert due[FollowUpKind.RETREATMENT_REMINDER].date() == dt.date(2026, 7, 27)


def test_reminder_is_the_same_clock_time_the_day_before() -> None:
    starts_at = _local(2026, 6, 10, 14, 0)

    due = reminder_due(starts_at=starts_at, now=_local(2026, 6, 1, 9, 0))

    assert due == _local(2026, 6, 9, 14, 0).astimezone(UTC)


def test_reminder_across_the_spring_change_keeps_the_clock_time() -> None:
    starts_at = _local(2026, 3, 8, 10, 0)  # Sunday, first day of daylight time

    due = reminder_due(starts_at=starts_at, now=_local(2026, 3, 1, 9, 0))

    assert due.astimezone(NEW_YORK) == _local(2026, 3, 7, 10, 0)


def test_reminder_for_an_appointment_booked_within_a_day_goes_at_once() -> None:
    now = _local(2026, 6, 10, 9, 0)

    due = reminder_due(starts_at=now + dt.timedelta(hours=5), now=now)

    assert due == now


def test_no_reminder_for_an_appointment_two_hours_away_or_less() -> None:
    now = _local(2026, 6, 10, 9, 0)

    assert reminder_due(starts_at=now + dt.timedelta(hours=2), now=now) is None
    assert reminder_due(starts_at=now + dt.timedelta(minutes=30), now=now) is None
