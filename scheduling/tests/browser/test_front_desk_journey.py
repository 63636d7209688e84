"""The front desk's morning, in Chromium: find a slot, book, be refused a
double booking, move the appointment, check the patient in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from patients.tests.factories import PatientFactory
from scheduling.models import Appointment, AppointmentStatus
from scheduling.tests.conftest import work_every_day
from scheduling.tests.factories import RoomFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INPUT_FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def clinic(front_desk, clinician):
    """A clinician who works around the clock, so a free slot is always minutes away."""
    clinician.last_name, clinician.credentials = "Lindqvist", "MD"
    clinician.save()
    work_every_day(clinician, start=dt.time(0), end=dt.time(23, 55))
    RoomFactory(name="Room 1")
    RoomFactory(name="Room 2")
    PatientFactory(first_name="Jane", last_name="Doe")
    PatientFactory(first_name="Omar", last_name="Khan")


def _pick_patient(page: Page, name: str) -> None:
    # htmx listens for typing once the page's scripts have run; typing earlier is lost.
    page.wait_for_load_state("load")
    page.get_by_role("searchbox", name="Patient").fill(name)
    page.locator("#patient-options").get_by_role("button", name=name).click()
    expect(page.get_by_test_id("picked-patient")).to_contain_text(name)


def test_front_desk_books_is_refused_a_double_booking_moves_and_checks_in(
    page: Page, sign_in, clinic
) -> None:
    sign_in("frontdesk")

    # Find a free slot and book it.
    page.get_by_role("link", name="Book", exact=True).click()
    _pick_patient(page, "Jane Doe")
    page.get_by_label("Type").select_option(label="Review")
    page.get_by_label("Clinician").select_option(label="Dr Lindqvist")
    page.get_by_role("button", name="Find free slots").click()
    page.get_by_test_id("free-slots").get_by_role("link").first.click()
    start_field = page.get_by_role("textbox", name="Start")
    expect(start_field).not_to_have_value("")
    expect(page.get_by_label("Room")).not_to_have_value("")
    slot = start_field.input_value()
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Booked Jane Doe with Dr Lindqvist")
    booked = Appointment.objects.get()
    card = page.locator(f"#appointment-{booked.pk}")
    expect(card).to_contain_text("Booked")

    # The same clinician at the same time is refused, naming what is taken.
    page.get_by_role("link", name="Book", exact=True).click()
    _pick_patient(page, "Omar Khan")
    page.get_by_label("Type").select_option(label="Review")
    page.get_by_label("Clinician").select_option(label="Dr Lindqvist")
    page.get_by_label("Room").select_option(label="Room 2")
    page.get_by_role("textbox", name="Start").fill(slot)
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(
        re.compile(r"Dr Lindqvist already has an appointment \d\d:\d\d–\d\d:\d\d\.")
    )
    assert Appointment.objects.count() == 1

    # Move the appointment half an hour later, from its own page.
    page.get_by_role("link", name="Calendar").click()
    page.goto(f"{page.url.split('?')[0]}?date={timezone.localtime(booked.starts_at).date()}")
    later = dt.datetime.strptime(slot, INPUT_FORMAT) + dt.timedelta(minutes=30)
    page.locator(f"#appointment-{booked.pk}").get_by_role("link").click()
    page.get_by_role("link", name="Move").click()
    page.get_by_role("textbox", name="Start").fill(later.strftime(INPUT_FORMAT))
    page.get_by_role("textbox", name="End").fill(
        (later + dt.timedelta(minutes=15)).strftime(INPUT_FORMAT)
    )
    page.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_role("alert")).to_contain_text("Moved Jane Doe's appointment")
    expect(page.locator(f"#appointment-{booked.pk}")).to_contain_text(later.strftime("%H:%M"))

    # Check the patient in: the day view updates in place, without reloading the page.
    page.evaluate("window.stillTheSamePage = true")
    card = page.locator(f"#appointment-{booked.pk}")
    card.get_by_role("button", name="Check in").click()
    expect(page.locator("#scheduling-alert")).to_contain_text("Checked in Jane Doe.")
    expect(page.locator(f"#appointment-{booked.pk}")).to_contain_text("Arrived")
    expect(page.locator(f"#appointment-{booked.pk}").get_by_role("button")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.ARRIVED
    assert list(booked.changes.values_list("action", flat=True)) == [
        "booked",
        "moved",
        "checked_in",
    ]


def test_the_end_follows_the_type_and_days_change_without_a_reload(
    page: Page, sign_in, clinic, live_server
) -> None:
    sign_in("frontdesk")
    page.goto(f"{live_server.url}/scheduling/book/")

    page.get_by_role("textbox", name="Start").fill("2031-01-14T10:00")
    page.get_by_label("Type").select_option(label="New consultation")

    expect(page.get_by_role("textbox", name="End")).to_have_value("2031-01-14T10:45")

    page.goto(f"{live_server.url}/scheduling/calendar/day/?date=2031-01-14")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Next day →").click()
    expect(page.get_by_test_id("calendar-title")).to_contain_text("Wednesday 15 January 2031")
    assert page.url.endswith("?date=2031-01-15&by=clinician")
    assert page.evaluate("window.stillTheSamePage") is True
    page.go_back()
    expect(page.get_by_test_id("calendar-title")).to_contain_text("Tuesday 14 January 2031")
