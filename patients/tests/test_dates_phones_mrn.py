from __future__ import annotations

import datetime as dt

import pytest

from patients.dates import months_before, parse_us_date, years_before
from patients.mrn import luhn_check_digit, mrn_allocate, mrn_is_valid
from patients.phones import phone_for_display, phone_to_e164

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03/14/1968", dt.date(1968, 3, 14)),
        ("3/14/1968", dt.date(1968, 3, 14)),
        ("3/14/68", dt.date(1968, 3, 14)),
        ("03-14-1968", dt.date(1968, 3, 14)),
        ("1968-03-14", dt.date(1968, 3, 14)),
        ("11/27/26", dt.date(2026, 11, 27)),
        ("11/28/26", dt.date(1926, 11, 28)),
        ("1/2/05", dt.date(2005, 1, 2)),
    ],
)
def test_dates_read_the_way_a_us_clinic_writes_them(typed: str, expected: dt.date) -> None:
    assert parse_us_date(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["14/03/1968", "2/30/2000", "1968/03/14", "march 3", "", "3/14"])
def test_impossible_or_foreign_dates_are_not_dates(typed: str) -> None:
    assert parse_us_date(typed, today=TODAY) is None


def test_month_arithmetic_lands_on_the_last_day_of_a_shorter_month() -> None:
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)
    assert years_before(dt.date(2024, 2, 29), 120) == dt.date(1904, 2, 29)
    assert years_before(dt.date(2025, 2, 28), 1) == dt.date(2024, 2, 28)


@pytest.mark.parametrize(
    "typed", ["(212) 555-0123", "212-555-0123", "212.555.0123", "2125550123", "+1 212 555 0123"]
)
def test_us_phone_numbers_in_any_format_become_e164(typed: str) -> None:
    assert phone_to_e164(typed) == "+12125550123"


@pytest.mark.parametrize("typed", ["12345", "555-0100", "(000) 000-0000", "call me", "911"])
def test_numbers_that_cannot_be_dialled_are_refused(typed: str) -> None:
    assert phone_to_e164(typed) is None


def test_phones_display_the_way_the_clinic_dials_them() -> None:
    assert phone_for_display("+12125550123") == "(212) 555-0123"
    assert phone_for_display("+442079460958") == "+44 20 7946 0958"


def test_check_digit_catches_every_single_digit_typo() -> None:
    mrn = "1000001" + luhn_check_digit("1000001")
    assert mrn_is_valid(mrn)
    for position in range(len(mrn)):
        for digit in "0123456789":
            typo = mrn[:position] + digit + mrn[position + 1 :]
            if typo != mrn:
                assert not mrn_is_valid(typo), typo


def test_check_digit_catches_swapped_neighbouring_digits() -> None:
    mrn = "1234567" + luhn_check_digit("1234567")
    swapped = mrn[:2] + mrn[3] + mrn[2] + mrn[4:]
    assert mrn_is_valid(mrn)
    assert not mrn_is_valid(swapped)


@pytest.mark.django_db
def test_allocated_mrns_are_unique_valid_and_eight_digits() -> None:
    mrns = mrn_allocate(count=50)

    assert len(set(mrns)) == 50
    assert all(mrn_is_valid(mrn) and len(mrn) == 8 for mrn in mrns)
