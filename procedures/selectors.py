"""Reads of the procedures app that pages share, with their joins decided once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from patients.models import Consent, Patient, Precautions
from procedures.models import (
    Injection,
    Lot,
    Product,
    SessionStatus,
    TreatmentSession,
    TriggerPoint,
    Vial,
)


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
        "patient__precautions",
        "product",
        "clinician",
        "signed_by",
        "appointment",
        "consent__form",
    ).get(pk=pk)


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
