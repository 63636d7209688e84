"""A clinician opens a treated patient's outcomes, then the clinic dashboard."""

from __future__ import annotations

import datetime as dt
import os
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone
from playwright.sync_api import Page, expect

from clinic.tests.factories import UserFactory
from outcomes.tests.factories import AdverseEventFactory, course_of_treatment
from patients.models import Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Set OUTCOMES_SCREENSHOTS=/some/dir to keep screenshots of the pages.
SCREENSHOTS = os.environ.get("OUTCOMES_SCREENSHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_clinician_sees_the_pain_chart_and_a_dashboard_with_figures(
    page: Page, live_server, sign_in
) -> None:
    UserFactory(username="casey", role="Clinician")
    patient = course_of_treatment(sessions=3, start=timezone.now() - dt.timedelta(weeks=30))
    AdverseEventFactory(session=patient.sessions.order_by("started_at").last())

    sign_in("casey")
    page.goto(f"{live_server.url}/outcomes/patients/{patient.pk}/")

    chart = page.get_by_test_id("pain-chart")
    expect(chart.get_by_role("img")).to_be_visible()
    expect(chart.get_by_test_id("session-marker")).to_have_count(3)
    expect(chart.locator("[data-meaningful=true]")).to_have_count(3)
    expect(chart.get_by_text("S1 · 35 U Botox")).to_be_visible()
    expect(page.get_by_test_id("pain-table").get_by_text("Meaningful response")).to_have_count(3)
    expect(page.get_by_test_id("muscle-table").get_by_text("Upper trapezius")).to_be_visible()
    expect(page.get_by_test_id("heat-map")).to_be_visible()
    _shot(page, "patient-outcomes")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Clinic dashboard")).to_be_visible()
    page.get_by_label("From").fill((timezone.localdate() - dt.timedelta(weeks=40)).isoformat())
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_test_id("figure-sessions")).to_have_text("3")
    expect(page.get_by_test_id("units-per-product")).to_contain_text("105 U")
    expect(page.get_by_test_id("figure-meaningful-2w")).to_contain_text("100%")
    expect(page.get_by_test_id("adverse-events")).to_contain_text("Local pain")
    _shot(page, "dashboard")

    page.get_by_test_id("figure-meaningful-2w").get_by_role("link").click()

    expect(page.get_by_test_id("outcome-list").locator("tbody tr")).to_have_count(3)
    _shot(page, "answers-list")


def test_after_seed_demo_a_chart_shows_the_pain_chart_and_the_dashboard_has_figures(
    page: Page, live_server, sign_in, settings
) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    treated = (
        Patient.objects.annotate(signed=Count("sessions", filter=Q(sessions__status="signed")))
        .order_by("-signed")
        .first()
    )

    sign_in("clinician", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/patients/{treated.pk}/")

    chart = page.get_by_test_id("chart-outcomes").get_by_test_id("pain-chart")
    expect(chart.get_by_role("img")).to_be_visible()
    expect(chart.get_by_test_id("session-marker")).to_have_count(treated.signed)
    _shot(page, "seeded-chart")

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("From").fill((timezone.localdate() - dt.timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Show").click()

    for figure in ("figure-sessions", "units-per-product"):
        expect(page.get_by_test_id(figure)).not_to_have_text(re.compile(r"^\s*0\s*$"))
    expect(page.get_by_test_id("units-per-product")).to_contain_text(" U ")
    _shot(page, "seeded-dashboard")
