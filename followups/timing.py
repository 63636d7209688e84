"""When each follow-up is due.

Calendar arithmetic happens in the clinic's time zone ("14 days later at
09:00 local", "the same clock time the day before"), and the result is
stored in UTC, so a survey due across a clock change still leaves at 09:00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from followups.models import FollowUpKind
from procedures.models import TreatmentSession


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def local_morning(*, day: dt.date) -> dt.datetime:
    """The follow-up send time (09:00 by default) on `day`, local, as UTC."""
    local = dt.datetime.combine(day, settings.FOLLOWUP_LOCAL_TIME, tzinfo=clinic_zone())
    return local.astimezone(dt.UTC)


def session_followups_due(*, session: TreatmentSession) -> dict[str, dt.datetime]:
    """Due time of each follow-up of a signed session, counted from its local day."""
    session_day = session.started_at.astimezone(clinic_zone()).date()
    retreatment_days = (
        session.product.min_retreatment_days
        if session.product
        else settings.FOLLOWUP_RETREATMENT_DEFAULT_DAYS
    )
    days_after = {
        FollowUpKind.DAY_AFTER: settings.FOLLOWUP_DAY_AFTER_DAYS,
        FollowUpKind.SURVEY_2W: settings.FOLLOWUP_SURVEY_2W_DAYS,
        FollowUpKind.SURVEY_6W: settings.FOLLOWUP_SURVEY_6W_DAYS,
        FollowUpKind.RETREATMENT_REMINDER: retreatment_days,
    }
    return {
        kind: local_morning(day=session_day + dt.timedelta(days=days))
        for kind, days in days_after.items()
    }


def reminder_due(*, starts_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """When to remind of an appointment starting at `starts_at`, or None for no reminder.

    The same clock time the day before (aware arithmetic in the clinic's zone
    is wall-clock arithmetic); at once if that has passed but the appointment
    is still more than the minimum notice away.
    """
    local_start = starts_at.astimezone(clinic_zone())
    due = (local_start - settings.FOLLOWUP_REMINDER_BEFORE).astimezone(dt.UTC)
    if due > now:
        return due
    if starts_at - now > settings.FOLLOWUP_REMINDER_MIN_NOTICE:
        return now
    return None
