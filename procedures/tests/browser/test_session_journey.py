"""A clinician documents a session from a checked-in appointment to the
signed, locked record, in Chromium against the live server."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from procedures import errors
from procedures.models import Product, SessionStatus, TreatmentSession
from procedures.tests.factories import LotFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def click_figure(page: Page, view: str, x: float, y: float) -> None:
    """Click the body map's `view` at (x, y), normalised to the drawing."""
    figure = page.locator(f'[data-body-map] svg[data-view="{view}"]')
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])


def add_point(page: Page, view: str, x: float, y: float, units: str) -> None:
    click_figure(page, view, x, y)
    units_field = page.get_by_role("textbox", name="Units")
    expect(units_field).to_be_focused()
    units_field.fill(units)
    page.get_by_role("button", name="Save point").click()
    expect(page.locator("[data-point-editor]")).to_be_hidden()


def test_clinician_documents_signs_and_amends_a_session(
    page: Page, live_server, sign_in, clinician, front_desk, patient
) -> None:
    LotFactory(product=Product.objects.get(brand_name="Botox"), lot_number="C8080A")
    appointment = AppointmentFactory(
        patient=patient,
        clinician=clinician,
        status=AppointmentStatus.ARRIVED,
        start=timezone.now().replace(second=0, microsecond=0),
    )
    sign_in("clinician")

    # The checked-in appointment, from the work list.
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_role("button", name=f"Start the session for {patient.display_name}").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Draft")
    expect(page.get_by_test_id("consent-status")).to_contain_text("Valid")
    expect(page.get_by_test_id("allergies")).to_have_text("Latex")

    # Open a vial (the form is open while the session has none): 100 U in 2.5 mL.
    page.get_by_label("Saline added (mL)").fill("2.5")
    page.get_by_role("button", name="Open vial").click()
    expect(page.get_by_text(re.compile(r"Vial \d+ opened: 4 U per 0.1 mL"))).to_be_visible()

    # Three points on two muscles; the volume shows as the units are typed.
    click_figure(page, "back", 0.43, 0.215)
    expect(page.get_by_label("Muscle")).to_have_value("upper-trapezius")
    expect(page.get_by_label("Side")).to_have_value("left")
    page.get_by_role("textbox", name="Units").fill("20")
    expect(page.locator("[data-volume]")).to_have_text("0.5 mL (4 U per 0.1 mL)")
    page.get_by_role("button", name="Save point").click()
    expect(page.locator("[data-point-editor]")).to_be_hidden()
    add_point(page, "back", 0.57, 0.215, "55")
    add_point(page, "back", 0.60, 0.27, "15")

    points = page.get_by_test_id("points-table")
    expect(points.locator("tbody tr")).to_have_count(3)
    expect(points).to_contain_text("Upper trapezius (right)")
    expect(points).to_contain_text("1.375")
    expect(page.get_by_test_id("muscle-totals")).to_contain_text("Upper trapezius (left): 20 U")
    expect(page.get_by_test_id("muscle-totals")).to_contain_text("Infraspinatus (right): 15 U")
    expect(page.get_by_test_id("session-total")).to_have_text("90")
    expect(page.get_by_test_id("dose-warnings")).to_contain_text(
        "Point 2 (Upper trapezius, right): 55 U at one site; the Botox limit is 50 U per site."
    )
    expect(
        page.get_by_role("button", name="Point 2: Right upper trapezius, 55 units")
    ).to_be_visible()

    # Before and after the injections.
    page.get_by_label("Pain before (NRS 0-10)").fill("7")
    page.get_by_label("Pain before (NRS 0-10)").press("Tab")
    page.get_by_label("Precautions confirmed").check()
    page.get_by_label("No infection at the injection sites").check()
    page.get_by_label("Aftercare given").check()
    expect(page.get_by_test_id("missing-fields")).to_be_empty()

    # Signing past the warning needs a reason.
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("give the reason for going ahead to sign")).to_be_visible()
    page.get_by_label("Reason for going past the warnings").fill("Tolerated 55 U here before")
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.get_by_text("Session signed. It can no longer be edited.")).to_be_visible()

    # Locked: no editor, and a hand-made request is refused.
    expect(page.get_by_test_id("session-status")).to_have_text("Signed")
    expect(page.get_by_role("button", name="Add a point")).to_have_count(0)
    expect(page.get_by_test_id("override")).to_contain_text("Tolerated 55 U here before")
    session = TreatmentSession.objects.get(appointment=appointment)
    refused = page.evaluate(
        """async (url) => {
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
            const body = new FormData();
            body.append("pain_before", "1");
            const headers = {"X-CSRFToken": token};
            const response = await fetch(url, {method: "POST", body, headers});
            return [response.status, (await response.json()).error];
        }""",
        f"/procedures/sessions/{session.pk}/details/",
    )
    assert refused == [409, errors.SESSION_SIGNED]

    # A correction is an amendment, shown under the record.
    page.get_by_label("Reason for the amendment").fill("Late entry")
    page.get_by_label("Correction").fill("Mild bruising at point 2 on leaving.")
    page.get_by_role("button", name="Add amendment").click()
    expect(page.get_by_test_id("amendments")).to_contain_text(
        "Mild bruising at point 2 on leaving."
    )

    session.refresh_from_db()
    appointment.refresh_from_db()
    assert (session.status, session.pain_before) == (SessionStatus.SIGNED, 7)
    assert appointment.status == AppointmentStatus.COMPLETED

    # The front desk gets 403 on the session's page.
    page.get_by_role("button", name="Sign out").click()
    sign_in("frontdesk")
    response = page.goto(f"{live_server.url}/procedures/sessions/{session.pk}/")
    assert response.status == 403
    expect(page.get_by_text(patient.last_name)).to_have_count(0)
