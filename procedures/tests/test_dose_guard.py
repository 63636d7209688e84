"""Each dose-guard rule at, just under and just over its limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from patients.tests.factories import PatientFactory
from procedures.dose_guard import session_warnings
from procedures.models import Product
from procedures.tests.factories import ProductFactory, session_with_injections

pytestmark = pytest.mark.django_db


def clinic_day(days_ago: int) -> dt.datetime:
    """10:00 in the clinic's time zone, `days_ago` days before today."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def rules(session) -> list[str]:
    return [warning.rule for warning in session_warnings(session=session)]


@pytest.fixture
def dysport(db: None) -> Product:
    return Product.objects.get(brand_name="Dysport")


def draft(patient, units: list[str], product=None):
    return session_with_injections(
        units=units,
        signed=False,
        patient=patient,
        product=product or ProductFactory(),
        started_at=clinic_day(0),
    )


def signed(patient, units: list[str], days_ago: int, product=None):
    return session_with_injections(
        units=units,
        patient=patient,
        product=product or ProductFactory(),
        started_at=clinic_day(days_ago),
    )


@pytest.mark.parametrize(("units", "warned"), [("49.99", False), ("50", False), ("50.01", True)])
def test_per_site_limit(patient, units: str, warned: bool) -> None:
    session = draft(patient, [units, "10"])

    assert ("per_site" in rules(session)) is warned


def test_per_site_warning_names_the_point_and_the_numbers(patient, trapezius) -> None:
    session = draft(patient, ["60"])
    point = session.trigger_points.get()

    [warning] = session_warnings(session=session)

    assert warning.message == (
        f"Point {point.number} ({point.muscle.name}, left): 60 U at one site; "
        "the Botox limit is 50 U per site."
    )


@pytest.mark.parametrize(
    ("last_point", "warned"), [("49.99", False), ("50", False), ("50.01", True)]
)
def test_per_session_limit(patient, last_point: str, warned: bool) -> None:
    session = draft(patient, ["50"] * 7 + [last_point])

    assert ("per_session" in rules(session)) is warned


def test_per_session_warning_gives_the_total_and_the_limit(patient) -> None:
    session = draft(patient, ["50"] * 8 + ["1"])

    messages = [w.message for w in session_warnings(session=session) if w.rule == "per_session"]

    assert messages == ["This session: 401 U of Botox; the limit is 400 U per session."]


@pytest.mark.parametrize(("second", "warned"), [("49.99", False), ("50", False), ("50.01", True)])
def test_rolling_window_adds_earlier_signed_sessions_to_this_one(
    patient, second: str, warned: bool
) -> None:
    signed(patient, ["50"] * 6, days_ago=85)
    session = draft(patient, ["50", second])

    assert ("rolling_window" in rules(session)) is warned


@pytest.mark.parametrize(("days_ago", "warned"), [(89, True), (90, False), (91, False)])
def test_rolling_window_counts_sessions_less_than_its_length_ago(
    patient, days_ago: int, warned: bool
) -> None:
    signed(patient, ["50"] * 8, days_ago=days_ago)
    session = draft(patient, ["10"])

    assert ("rolling_window" in rules(session)) is warned


def test_rolling_window_message_shows_the_sum(patient) -> None:
    signed(patient, ["50"] * 6, days_ago=85)
    session = draft(patient, ["50", "50", "1"])

    [message] = [w.message for w in session_warnings(session=session) if w.rule == "rolling_window"]

    assert message == (
        "Botox in 90 days: 300 U already given + 101 U in this session = 401 U; "
        "the limit is 400 U in 90 days."
    )


def test_units_of_other_products_are_never_added_to_the_window(patient, dysport) -> None:
    signed(patient, ["500", "500"], days_ago=85, product=dysport)
    session = draft(patient, ["50"] * 7)

    assert "rolling_window" not in rules(session)
    assert "other_product" in rules(session)


def test_drafts_and_other_patients_do_not_count_in_the_window(patient) -> None:
    session_with_injections(
        units=["50"] * 8, signed=False, patient=patient, started_at=clinic_day(10)
    )
    signed(PatientFactory(), ["50"] * 8, days_ago=10)
    session = draft(patient, ["10"])

    assert "rolling_window" not in rules(session)


@pytest.mark.parametrize(("days_ago", "warned"), [(83, True), (84, False), (85, False)])
def test_retreatment_sooner_than_the_minimum_interval(patient, days_ago: int, warned: bool):
    signed(patient, ["10"], days_ago=days_ago)
    session = draft(patient, ["10"])

    assert ("retreatment" in rules(session)) is warned


def test_retreatment_warning_gives_the_days_and_the_interval(patient) -> None:
    signed(patient, ["10"], days_ago=60)
    session = draft(patient, ["10"])

    [message] = [w.message for w in session_warnings(session=session) if w.rule == "retreatment"]

    last_day = timezone.localdate() - dt.timedelta(days=60)
    assert message == (
        f"Re-treatment after 60 days: the last Botox session was on {last_day:%m/%d/%Y}; "
        "the minimum interval is 84 days."
    )


@pytest.mark.parametrize(("days_ago", "warned"), [(89, True), (90, False), (91, False)])
def test_a_different_toxin_within_three_months(patient, dysport, days_ago: int, warned: bool):
    signed(patient, ["100"], days_ago=days_ago, product=dysport)
    session = draft(patient, ["10"])

    assert ("other_product" in rules(session)) is warned


def test_the_same_toxin_is_not_a_different_product(patient) -> None:
    signed(patient, ["10"], days_ago=100)
    session = draft(patient, ["10"])

    assert rules(session) == []
