"""The pages `make bench` drives, each with the role that opens it and the
fixture it shows (bench.seeding.fixtures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.seeding.fixtures import (
    BIG_SESSION_POINTS,
    CHART_FIRST_NAME,
    CHART_LAST_NAME,
    CHART_SESSION_SPACING,
    busy_day,
    busy_week_monday,
)
from bench.seeding.staff import ADMIN_USERNAME, FRONT_DESK_USERNAME, USERNAME_PREFIX
from clinic import sessions
from clinic.models import User
from patients.models import Patient
from patients.views import LAST_SEARCH
from procedures.models import TreatmentSession
from scheduling.clock import LOCAL_INPUT_FORMAT
from scheduling.models import RELEASED_STATUSES, Appointment, AppointmentType, Room

CLINICIAN_USERNAME = f"{USERNAME_PREFIX}clinician-01"
MODEL_BACKEND = "clinic.backends.RoleBackend"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    username: str
    search: str | None = None


def chart_patient() -> Patient:
    return Patient.objects.get(first_name=CHART_FIRST_NAME, last_name=CHART_LAST_NAME)


def seeded_today() -> dt.date:
    """The --today the data was seeded with: the chart patient's last session
    was one re-treatment interval before it."""
    last = TreatmentSession.objects.filter(patient=chart_patient()).latest("started_at")
    return timezone.localdate(last.started_at) + CHART_SESSION_SPACING


def bench_pages(*, today: dt.date) -> list[Page]:
    patient = chart_patient()
    big_session = TreatmentSession.objects.filter(patient=patient).latest("started_at")
    clinician = User.objects.get(username=CLINICIAN_USERNAME)
    day = busy_day(today).isoformat()
    year = {"date_from": (today - dt.timedelta(days=364)).isoformat(), "date_to": today.isoformat()}
    search = reverse("patients:list")
    return [
        Page("day calendar, 120 appts", _url("scheduling:day", date=day), FRONT_DESK_USERNAME),
        Page(
            "clinician's week",
            _url("scheduling:week", date=day, clinician=clinician.pk),
            CLINICIAN_USERNAME,
        ),
        Page("search: common surname", search, FRONT_DESK_USERNAME, search="smith"),
        Page("search: misspelt surname", search, FRONT_DESK_USERNAME, search="kowalsky"),
        Page("search: MRN", search, FRONT_DESK_USERNAME, search=patient.mrn),
        Page(
            "chart, 40 sessions", reverse("patients:chart", args=[patient.pk]), CLINICIAN_USERNAME
        ),
        Page(
            f"session, {BIG_SESSION_POINTS} points",
            reverse("procedures:session", args=[big_session.pk]),
            CLINICIAN_USERNAME,
        ),
        Page("outbox", reverse("followups:outbox"), ADMIN_USERNAME),
        Page("dashboard, one year", _url("outcomes:dashboard", **year), ADMIN_USERNAME),
        Page(
            "FHIR $everything, first page",
            reverse("fhir:everything", args=[patient.pk]),
            CLINICIAN_USERNAME,
        ),
    ]


def _url(name: str, **query: object) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def signed_in_session(*, username: str, search: str | None = None) -> str:
    """A session key as a sign-in with a verified authenticator code leaves
    it, plus the last patient search when the page shows one."""
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    sessions.session_start(store)
    if search is not None:
        store[LAST_SEARCH] = {"q": search, "archived": False, "page": 1}
    store.set_expiry(timezone.now() + dt.timedelta(hours=12))
    store.create()
    return store.session_key


BOOKING_CLIENTS = 32
BOOKING_TIME = dt.time(11, 0)  # between the busy week's morning and afternoon blocks
BOOKING_TYPE = "review"


def booking_plan() -> dict:
    """One free slot after the busy week for clinician 01 in room 01, and
    BOOKING_CLIENTS front-desk sessions, each to book a different patient into it."""
    clinician = User.objects.get(username=CLINICIAN_USERNAME)
    room = Room.objects.get(name="Bench room 01")
    kind = AppointmentType.objects.filter(kind=BOOKING_TYPE, is_active=True).order_by("pk")[0]
    starts_at = _free_start(clinician, seeded_today(), kind.default_minutes)
    patients = Patient.objects.filter(archived_at=None).exclude(
        appointments__timespan__startswith__date=timezone.localdate(starts_at)
    )[:BOOKING_CLIENTS]
    return {
        "starts_at": timezone.localtime(starts_at).strftime(LOCAL_INPUT_FORMAT),
        "starts_at_utc": starts_at.isoformat(),
        "ends_at_utc": (starts_at + dt.timedelta(minutes=kind.default_minutes)).isoformat(),
        "fields": {"clinician": clinician.pk, "room": room.pk, "appointment_type": kind.pk},
        "clients": [
            {"patient": patient.pk, "session": signed_in_session(username=FRONT_DESK_USERNAME)}
            for patient in patients
        ],
    }


def _free_start(clinician: User, today: dt.date, minutes: int) -> dt.datetime:
    """The first weekday at BOOKING_TIME, a week after the busy week, with the slot free."""
    day = busy_week_monday(today) + dt.timedelta(days=7)
    while True:
        start = dt.datetime.combine(day, BOOKING_TIME, tzinfo=timezone.get_current_timezone())
        taken = Appointment.objects.filter(
            clinician=clinician,
            timespan__overlap=(start, start + dt.timedelta(minutes=minutes)),
        ).exclude(status__in=RELEASED_STATUSES)
        if day.weekday() < 5 and not taken.exists():
            return start
        day += dt.timedelta(days=1)
