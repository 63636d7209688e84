"""What the benchmarked pages open: a busy week on the calendar (120
appointments a day for all clinicians), a patient with 40 signed sessions,
the last of them with 30 trigger points. The same at every scale, so the
pages show the same amount at scale 0.1 and 1 and only the tables grow."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bench.seeding.history import Patients, _shift_start
from bench.seeding.rows import HistoryWriter, SessionShape
from bench.seeding.staff import CLINICIAN_COUNT, ROOM_COUNT, SHIFTS
from followups.timing import clinic_zone
from patients.models import Consent, ConsentForm, Patient, Precautions
from patients.mrn import mrn_allocate
from patients.search import search_name_for

BUSY_DAY_APPOINTMENTS = 120
BUSY_WEEK_DAYS = 6  # Monday to Saturday
BUSY_SLOT_MINUTES = 30
CHART_SESSIONS = 40
CHART_SESSION_SPACING = dt.timedelta(days=84)
BIG_SESSION_POINTS = 30
CHART_FIRST_NAME = "Fortysessions"
CHART_LAST_NAME = "Benchmark"


def busy_week_monday(today: dt.date) -> dt.date:
    """The Monday of the first full week starting more than a week after `today`."""
    later = today + dt.timedelta(days=8)
    return later + dt.timedelta(days=(7 - later.weekday()) % 7)


def busy_day(today: dt.date) -> dt.date:
    return busy_week_monday(today) + dt.timedelta(days=2)


def busy_week_write(*, writer: HistoryWriter, today: dt.date, patients: Patients) -> None:
    """Monday to Saturday, 120 appointments a day: each room has a morning and
    an afternoon clinician, six half-hour appointments each."""
    monday = busy_week_monday(today)
    for offset in range(BUSY_WEEK_DAYS):
        _busy_day_write(writer, monday + dt.timedelta(days=offset), patients)
    writer.flush()


def _busy_day_write(writer: HistoryWriter, day: dt.date, patients: Patients) -> None:
    per_shift = BUSY_DAY_APPOINTMENTS // (ROOM_COUNT * len(SHIFTS))
    chosen = writer.rng.sample(patients.all_ids, min(BUSY_DAY_APPOINTMENTS, len(patients.all_ids)))
    number = 0  # time-major, so the rooms at one time always get different patients
    for shift_index in range(len(SHIFTS)):
        for slot in range(per_shift):
            start = _shift_start(day, shift_index) + dt.timedelta(minutes=BUSY_SLOT_MINUTES * slot)
            for room_index, room_id in enumerate(writer.staff.room_ids):
                writer.appointment(
                    patient_id=chosen[number % len(chosen)],
                    clinician_id=writer.staff.clinician_ids[
                        (room_index * len(SHIFTS) + shift_index) % CLINICIAN_COUNT
                    ],
                    room_id=room_id,
                    kind=("injection", "review", "consult")[slot % 3],
                    start=start,
                    end=start + dt.timedelta(minutes=BUSY_SLOT_MINUTES),
                    status="booked",
                )
                number += 1


def chart_patient_write(*, writer: HistoryWriter, today: dt.date) -> Patient:
    """A patient treated every 12 weeks for about nine years: 40 signed
    sessions, booked at 06:00, before the history's shifts start."""
    patient = _chart_patient(writer.staff.clinician_ids[0])
    clinician_id = writer.staff.clinician_ids[0]
    for number in range(CHART_SESSIONS, 0, -1):
        day = today - CHART_SESSION_SPACING * number
        start = dt.datetime.combine(day, dt.time(6, 0), tzinfo=clinic_zone()).astimezone(dt.UTC)
        appointment_id = writer.appointment(
            patient_id=patient.pk,
            clinician_id=clinician_id,
            room_id=writer.staff.room_ids[0],
            kind="injection",
            start=start,
            end=start + dt.timedelta(minutes=30),
            status="completed",
        )
        shape = (
            SessionShape(injections_per_point=[1] * BIG_SESSION_POINTS)
            if number == 1
            else writer.shape_random()
        )
        writer.session(
            appointment_id=appointment_id,
            patient_id=patient.pk,
            clinician_id=clinician_id,
            started_at=start + dt.timedelta(minutes=2),
            shape=shape,
            patient_may_be_emailed=True,
        )
    writer.flush()
    return patient


def _chart_patient(clinician_id: int) -> Patient:
    now = timezone.now()
    patient = Patient.objects.create(
        mrn=mrn_allocate()[0],
        first_name=CHART_FIRST_NAME,
        last_name=CHART_LAST_NAME,
        date_of_birth=dt.date(1968, 4, 12),
        sex="female",
        email="fortysessions.benchmark@example.org",
        phone="+12125550100",
        email_consent=True,
        email_consent_at=now,
        search_name=search_name_for(first_name=CHART_FIRST_NAME, last_name=CHART_LAST_NAME),
    )
    Precautions.objects.create(
        patient=patient, allergies="None known", reviewed_at=now, reviewed_by_id=clinician_id
    )
    form = ConsentForm.objects.order_by("-version").first()
    Consent.objects.create(
        patient=patient,
        form=form,
        signed_on=timezone.localdate() - dt.timedelta(days=30),
        valid_until=timezone.localdate() + dt.timedelta(days=335),
        witness_name="R. Nurse",
        recorded_by_id=clinician_id,
    )
    return patient
