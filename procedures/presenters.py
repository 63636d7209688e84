"""What the session pages show, as plain data: the header panel the clinician
reads first, and the JSON state the editor renders (points, totals, warnings)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from patients.models import Consent, Precautions
from procedures.dilution import plain_number
from procedures.dose_guard import DoseWarning, session_warnings, window_units
from procedures.models import AdverseEvent, Injection, TreatmentSession, TriggerPoint, Vial
from procedures.selectors import (
    last_signed_session,
    muscle_totals,
    patient_precautions,
    patient_valid_consent,
    point_units,
    session_total,
    usable_vials,
)
from procedures.services.signing import session_missing_fields

# The body map's viewBoxes (templates/procedures/bodymap/*.svg): x, y, width, height.
VIEW_BOXES = {"front": (0, 0, 724, 1448), "back": (724, 0, 724, 1448)}


@dataclass(frozen=True)
class SessionHeader:
    """What the clinician must see before injecting."""

    consent: Consent | None
    precautions: Precautions | None
    flagged: list[str]
    last_session: TreatmentSession | None
    window_units: Decimal | None
    window_days: int | None
    window_limit: Decimal | None


def session_header(session: TreatmentSession) -> SessionHeader:
    precautions = patient_precautions(session.patient)
    product = session.product
    window = None
    if product is not None and product.window_days:
        window = window_units(
            patient_id=session.patient_id,
            product=product,
            before=session.signed_at or timezone.now(),
            exclude_session_id=session.pk,
        )
    return SessionHeader(
        consent=patient_valid_consent(
            patient=session.patient, on=timezone.localdate(session.started_at)
        ),
        precautions=precautions,
        flagged=precautions.flagged if precautions else [],
        last_session=last_signed_session(patient=session.patient, before=session.started_at),
        window_units=window,
        window_days=product.window_days if product else None,
        window_limit=product.max_units_per_window if product else None,
    )


def marker_radius(units: Decimal) -> float:
    """The body map's default marker size (static/js/body-map.js), for printed maps."""
    return min(34.0, max(14.0, 11 + 2.2 * math.sqrt(float(units))))


def point_label(point: TriggerPoint) -> str:
    return f"{point.get_side_display()} {point.muscle.name.lower()}"


def point_map_position(point: TriggerPoint) -> tuple[float, float]:
    """The point's centre in its view's viewBox units."""
    box_x, box_y, width, height = VIEW_BOXES[point.view]
    return box_x + float(point.x) * width, box_y + float(point.y) * height


def _injection_json(injection: Injection | None) -> dict[str, Any] | None:
    if injection is None:
        return None
    return {
        "vial": injection.vial_id,
        "units": plain_number(injection.units),
        "volume_ml": plain_number(injection.volume_ml),
        "needle_gauge": injection.needle_gauge,
        "depth_mm": injection.depth_mm,
        "guidance": injection.guidance,
    }


def point_json(point: TriggerPoint) -> dict[str, Any]:
    injections = list(point.injections.all())
    return {
        "id": point.pk,
        "number": point.number,
        "muscle": point.muscle.slug,
        "muscle_name": point.muscle.name,
        "label": point_label(point),
        "side": point.side,
        "view": point.view,
        "x": float(point.x),
        "y": float(point.y),
        "kind": point.kind,
        "tenderness": point.tenderness,
        "taut_band": point.taut_band,
        "local_twitch": point.local_twitch,
        "referred_pain": point.referred_pain,
        "units": float(point_units(point)),
        "injection": _injection_json(injections[0] if injections else None),
    }


def vial_json(vial: Vial, *, at: dt.datetime) -> dict[str, Any]:
    return {
        "id": vial.pk,
        "label": vial_label(vial),
        "lot": vial.lot.lot_number,
        "units_total": plain_number(vial.units_total),
        "volume_ml": plain_number(vial.volume_ml),
        "units_per_tenth_ml": plain_number(vial.units_per_tenth_ml.quantize(Decimal("0.01"))),
        "units_remaining": plain_number(vial.units_remaining),
        "use_by": timezone.localtime(vial.use_by).strftime("%H:%M %d %b"),
        "usable": not vial.is_closed and vial.use_by > at and vial.units_remaining > 0,
    }


def vial_label(vial: Vial) -> str:
    per_tenth = plain_number(vial.units_per_tenth_ml.quantize(Decimal("0.01")))
    return (
        f"Vial {vial.pk} · lot {vial.lot.lot_number} · {plain_number(vial.units_total)} U in "
        f"{plain_number(vial.volume_ml)} mL = {per_tenth} U per 0.1 mL"
    )


def session_vials(session: TreatmentSession, points: list[TriggerPoint]) -> list[Vial]:
    """The vials this session used and, while it is a draft, those it can draw from."""
    vials = {}
    if not session.is_signed:
        usable = usable_vials(product=session.product, at=timezone.now())
        vials = {vial.pk: vial for vial in usable}
    for point in points:
        for injection in point.injections.all():
            vials.setdefault(injection.vial_id, injection.vial)
    return sorted(vials.values(), key=lambda vial: vial.opened_at)


def reaction_json(event: AdverseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.get_kind_display(),
        "severity": event.get_severity_display(),
        "description": event.description,
        "observed": event.source == AdverseEvent.Source.OBSERVED,
    }


def session_state(
    session: TreatmentSession,
    points: list[TriggerPoint],
    *,
    reactions: list[AdverseEvent],
    warnings: list[DoseWarning] | None = None,
) -> dict[str, Any]:
    """Everything the editor redraws after a change."""
    at = timezone.now()
    warnings = session_warnings(session=session) if warnings is None else warnings
    return {
        "editable": not session.is_signed,
        "product": session.product.brand_name if session.product else None,
        "points": [point_json(point) for point in points],
        "totals": {
            "session": plain_number(session_total(points)),
            "muscles": [
                {"muscle": total.muscle, "side": total.side, "units": plain_number(total.units)}
                for total in muscle_totals(points)
            ],
        },
        "warnings": [warning.as_dict() for warning in warnings],
        "vials": [vial_json(vial, at=at) for vial in session_vials(session, points)],
        "missing": session_missing_fields(session),
        "reactions": [reaction_json(event) for event in reactions],
    }
