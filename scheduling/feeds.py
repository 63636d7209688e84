"""A clinician's own appointments as an iCalendar feed.

The feed leaves the clinic (phones, calendar services), so it carries the
least that works: the time, the room, and the patient's initials. No names,
no appointment type, no notes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from scheduling.display import patient_initials
from scheduling.models import RELEASED_STATUSES, Appointment, CalendarFeed

PAST = timedelta(days=30)
AHEAD = timedelta(days=365)


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed this token opens, if its clinician may still use one."""
    feed = (
        CalendarFeed.objects.select_related("clinician")
        .filter(token_hash=feed_token_hash(token), clinician__is_active=True)
        .first()
    )
    if feed is None or not feed.clinician.has_perm("scheduling.use_calendar_feed"):
        return None
    return feed


def feed_appointments(feed: CalendarFeed, *, now: datetime | None = None) -> list[Appointment]:
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(
            clinician=feed.clinician,
            timespan__startswith__gte=now - PAST,
            timespan__startswith__lt=now + AHEAD,
        )
        .exclude(status__in=RELEASED_STATUSES)
        .select_related("patient", "room")
        .order_by("timespan")
    )


def calendar_feed_ics(appointments: list[Appointment]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.CLINIC_NAME} appointments")
    calendar.add("x-published-ttl", "PT15M")
    for appointment in appointments:
        calendar.add_component(_event(appointment))
    return calendar.to_ical()


def _event(appointment: Appointment) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@{_uid_domain()}")
    event.add("dtstamp", appointment.updated_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"Appointment ({patient_initials(appointment.patient)})")
    event.add("location", appointment.room.name)
    return event


def _uid_domain() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith(".")]
    return hosts[0] if hosts and hosts[0] != "*" else "clinic.invalid"
