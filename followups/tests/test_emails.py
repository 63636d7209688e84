"""What patient emails say, and above all what they never say."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.mail import EmailMultiAlternatives

from clinic.tests.security_checks import XSS_PROBE
from followups.emails import TEMPLATE_FOR_KIND, alert_email, followup_email
from followups.models import Alert, FollowUp, FollowUpKind, SurveyResponse
from followups.tests.factories import FollowUpFactory
from procedures.models import Muscle, SessionStatus
from procedures.tests.factories import (
    InjectionFactory,
    MuscleFactory,
    ProductFactory,
    TreatmentSessionFactory,
    TriggerPointFactory,
    VialFactory,
)
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
DATE_OF_BIRTH = dt.date(1961, 4, 23)
PRODUCT_NAMES = [
    "Botox",
    "Dysport",
    "Xeomin",
    "Myobloc",
    "onabotulinumtoxinA",
    "abobotulinumtoxinA",
    "incobotulinumtoxinA",
    "rimabotulinumtoxinB",
]
ALWAYS_FORBIDDEN = [
    "toxin",
    "botulinum",
    "trigger point",
    "trigger-point",
    "units",
    "myofascial",
    "M79.18",
    "injection",
    "inject",
    *PRODUCT_NAMES,
    "1961",
    "04/23",
    "4/23",
    "April 23",
    "Apr. 23",
]


@pytest.fixture
def treated_patient_session(settings):
    """A signed session with everything a leak could draw on."""
    settings.CLINIC_NAME = "Riverside Pain Clinic"  # the default name itself says "Trigger Point"
    settings.CLINIC_PHONE = "(555) 010-4477"
    settings.CLINIC_TIME_ZONE = "America/New_York"
    product = ProductFactory()
    session = TreatmentSessionFactory(
        product=product,
        started_at=dt.datetime(2026, 7, 6, 10, 30, tzinfo=NEW_YORK),
        patient__first_name="Margaret",
        patient__preferred_name="Peggy",
        patient__last_name="Vandersloot",
        patient__date_of_birth=DATE_OF_BIRTH,
        indication="Myofascial pain, upper back",
        icd10_code="M79.18",
    )
    muscles = [
        MuscleFactory(),
        MuscleFactory(slug="levator-scapulae", name="Levator scapulae", region="neck"),
        MuscleFactory(slug="piriformis", name="Piriformis", region="hip"),
    ]
    vial = VialFactory(lot__product=product)
    for muscle in muscles:
        point = TriggerPointFactory(session=session, muscle=muscle)
        InjectionFactory(trigger_point=point, vial=vial, units=Decimal("25"))
    # Signed after its points: the database refuses points on a signed session.
    session.status = SessionStatus.SIGNED
    session.signed_at = session.started_at + dt.timedelta(minutes=40)
    session.signed_by = session.clinician
    session.save()
    return session


def _all_text(message: EmailMultiAlternatives) -> str:
    html = "".join(content for content, _ in message.alternatives)
    headers = " ".join(f"{k}: {v}" for k, v in message.extra_headers.items())
    return "\n".join([message.subject, message.body, html, headers, message.from_email])


def _every_patient_email(session) -> dict[str, EmailMultiAlternatives]:
    emails = {
        kind: followup_email(followup=FollowUpFactory(kind=kind, session=session))
        for kind in TEMPLATE_FOR_KIND
        if kind != FollowUpKind.APPOINTMENT_REMINDER
    }
    appointment = AppointmentFactory(
        patient=session.patient, start=dt.datetime(2026, 10, 5, 14, 0, tzinfo=NEW_YORK)
    )
    reminder = FollowUpFactory(
        kind=FollowUpKind.APPOINTMENT_REMINDER,
        session=None,
        appointment=appointment,
        patient=session.patient,
    )
    emails[FollowUpKind.APPOINTMENT_REMINDER] = followup_email(followup=reminder)
    return emails


def _alert(session) -> Alert:
    answers = dict.fromkeys(SurveyResponse.WARNING_SIGNS, True)
    followup = FollowUp.objects.filter(session=session, kind=FollowUpKind.SURVEY_2W).first()
    followup = followup or FollowUpFactory(kind=FollowUpKind.SURVEY_2W, session=session)
    response = SurveyResponse.objects.create(
        followup=followup, session=session, patient=session.patient, pain_now=3, pgic=2, **answers
    )
    return Alert.objects.create(response=response, session=session, clinician=session.clinician)


def test_no_email_names_the_product_units_muscles_diagnosis_or_date_of_birth(
    treated_patient_session,
) -> None:
    session = treated_patient_session
    emails = _every_patient_email(session)
    emails["alert"] = alert_email(alert=_alert(session))
    forbidden = [*ALWAYS_FORBIDDEN, *Muscle.objects.values_list("name", flat=True)]

    assert len(emails) == 6
    for name, message in emails.items():
        text = _all_text(message)
        leaks = [word for word in forbidden if word.lower() in text.lower()]
        assert leaks == [], f"{name} email mentions {leaks}"
        # Links carry signed tokens whose random segments can look like "4U".
        prose = re.sub(r"https?://\S+", "", text)
        assert not re.search(r"\b\d+(\.\d+)?\s?U\b", prose), f"{name} email mentions units"
        assert "Vandersloot" not in text, f"{name} email names the patient's last name"
        assert session.patient.mrn not in text


def test_the_clinic_alert_email_carries_no_patient_details(treated_patient_session) -> None:
    session = treated_patient_session

    text = _all_text(alert_email(alert=_alert(session)))

    assert "Peggy" not in text and "Margaret" not in text
    assert "swallowing" not in text  # not even which sign
    assert "http://testserver/" in text


def test_patient_emails_greet_by_preferred_name_and_give_the_clinic_phone(
    treated_patient_session,
) -> None:
    for message in _every_patient_email(treated_patient_session).values():
        assert "Hello Peggy," in message.body
        assert "(555) 010-4477" in message.body
        assert "Riverside Pain Clinic" in message.from_email


def test_reminder_gives_the_date_and_time_on_the_clinics_clock(treated_patient_session) -> None:
    reminder = _every_patient_email(treated_patient_session)[FollowUpKind.APPOINTMENT_REMINDER]

    assert "Monday, October 5, 2026 at 2:00 PM" in reminder.body
    assert reminder.subject == "Reminder: your appointment on Monday, October 5 at 2:00 PM"


def test_day_after_email_says_what_to_watch_for_and_whom_to_call(treated_patient_session) -> None:
    day_after = _every_patient_email(treated_patient_session)[FollowUpKind.DAY_AFTER]

    for sign in [
        "trouble swallowing",
        "trouble speaking",
        "trouble breathing",
        "drooping eyelid",
        "double vision",
        "new muscle weakness",
        "Seek medical care at once",
    ]:
        assert sign in day_after.body
    assert "(555) 010-4477" in day_after.body


def test_every_patient_email_has_one_click_unsubscribe_headers_and_a_footer_link(
    treated_patient_session,
) -> None:
    for message in _every_patient_email(treated_patient_session).values():
        headers = message.extra_headers
        url = re.fullmatch(r"<(http://testserver/followups/u/[^>]+/)>", headers["List-Unsubscribe"])
        assert url, headers["List-Unsubscribe"]
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"Stop all emails from us: {url.group(1)}" in message.body
        assert f'href="{url.group(1)}"' in message.alternatives[0][0]


def test_survey_emails_link_to_the_survey(treated_patient_session) -> None:
    emails = _every_patient_email(treated_patient_session)

    for kind, weeks in [(FollowUpKind.SURVEY_2W, 2), (FollowUpKind.SURVEY_6W, 6)]:
        assert re.search(r"http://testserver/followups/s/[^/\s]+/", emails[kind].body)
        assert emails[kind].subject.startswith(f"{weeks} weeks after your visit")


def test_a_name_with_markup_is_escaped_in_the_html_of_every_patient_email(
    treated_patient_session,
) -> None:
    patient = treated_patient_session.patient
    patient.preferred_name = XSS_PROBE
    patient.save()

    for kind, message in _every_patient_email(treated_patient_session).items():
        html = message.alternatives[0][0]
        assert "&lt;script&gt;alert" in html, kind
        assert "<script>alert" not in html, kind
        assert "<img src=x onerror" not in html, kind
