"""A patient answers the survey from the email that reached the SMTP server;
the clinician sees the answer and the alert."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page, expect

from clinic.tests.factories import PASSWORD, UserFactory
from followups import courier as courier_service
from followups.models import FollowUp, FollowUpKind
from followups.services import followups_on_session_signed
from followups.tests.processes import wait_until
from procedures.tests.factories import TreatmentSessionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def test_patient_answers_from_the_email_and_the_clinician_sees_answer_and_alert(
    page: Page, live_server, sign_in, courier, smtp, settings
) -> None:
    settings.SITE_URL = live_server.url
    settings.CLINIC_ALERT_EMAIL = "on-call@clinic.example"
    courier.start_worker()
    clinician = UserFactory(username="dr-lind", first_name="Casey", role="Clinician")
    session = TreatmentSessionFactory(
        clinician=clinician, signed=True, pain_before=7, patient__preferred_name="Peggy"
    )
    with transaction.atomic():
        followups_on_session_signed(session=session)
    FollowUp.objects.filter(session=session, kind=FollowUpKind.SURVEY_2W).update(
        due_at=timezone.now()
    )
    courier_service.followups_dispatch(now=timezone.now())

    (email,) = wait_until(lambda: smtp.messages, what="the survey email")
    link = re.search(r"http://\S+/followups/s/\S+/", email.get_body(("plain",)).get_content())
    page.goto(link.group(0))

    expect(page.get_by_role("heading", name="How are you doing since your visit?")).to_be_visible()
    _answer(page, "How strong is your pain right now?", "3")
    _answer(page, "Since your visit, how has your condition changed overall?", "Much better")
    for question in [
        "Do you have trouble swallowing?",
        "Do you have trouble speaking?",
        "Do you have trouble breathing?",
        "Has an eyelid started to droop?",
        "Do you have new muscle weakness?",
    ]:
        _answer(page, question, "No")
    _answer(page, "Do you see double?", "Yes")
    page.get_by_label("Anything else you would like us to know? (optional)").fill(
        "Blurry since Tuesday."
    )
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you, your answers reached the clinic")).to_be_visible()
    expect(page.get_by_test_id("warning-advice")).to_contain_text("double vision")
    page.goto(link.group(0))
    expect(page.get_by_text("we already have your answers")).to_be_visible()

    alert_email = wait_until(lambda: smtp.messages[1:], what="the alert email")[0]
    assert alert_email["To"] == "on-call@clinic.example"
    assert "Peggy" not in alert_email.as_string()

    sign_in("dr-lind", PASSWORD)
    alerts = page.get_by_test_id("home-alerts")
    expect(alerts).to_contain_text(f"{session.patient.display_name}")
    expect(alerts).to_contain_text("reported double vision")
    alerts.get_by_role("link", name="See the answers").click()

    answers = page.get_by_test_id("session-surveys")
    expect(answers).to_contain_text("3/10 (-4 since before the session)")
    expect(answers).to_contain_text("2 · Much better")
    expect(answers).to_contain_text("Yes: double vision")
    expect(answers).to_contain_text("Blurry since Tuesday.")

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("home-alerts").get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(page.get_by_test_id("home-alerts")).to_contain_text("No warning signs waiting for you.")
