"""Demo data for procedures: lots (one expiring soon), an open vial, months of
signed sessions for the demo patients, and one patient checked in for an
injection today. Made through the services the pages use; idempotent."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import User
from clinic.roles import CLINICIAN
from patients.models import Consent, ConsentForm, Patient, Precautions
from procedures.models import Lot, Muscle, Product, SessionStatus, TreatmentSession, Vial
from procedures.selectors import (
    injection_appointments_waiting,
    patient_valid_consent,
    usable_vials,
)
from procedures.services.points import InjectionInput, PointInput, trigger_point_add
from procedures.services.sessions import session_details_update, session_start_walk_in
from procedures.services.signing import session_sign
from procedures.services.stock import lot_receive, vial_close, vial_open
from scheduling.errors import IllegalTransition, SlotTaken
from scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentType,
    Room,
)
from scheduling.services import appointment_book, appointment_check_in


@dataclass(frozen=True)
class DemoLot:
    brand: str
    number: str
    units_per_vial: int
    expires_in_days: int
    vials: int


DEMO_LOTS = [
    DemoLot("Botox", "C4120A", 100, 400, 30),
    DemoLot("Botox", "C5890B", 200, 18, 4),
    DemoLot("Dysport", "D2231X", 300, 240, 6),
    DemoLot("Xeomin", "X7781Q", 100, 300, 5),
]
HISTORY_LOT = "C4120A"

# (muscle slug, side, x, y on the back view, units): a typical upper-back plan.
PLAN = [
    ("upper-trapezius", "left", "0.4300", "0.2150", "20"),
    ("upper-trapezius", "right", "0.5700", "0.2150", "20"),
    ("levator-scapulae", "left", "0.4500", "0.1900", "10"),
    ("infraspinatus", "right", "0.6000", "0.2700", "15"),
    ("rhomboids", "left", "0.4600", "0.2550", "10"),
]
SESSIONS_AGO = (285, 190, 95)  # days; at least the 84-day re-treatment interval apart

DEMO_PATIENTS = [
    ("DEMO0001", "Maria", "Okafor", dt.date(1971, 4, 12)),
    ("DEMO0002", "Jonas", "Lindgren", dt.date(1984, 9, 3)),
    ("DEMO0003", "Aiko", "Tanaka", dt.date(1966, 1, 27)),
]


def seed() -> str:
    clinician = User.objects.get(username="clinician")
    lots = _seed_lots(clinician)
    patients = _demo_patients(clinician)
    signed = sum(_seed_history(patient, clinician) for patient in patients[:3])
    vial = _seed_open_vial(clinician)
    appointment = _seed_checked_in_appointment(patients, clinician)
    return (
        f"{lots} lots, open vial {vial.pk}, {signed} signed sessions added, "
        f"appointment {appointment.pk} checked in for an injection today"
    )


def _seed_lots(user: User) -> int:
    for demo in DEMO_LOTS:
        if not Lot.objects.filter(lot_number=demo.number).exists():
            lot_receive(
                product=Product.objects.get(brand_name=demo.brand),
                lot_number=demo.number,
                units_per_vial=demo.units_per_vial,
                expires_on=timezone.localdate() + dt.timedelta(days=demo.expires_in_days),
                vials_received=demo.vials,
                user=user,
            )
    return Lot.objects.count()


def _demo_patients(clinician: User) -> list[Patient]:
    """The patients app's demo patients when it has seeded them, else our own few;
    each with a valid consent and reviewed precautions."""
    patients = list(Patient.objects.filter(archived_at=None).order_by("id")[:4])
    if len(patients) < 3:
        patients = [_demo_patient(*row, clinician=clinician) for row in DEMO_PATIENTS]
    for patient in patients:
        _ensure_consent(patient, clinician)
    return patients


def _demo_patient(mrn: str, first: str, last: str, born: dt.date, *, clinician: User) -> Patient:
    patient, _ = Patient.objects.get_or_create(
        mrn=mrn,
        defaults={
            "first_name": first,
            "last_name": last,
            "date_of_birth": born,
            "search_name": f"{first} {last}".lower(),
            "created_by": clinician,
        },
    )
    return patient


def _ensure_consent(patient: Patient, clinician: User) -> None:
    today = timezone.localdate()
    Precautions.objects.get_or_create(
        patient=patient,
        defaults={"reviewed_at": timezone.now(), "reviewed_by": clinician},
    )
    signed_on = today - dt.timedelta(days=max(SESSIONS_AGO) + 10)
    if patient_valid_consent(patient=patient, on=signed_on) and patient_valid_consent(
        patient=patient, on=today
    ):
        return
    form, _ = ConsentForm.objects.get_or_create(
        code="botulinum-toxin-tpi",
        version=1,
        defaults={
            "title": "Consent to botulinum toxin trigger point injection",
            "body": "Botulinum toxin for myofascial pain is an off-label use. ...",
            "valid_for_days": 365,
        },
    )
    Consent.objects.create(
        patient=patient,
        form=form,
        signed_on=signed_on,
        witness_name="Demo witness",
        valid_until=today + dt.timedelta(days=120),
        recorded_by=clinician,
    )


def _clinic_time(days_ago: int, hour: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _seed_history(patient: Patient, clinician: User) -> int:
    if patient.sessions.filter(status=SessionStatus.SIGNED).exists():
        return 0
    lot = Lot.objects.get(lot_number=HISTORY_LOT)
    for index, days_ago in enumerate(SESSIONS_AGO):
        _past_session(patient, clinician, lot, _clinic_time(days_ago, 9 + index), index)
    return len(SESSIONS_AGO)


def _past_session(
    patient: Patient, clinician: User, lot: Lot, at: dt.datetime, index: int
) -> TreatmentSession:
    vial = vial_open(lot=lot, diluent_ml=Decimal("2.5"), user=clinician, at=at)
    session = session_start_walk_in(patient=patient, user=clinician, at=at)
    muscles = {muscle.slug: muscle for muscle in Muscle.objects.all()}
    for slug, side, x, y, units in PLAN[: 3 + index]:
        trigger_point_add(
            session=session,
            user=clinician,
            point=PointInput(
                muscle=muscles[slug], side=side, view="back", x=Decimal(x), y=Decimal(y)
            ),
            injection=InjectionInput(vial=vial, units=Decimal(units), depth_mm=15),
            at=at + dt.timedelta(minutes=10),
        )
    session_details_update(
        session=session,
        user=clinician,
        changes={
            "pain_before": 7 - index,
            "icd10_code": "M79.18",
            "precautions_confirmed": True,
            "site_infection_checked": True,
            "vitals": "BP 124/78, HR 72",
            "aftercare_given": True,
        },
    )
    session_sign(session=session, user=clinician, at=at + dt.timedelta(minutes=40))
    vial_close(vial=vial, user=clinician, at=at + dt.timedelta(hours=1))
    return session


def _seed_open_vial(clinician: User) -> Vial:
    botox = Product.objects.get(brand_name="Botox")
    existing = usable_vials(product=botox, at=timezone.now())
    if existing:
        return existing[0]
    return vial_open(
        lot=Lot.objects.get(lot_number=HISTORY_LOT), diluent_ml=Decimal("2.5"), user=clinician
    )


def _seed_checked_in_appointment(patients: list[Patient], clinician: User) -> Appointment:
    """A patient checked in for an injection today: one the scheduling demo
    has already checked in, else the next of today's injection appointments
    checked in early, else a walk-in booked now (whatever the time of day)."""
    desk = User.objects.get(username="frontdesk")
    waiting = injection_appointments_waiting(on=timezone.localdate()).first()
    if waiting is None:
        waiting = _next_checked_in_early(desk) or _walk_in(patients, clinician, desk)
    _ensure_consent(waiting.patient, clinician)
    return waiting


def _next_checked_in_early(desk: User) -> Appointment | None:
    """Check-in opens two hours before an appointment."""
    upcoming = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        appointment_type__kind=AppointmentKind.INJECTION,
        timespan__startswith__date=timezone.localdate(),
        timespan__startswith__gt=timezone.now(),
    ).order_by("timespan")
    for appointment in upcoming[:3]:
        try:
            return appointment_check_in(appointment=appointment, by=desk)
        except IllegalTransition:
            continue
    return None


def _walk_in(patients: list[Patient], clinician: User, desk: User) -> Appointment:
    kind = AppointmentType.objects.filter(kind=AppointmentKind.INJECTION, is_active=True).first()
    rooms = list(Room.objects.filter(is_active=True)) or [Room.objects.create(name="Room 1")]
    now = timezone.localtime().replace(second=0, microsecond=0)
    starts_at = now.replace(minute=now.minute - now.minute % 5)  # bookings go in 5-minute steps
    # The demo clinician first; another if they are busy now.
    people = [clinician, *User.objects.filter(groups__name=CLINICIAN).exclude(pk=clinician.pk)]
    for person, patient, room in itertools.product(people, patients, rooms):
        try:
            return appointment_book(
                patient=patient,
                clinician=person,
                room=room,
                appointment_type=kind,
                starts_at=starts_at,
                booked_by=desk,
                walk_in=True,
                note="Demo: checked in, ready to document",
                hours_override_reason="Demo walk-in",
                retreatment_override_reason="Demo walk-in",
            )
        except (ValidationError, SlotTaken):
            continue
    raise RuntimeError("no free room or patient for the demo walk-in")
