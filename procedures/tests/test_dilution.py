from __future__ import annotations

from decimal import Decimal

import pytest

from procedures.dilution import plain_number, units_per_tenth_ml, volume_for_units


@pytest.mark.parametrize(
    ("saline_ml", "expected"),
    [("1", "10"), ("2", "5"), ("2.5", "4"), ("4", "2.5"), ("8", "1.25"), ("10", "1")],
)
def test_botox_100_units_gives_the_label_table_per_tenth_ml(saline_ml: str, expected: str) -> None:
    per_tenth = units_per_tenth_ml(units=Decimal(100), volume_ml=Decimal(saline_ml))

    assert per_tenth == Decimal(expected)


@pytest.mark.parametrize(
    ("saline_ml", "units", "volume"),
    [("2.5", "10", "0.250"), ("1", "25", "0.250"), ("8", "10", "0.800"), ("4", "5", "0.200")],
)
def test_volume_carrying_a_dose_follows_the_dilution(saline_ml: str, units: str, volume: str):
    result = volume_for_units(
        units=Decimal(units), vial_units=Decimal(100), vial_volume_ml=Decimal(saline_ml)
    )

    assert result == Decimal(volume)


def test_volume_is_rounded_to_the_microlitre() -> None:
    assert volume_for_units(
        units=Decimal(10), vial_units=Decimal(100), vial_volume_ml=Decimal(3)
    ) == Decimal("0.300")
    assert volume_for_units(
        units=Decimal(1), vial_units=Decimal(300), vial_volume_ml=Decimal(1)
    ) == Decimal("0.003")


def test_numbers_are_written_the_way_a_clinician_writes_them() -> None:
    assert [plain_number(Decimal(v)) for v in ("50.00", "12.50", "1.2500", "400")] == [
        "50",
        "12.5",
        "1.25",
        "400",
    ]
