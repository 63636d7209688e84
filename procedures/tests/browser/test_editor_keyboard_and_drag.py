"""The editor without the map (keyboard only), dragging a marker, and the
last session's points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from procedures.models import Product
from procedures.services.sessions import session_start_walk_in
from procedures.services.stock import vial_open
from procedures.tests.factories import LotFactory, session_with_injections

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def draft(patient, clinician):
    lot = LotFactory(product=Product.objects.get(brand_name="Botox"))
    vial_open(lot=lot, diluent_ml=Decimal(2), user=clinician)
    return session_start_walk_in(patient=patient, user=clinician)


def open_editor(page: Page, live_server, sign_in, session) -> None:
    sign_in("clinician")
    page.goto(f"{live_server.url}/procedures/sessions/{session.pk}/")
    expect(page.get_by_test_id("body-map")).to_be_visible()


def test_a_keyboard_user_adds_edits_and_removes_a_point(page, live_server, sign_in, draft):
    open_editor(page, live_server, sign_in, draft)

    page.get_by_role("button", name="Add a point").focus()
    page.keyboard.press("Enter")
    muscle = page.get_by_label("Muscle")
    expect(muscle).to_be_focused()
    muscle.select_option("levator-scapulae")
    page.get_by_label("Side").select_option("right")
    page.get_by_role("textbox", name="Units").fill("10")
    expect(page.locator("[data-volume]")).to_have_text("0.2 mL (5 U per 0.1 mL)")
    page.keyboard.press("Enter")

    rows = page.get_by_test_id("points-table").locator("tbody tr")
    expect(rows).to_have_text(["1Levator scapulae (right)100.2Edit"])
    expect(
        page.get_by_role("button", name="Point 1: Right levator scapulae, 10 units")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Add a point")).to_be_focused()
    point = draft.trigger_points.get()
    assert (point.view, point.side) == ("back", "right")
    assert Decimal("0.5") < point.x < 1  # placed on the patient's right of the back view

    page.get_by_role("button", name="Edit point 1").focus()
    page.keyboard.press("Enter")
    units = page.get_by_role("textbox", name="Units")
    units.fill("12")
    units.press("Tab")
    expect(rows).to_have_text(["1Levator scapulae (right)120.24Edit"])
    expect(page.get_by_test_id("session-total")).to_have_text("12")

    page.get_by_role("button", name="Remove point").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(0)
    expect(page.get_by_text("No points yet.")).to_be_visible()
    assert not draft.trigger_points.exists()


def test_dragging_a_marker_moves_the_point_to_the_other_side(page, live_server, sign_in, draft):
    open_editor(page, live_server, sign_in, draft)
    figure = page.locator('[data-body-map] svg[data-view="back"]')
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    page.mouse.click(box["x"] + 0.43 * box["width"], box["y"] + 0.215 * box["height"])
    page.get_by_role("textbox", name="Units").fill("10")
    page.get_by_role("button", name="Save point").click()
    expect(page.locator("[data-point-editor]")).to_be_hidden()

    marker = page.get_by_role("button", name="Point 1: Left upper trapezius, 10 units")
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    start = marker.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.22 * box["height"], steps=5)
    page.mouse.move(box["x"] + 0.57 * box["width"], box["y"] + 0.215 * box["height"], steps=5)
    page.mouse.up()

    expect(page.get_by_test_id("points-table")).to_contain_text("Upper trapezius (right)")
    point = draft.trigger_points.get()
    assert point.side == "right"
    assert abs(point.x - Decimal("0.57")) < Decimal("0.02")


def test_last_sessions_points_show_greyed_and_can_be_copied(
    page, live_server, sign_in, patient, clinician
) -> None:
    session_with_injections(
        units=["10", "20"],
        patient=patient,
        started_at=timezone.now() - dt.timedelta(days=100),
    )
    draft = session_start_walk_in(patient=patient, user=clinician)
    open_editor(page, live_server, sign_in, draft)

    expect(page.locator(".bm-ghost")).to_have_count(2)
    page.get_by_label("Last session's points").uncheck()
    expect(page.locator(".bm-ghost")).to_have_count(0)
    page.get_by_role("button", name="Copy last session's points").click()

    rows = page.get_by_test_id("points-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("—")  # units are entered as they are given
    assert draft.trigger_points.count() == 2


def test_a_click_where_the_drawing_shows_no_muscle_offers_the_candidates(
    page, live_server, sign_in, draft
) -> None:
    open_editor(page, live_server, sign_in, draft)
    figure = page.locator('[data-body-map] svg[data-view="back"]')
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()

    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.14 * box["height"])

    muscle = page.get_by_label("Muscle")
    expect(muscle).to_be_focused()
    expect(muscle).to_have_value("")
    near = muscle.locator("optgroup[label='Near the click'] option")
    expect(near.first).to_be_attached()
    assert near.all_text_contents() == ["Occipitalis", "Temporalis"]  # the back of the scalp
    muscle.select_option(label="Occipitalis")
    page.get_by_role("textbox", name="Units").fill("5")
    page.get_by_role("button", name="Save point").click()

    expect(page.get_by_test_id("points-table")).to_contain_text("Occipitalis (midline)")
