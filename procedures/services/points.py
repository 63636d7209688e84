"""Trigger points and their injections on a draft session.

A point carries at most one injection in the editor (the model allows more).
Units are drawn from the vial in the same transaction that records them,
and given back when an injection is reduced or removed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clinic.models import User
from procedures import errors
from procedures.dilution import volume_for_units
from procedures.errors import ProcedureError
from procedures.models import Injection, Muscle, TreatmentSession, TriggerPoint, Vial
from procedures.selectors import last_signed_session, patient_valid_consent
from procedures.services.sessions import session_lock_draft
from procedures.services.stock import lot_is_expired, vial_draw, vial_return

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PointInput:
    muscle: Muscle
    side: str
    view: str
    x: Decimal
    y: Decimal
    kind: str = TriggerPoint.Kind.ACTIVE
    tenderness: int = TriggerPoint.Tenderness.MODERATE
    taut_band: bool = True
    local_twitch: bool = False
    referred_pain: str = ""


@dataclass(frozen=True)
class InjectionInput:
    vial: Vial
    units: Decimal
    needle_gauge: int = 30
    depth_mm: int | None = None
    guidance: str = Injection.Guidance.LANDMARK


@transaction.atomic
def trigger_point_add(
    *,
    session: TreatmentSession,
    user: User,
    point: PointInput,
    injection: InjectionInput | None = None,
    at: dt.datetime | None = None,
) -> TriggerPoint:
    session = session_lock_draft(session=session, user=user)
    number = (session.trigger_points.aggregate(last=Max("number"))["last"] or 0) + 1
    trigger_point = TriggerPoint.objects.create(session=session, number=number, **asdict(point))
    if injection is not None:
        _injection_create(session, trigger_point, injection, at or timezone.now())
    return trigger_point


@transaction.atomic
def trigger_point_update(
    *,
    session: TreatmentSession,
    trigger_point: TriggerPoint,
    user: User,
    point: PointInput,
    injection: InjectionInput | None,
    at: dt.datetime | None = None,
) -> TriggerPoint:
    """Replace the point's findings and its injection (None removes it)."""
    session = session_lock_draft(session=session, user=user)
    trigger_point = session.trigger_points.get(pk=trigger_point.pk)
    for name, value in asdict(point).items():
        setattr(trigger_point, name, value)
    trigger_point.save()
    existing = trigger_point.injections.select_related("vial").first()
    if existing is not None and _same_dose(existing, injection):
        _injection_details_update(existing, injection)
        return trigger_point
    if existing is not None:
        _injection_remove(existing)
    if injection is not None:
        _injection_create(session, trigger_point, injection, at or timezone.now())
    return trigger_point


def _same_dose(existing: Injection, injection: InjectionInput | None) -> bool:
    return (
        injection is not None
        and existing.vial_id == injection.vial.pk
        and existing.units == injection.units
    )


def _injection_details_update(existing: Injection, injection: InjectionInput) -> None:
    """Needle, depth and guidance change without touching the vial (which
    may have expired since the dose was drawn)."""
    existing.needle_gauge = injection.needle_gauge
    existing.depth_mm = injection.depth_mm
    existing.guidance = injection.guidance
    existing.save(update_fields=["needle_gauge", "depth_mm", "guidance"])


@transaction.atomic
def trigger_point_move(
    *,
    session: TreatmentSession,
    trigger_point: TriggerPoint,
    user: User,
    view: str,
    x: Decimal,
    y: Decimal,
    muscle: Muscle,
    side: str,
) -> TriggerPoint:
    """A marker dragged on the map: new place, and the muscle and side under it."""
    session = session_lock_draft(session=session, user=user)
    trigger_point = session.trigger_points.get(pk=trigger_point.pk)
    trigger_point.view, trigger_point.x, trigger_point.y = view, x, y
    trigger_point.muscle, trigger_point.side = muscle, side
    trigger_point.save(update_fields=["view", "x", "y", "muscle", "side"])
    return trigger_point


@transaction.atomic
def trigger_point_remove(
    *, session: TreatmentSession, trigger_point: TriggerPoint, user: User
) -> None:
    """Remove the point, give its units back, and number the rest 1, 2, 3..."""
    session = session_lock_draft(session=session, user=user)
    trigger_point = session.trigger_points.get(pk=trigger_point.pk)
    for injection in trigger_point.injections.select_related("vial"):
        _injection_remove(injection)
    trigger_point.delete()
    for number, point in enumerate(session.trigger_points.order_by("number"), start=1):
        if point.number != number:
            point.number = number
            point.save(update_fields=["number"])


@transaction.atomic
def trigger_points_copy_last(*, session: TreatmentSession, user: User) -> list[TriggerPoint]:
    """Pre-fill an empty map with the points of the patient's last signed
    session: places and findings only; units are entered as they are given."""
    session = session_lock_draft(session=session, user=user)
    if session.trigger_points.exists():
        raise ProcedureError(errors.COPY_NEEDS_EMPTY_MAP)
    last = last_signed_session(patient=session.patient, before=session.started_at)
    if last is None:
        raise ProcedureError(errors.NO_LAST_SESSION)
    copied = [
        TriggerPoint(session=session, number=number, **_findings_of(point))
        for number, point in enumerate(last.trigger_points.order_by("number"), start=1)
    ]
    return TriggerPoint.objects.bulk_create(copied)


def _findings_of(point: TriggerPoint) -> dict:
    names = ("muscle_id", "side", "view", "x", "y", "kind", "tenderness", "taut_band")
    return {name: getattr(point, name) for name in (*names, "local_twitch", "referred_pain")}


def _injection_create(
    session: TreatmentSession,
    trigger_point: TriggerPoint,
    injection: InjectionInput,
    at: dt.datetime,
) -> Injection:
    vial = Vial.objects.select_related("lot__product").get(pk=injection.vial.pk)
    _check_may_inject(session, vial, at)
    vial_draw(vial=vial, units=injection.units, at=at)
    created = Injection.objects.create(
        trigger_point=trigger_point,
        vial=vial,
        units=injection.units,
        volume_ml=volume_for_units(
            units=injection.units, vial_units=vial.units_total, vial_volume_ml=vial.volume_ml
        ),
        needle_gauge=injection.needle_gauge,
        depth_mm=injection.depth_mm,
        guidance=injection.guidance,
    )
    logger.info("injection %s recorded on session %s", created.pk, session.pk)
    return created


def _injection_remove(injection: Injection) -> None:
    vial_return(vial=injection.vial, units=injection.units)
    injection.delete()


def _check_may_inject(session: TreatmentSession, vial: Vial, at: dt.datetime) -> None:
    """No consent, no injection; and only a usable vial of the session's product."""
    consent = patient_valid_consent(patient=session.patient, on=timezone.localdate(at))
    if consent is None:
        raise ProcedureError(errors.NO_CONSENT)
    if session.consent_id != consent.pk:
        session.consent = consent
        session.save(update_fields=["consent"])
    product = session.product
    if product is None:
        raise ProcedureError(errors.NO_PRODUCT, field="product")
    lot = vial.lot
    if lot.product_id != product.pk:
        raise ProcedureError(
            errors.VIAL_OTHER_PRODUCT.format(
                vial=vial.pk, vial_product=lot.product.brand_name, product=product.brand_name
            ),
            field="vial",
        )
    if lot_is_expired(lot, at=at):
        raise ProcedureError(
            errors.LOT_EXPIRED.format(lot=lot.lot_number, date=lot.expires_on), field="vial"
        )
