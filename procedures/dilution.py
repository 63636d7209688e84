"""Dilution arithmetic: units per 0.1 mL and the volume that carries a dose.

Botox 100 U in 2.5 mL is 4 U per 0.1 mL, so 10 U is 0.25 mL.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TENTH_ML = Decimal("0.1")
VOLUME_STEP = Decimal("0.001")


def units_per_tenth_ml(*, units: Decimal, volume_ml: Decimal) -> Decimal:
    return Decimal(units) * TENTH_ML / Decimal(volume_ml)


def volume_for_units(*, units: Decimal, vial_units: Decimal, vial_volume_ml: Decimal) -> Decimal:
    """The mL that carry `units` from a vial of `vial_units` in `vial_volume_ml`,
    to the microlitre."""
    volume = Decimal(units) * Decimal(vial_volume_ml) / Decimal(vial_units)
    return volume.quantize(VOLUME_STEP, rounding=ROUND_HALF_UP)


def plain_number(value: Decimal) -> str:
    """50.00 -> "50", 12.50 -> "12.5", 1.2500 -> "1.25": numbers as a clinician writes them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
