"""Reads of the procedures app that pages share, with their joins decided once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from clinic.revisions import PATIENT, REFERENCE, revision_of
from patients.models import Consent, Patient, Precautions
from procedures.dilution import plain_number
from procedures.models import (
    AdverseEvent,
    Injection,
    Lot,
    Product,
    SessionStatus,
    TreatmentSession,
    TriggerPoint,
    Vial,
)
from scheduling.models import Appointment, AppointmentKind, AppointmentStatus


def patient_valid_consent(*, patient: Patient, on: dt.date) -> Consent | None:
    """The patient's consent to treatment that holds on `on`, if any."""
    return (
        Consent.objects.filter(
            patient=patient, revoked_at=None, signed_on__lte=on, valid_until__gte=on
        )
        .select_related("form")
        .order_by("-valid_until")
        .first()
    )


def sessions_with_totals() -> QuerySet[TreatmentSession]:
    """Sessions with `total_units` and `muscles` (names, distinct) annotated."""
    return TreatmentSession.objects.select_related("product").annotate(
        total_units=Sum("trigger_points__injections__units"),
        muscles=ArrayAgg(
            "trigger_points__muscle__name",
            distinct=True,
            filter=Q(trigger_points__isnull=False),
            default=[],
            order_by="trigger_points__muscle__name",
        ),
    )


def last_signed_session(*, patient: Patient, before: dt.datetime) -> TreatmentSession | None:
    return (
        sessions_with_totals()
        .filter(patient=patient, status=SessionStatus.SIGNED, started_at__lt=before)
        .order_by("-started_at")
        .first()
    )


def session_for_page(*, pk: int) -> TreatmentSession:
    return TreatmentSession.objects.select_related(
        "patient",
        "patient__precautions__reviewed_by",
        "product",
        "clinician",
        "signed_by",
        "appointment",
        "consent__form",
    ).get(pk=pk)


def session_summary(*, pk: int) -> TreatmentSession:
    """What a page says of a session before it draws it: status, clinician,
    the patient's name for the title, and (clinic.revisions) the patient's
    and the reference data's revisions, read in the same statement."""
    names = [f"patient__{field}" for field in Patient.NAME_FIELDS]
    return (
        TreatmentSession.objects.select_related("patient")
        .only("status", "clinician_id", "patient_id", *names)
        .annotate(
            patient_revision=revision_of(PATIENT, "procedures_treatmentsession.patient_id"),
            reference_revision=revision_of(REFERENCE),
        )
        .get(pk=pk)
    )


def session_points(*, session: TreatmentSession) -> list[TriggerPoint]:
    injections = Injection.objects.select_related("vial__lot__product").order_by("id")
    return list(
        session.trigger_points.select_related("muscle")
        .prefetch_related(Prefetch("injections", queryset=injections))
        .order_by("number")
    )


def session_amendments(*, session: TreatmentSession) -> QuerySet:
    return session.amendments.select_related("author").order_by("created_at", "id")


def session_adverse_events(*, session: TreatmentSession) -> QuerySet:
    return session.adverse_events.select_related("reported_by").order_by("reported_at", "id")


def usable_vials(*, product: Product | None, at: dt.datetime) -> list[Vial]:
    """Open vials of the product that can still be drawn from, oldest first."""
    if product is None:
        return []
    return list(
        Vial.objects.filter(
            lot__product=product, closed_at=None, use_by__gt=at, units_remaining__gt=0
        )
        .select_related("lot__product")
        .order_by("opened_at")
    )


def openable_lots(*, product: Product | None, on: dt.date) -> list[Lot]:
    """Lots of the product in date with unopened vials, the soonest to expire first."""
    if product is None:
        return []
    return list(
        Lot.objects.filter(product=product, expires_on__gte=on)
        .annotate(opened=Count("vials"))
        .filter(opened__lt=F("vials_received"))
        .select_related("product")
        .order_by("expires_on", "lot_number")
    )


def patient_precautions(patient: Patient) -> Precautions | None:
    try:
        return patient.precautions
    except Precautions.DoesNotExist:
        return None


@dataclass(frozen=True)
class MuscleTotal:
    muscle: str
    side: str
    units: Decimal


def point_units(point: TriggerPoint) -> Decimal:
    return sum((injection.units for injection in point.injections.all()), Decimal(0))


def muscle_totals(points: list[TriggerPoint]) -> list[MuscleTotal]:
    """Units per muscle and side, in the order the muscles first appear."""
    totals: dict[tuple[str, str], Decimal] = {}
    for point in points:
        key = (point.muscle.name, point.get_side_display())
        totals[key] = totals.get(key, Decimal(0)) + point_units(point)
    return [MuscleTotal(muscle, side, units) for (muscle, side), units in totals.items()]


def session_total(points: list[TriggerPoint]) -> Decimal:
    return sum((point_units(point) for point in points), Decimal(0))


def session_reactions(*, session: TreatmentSession) -> list[AdverseEvent]:
    """Reactions observed in clinic and reported later, in the order they came."""
    return list(session.adverse_events.order_by("reported_at", "id"))


# The chart's treatment history ----------------------------------------------


# The patient chart lists this many of the newest sessions; the treatment
# history page lists them all.
CHART_RECENT_SESSIONS = 10


def chart_history_context(*, patient: Patient, recent: int | None = None) -> dict[str, object]:
    """The context `templates/procedures/_chart_history.html` needs: every
    session, or with `recent` only the newest, and how many there are. The dose
    table always has its columns, whatever `recent` leaves out."""
    history = patient_session_history(patient=patient)
    return {
        "patient": patient,
        "history": history[:recent],
        "session_count": len(history),
        "dose_history": muscle_dose_history(history=history),
    }


def chart_recent_history_context(*, patient: Patient) -> dict[str, object]:
    return chart_history_context(patient=patient, recent=CHART_RECENT_SESSIONS)


def patient_session_history(*, patient: Patient) -> list[TreatmentSession]:
    """The patient's sessions, newest first, with product, total units, muscles."""
    return list(
        sessions_with_totals()
        .filter(patient=patient)
        .select_related("clinician")
        .order_by("-started_at")
    )


@dataclass(frozen=True)
class DoseHistoryRow:
    muscle: str
    side: str
    cells: list[str]  # one per session column: "20 U" or ""


@dataclass(frozen=True)
class DoseHistory:
    sessions: list[TreatmentSession]
    rows: list[DoseHistoryRow]


def muscle_dose_history(*, history: list[TreatmentSession], sessions: int = 8) -> DoseHistory:
    """Units per muscle and side in the last signed sessions of `history`
    (patient_session_history, newest first), each column one session (with its
    product: units of different products are never added across columns)."""
    columns = [session for session in history if session.is_signed][:sessions]
    columns.reverse()
    rows = (
        Injection.objects.filter(trigger_point__session__in=columns)
        .values("trigger_point__muscle__name", "trigger_point__side", "trigger_point__session")
        .annotate(units=Sum("units"))
        .order_by("trigger_point__muscle__name", "trigger_point__side")
    )
    table: dict[tuple[str, str], dict[int, Decimal]] = {}
    for row in rows:
        key = (row["trigger_point__muscle__name"], row["trigger_point__side"])
        table.setdefault(key, {})[row["trigger_point__session"]] = row["units"]
    return DoseHistory(
        sessions=columns,
        rows=[
            DoseHistoryRow(muscle, side, [_units_cell(by_session.get(s.pk)) for s in columns])
            for (muscle, side), by_session in table.items()
        ],
    )


def _units_cell(units: Decimal | None) -> str:
    return f"{plain_number(units)} U" if units is not None else ""


# Work lists, stock and recall ---------------------------------------------------


def injection_appointments_waiting(*, on: dt.date) -> QuerySet:
    """Checked-in injection appointments of the day with no session yet."""
    return (
        Appointment.objects.filter(
            status=AppointmentStatus.ARRIVED,
            appointment_type__kind=AppointmentKind.INJECTION,
            timespan__startswith__date=on,
            treatment_session__isnull=True,
        )
        .select_related("patient", "clinician", "appointment_type", "room")
        .order_by("timespan")
    )


def draft_sessions() -> QuerySet[TreatmentSession]:
    return (
        TreatmentSession.objects.filter(status=SessionStatus.DRAFT)
        .select_related("patient", "clinician", "product")
        .order_by("-started_at")
    )


def recently_signed(*, limit: int = 20) -> list[TreatmentSession]:
    return list(
        sessions_with_totals()
        .filter(status=SessionStatus.SIGNED)
        .select_related("patient", "signed_by")
        .order_by("-signed_at")[:limit]
    )


def lots_in_stock(*, on: dt.date, expired_days: int = 30) -> list[Lot]:
    """Lots in date, and those expired in the last `expired_days` (to see
    what to discard), with `opened` and `left` counts of vials."""
    return list(
        Lot.objects.filter(expires_on__gte=on - dt.timedelta(days=expired_days))
        .select_related("product")
        .annotate(opened=Count("vials"))
        .annotate(left=F("vials_received") - F("opened"))
        .order_by("product__brand_name", "expires_on", "lot_number")
    )


def open_vials() -> list[Vial]:
    return list(
        Vial.objects.filter(closed_at=None)
        .select_related("lot__product", "opened_by")
        .order_by("use_by")
    )


@dataclass(frozen=True)
class RecallRow:
    session_id: int
    started_at: dt.datetime
    status: str
    patient_id: int
    patient_name: str
    mrn: str
    product: str
    lot_number: str
    units: Decimal


def recall_by_lot(*, lot_number: str) -> list[RecallRow]:
    """Every session, and its patient, that received units from the lot
    number (of any product that carries that number), newest first."""
    rows = (
        Injection.objects.filter(vial__lot__lot_number=lot_number)
        .values(
            "trigger_point__session",
            "trigger_point__session__started_at",
            "trigger_point__session__status",
            "trigger_point__session__patient",
            "trigger_point__session__patient__first_name",
            "trigger_point__session__patient__last_name",
            "trigger_point__session__patient__mrn",
            "vial__lot__product__brand_name",
            "vial__lot__lot_number",
        )
        .annotate(units=Sum("units"))
        .order_by(
            "-trigger_point__session__started_at", "trigger_point__session__patient__last_name"
        )
    )
    return [
        RecallRow(
            session_id=row["trigger_point__session"],
            started_at=row["trigger_point__session__started_at"],
            status=row["trigger_point__session__status"],
            patient_id=row["trigger_point__session__patient"],
            patient_name=(
                f"{row['trigger_point__session__patient__first_name']} "
                f"{row['trigger_point__session__patient__last_name']}"
            ),
            mrn=row["trigger_point__session__patient__mrn"],
            product=row["vial__lot__product__brand_name"],
            lot_number=row["vial__lot__lot_number"],
            units=row["units"],
        )
        for row in rows
    ]
