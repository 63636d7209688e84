"""The front desk registers and finds a patient; a clinician completes the
clinical parts of the chart. Real Chromium against the live server."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from patients.models import Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _register(page: Page, live_server, *, first: str, last: str, born: str) -> None:
    page.goto(f"{live_server.url}/patients/new/")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_role("textbox", name="Phone").fill("718 555 0107")
    page.get_by_role("textbox", name="Email").fill("henryk.w@example.com")
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Agrees to be contacted by email").check()
    page.get_by_role("button", name="Register patient").click()


def _search(page: Page, text: str) -> None:
    """Type as a person does; htmx fetches the results while they type."""
    box = page.get_by_label("Find a patient")
    box.clear()
    box.press_sequentially(text, delay=30)


def test_front_desk_registers_is_warned_of_a_duplicate_and_finds_the_patient(
    page: Page, live_server, sign_in, front_desk, clinician
) -> None:
    sign_in(front_desk.username)
    page.get_by_role("link", name="Patients").click()
    page.get_by_role("link", name="Register a patient").click()
    expect(page.get_by_text("Ordinary email is not encrypted")).to_be_visible()

    _register(page, live_server, first="Henryk", last="Wiśniewski", born="07/02/1971")
    expect(page.get_by_role("heading", name="Henryk Wiśniewski")).to_be_visible()
    mrn = Patient.objects.get().mrn
    expect(page.get_by_text(f"Registered Henryk Wiśniewski, MRN {mrn}.")).to_be_visible()

    _register(page, live_server, first="henryk", last="Wisniewski", born="7/2/71")
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text(f"MRN {mrn}")
    expect(
        page.get_by_role("button", name="They are different people: register anyway")
    ).to_be_visible()
    warning.get_by_role("link", name="Henryk Wiśniewski").click()
    expect(page.get_by_test_id("chart-identity")).to_contain_text(mrn)
    assert Patient.objects.count() == 1

    page.get_by_role("link", name="Patients").click()
    page.wait_for_load_state()
    _search(page, "wisnewski")
    expect(page.get_by_test_id("search-results")).to_contain_text(mrn)
    _search(page, "7/2/1971")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("Wiśniewski, Henryk")
    results.get_by_role("link", name="Wiśniewski, Henryk").click()

    expect(page.get_by_test_id("chart-contact")).to_contain_text("(718) 555-0107")
    expect(page.get_by_test_id("chart-appointments")).to_be_visible()
    expect(page.get_by_test_id("chart-precautions")).to_have_count(0)
    expect(page.get_by_test_id("chart-consent")).to_have_count(0)
    expect(page.get_by_test_id("precautions-review-due")).to_be_visible()
    chart_url = page.url
    assert "wisn" not in chart_url and "1971" not in chart_url

    page.go_back()
    expect(page.get_by_test_id("search-results")).to_contain_text("Wiśniewski, Henryk")

    page.get_by_role("button", name="Sign out").click()
    sign_in(clinician.username)
    page.goto(chart_url)
    page.get_by_role("link", name="Record precautions").click()
    for question in (
        "Neuromuscular disorder",
        "Pregnant or breastfeeding",
        "Prior hypersensitivity",
        "Swallowing or breathing problems",
    ):
        page.get_by_role("group", name=question).get_by_label("No").check()
    page.get_by_role("group", name="Taking aminoglycosides").get_by_label("No").check()
    page.get_by_role("group", name="Bleeding risk").get_by_label("Yes").check()
    page.get_by_label("Allergies").fill("Penicillin (hives)")
    page.get_by_role("button", name="Save review").click()

    precautions = page.get_by_test_id("chart-precautions")
    expect(precautions).to_contain_text("Penicillin (hives)")
    expect(precautions).to_contain_text("Up to date")
    expect(precautions.locator("li", has_text="Bleeding risk")).to_contain_text("Yes")

    page.get_by_role("link", name="Record signed consent").click()
    expect(page.get_by_label("Date signed")).to_have_value(
        timezone.localdate().strftime("%m/%d/%Y")
    )
    page.get_by_label("Witness").fill("Fran Desmond")
    page.get_by_role("button", name="Record consent").click()

    consent = page.get_by_test_id("chart-consent")
    expect(consent).to_contain_text("Valid consent on file")
    expect(consent).to_contain_text("Fran Desmond")
    expect(page.get_by_test_id("precautions-review-due")).to_have_count(0)
