"""The survey and unsubscribe pages patients reach through signed links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse

from followups.links import LinkPurpose, link_url
from followups.models import Alert, FollowUp, FollowUpKind, FollowUpStatus, SurveyResponse
from followups.rechecks import SKIP_UNSUBSCRIBED
from followups.tests.factories import FollowUpFactory

pytestmark = pytest.mark.django_db

NO_WARNINGS = {
    "pain_now": "3",
    "pgic": "2",
    "trouble_swallowing": "no",
    "trouble_speaking": "no",
    "trouble_breathing": "no",
    "drooping_eyelid": "no",
    "double_vision": "no",
    "new_weakness": "no",
    "comment": "Much easier to turn my head.",
}


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.fixture
def survey_followup() -> FollowUp:
    return FollowUpFactory(kind=FollowUpKind.SURVEY_2W, status=FollowUpStatus.SENT)


@pytest.fixture
def survey_path(survey_followup) -> str:
    return _path(link_url(followup=survey_followup, purpose=LinkPurpose.SURVEY))


def _answers(**changes: str) -> dict[str, str]:
    return {**NO_WARNINGS, **changes}


# The survey ----------------------------------------------------------------------------------


def test_survey_link_opens_the_form_without_signing_in(client, survey_path) -> None:
    html = client.get(survey_path).content.decode()

    assert "How strong is your pain right now?" in html
    assert "how has your condition changed overall?" in html
    assert "Do you have trouble swallowing?" in html


def test_answers_are_kept_once_and_the_patient_is_thanked(
    client, survey_followup, survey_path
) -> None:
    response = client.post(survey_path, _answers())

    assert "your answers reached the clinic" in response.content.decode()
    answer = SurveyResponse.objects.get(followup=survey_followup)
    assert (answer.pain_now, answer.pgic, answer.comment) == (3, 2, NO_WARNINGS["comment"])
    assert answer.session == survey_followup.session
    assert not Alert.objects.exists()


def test_a_warning_sign_alerts_the_sessions_clinician_and_tells_the_patient_to_seek_care(
    client, survey_followup, survey_path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(survey_path, _answers(double_vision="yes"))

    html = response.content.decode()
    assert "You told us about: double vision." in html
    assert "seek medical care at once" in html
    alert = Alert.objects.get()
    assert alert.clinician == survey_followup.session.clinician
    assert alert.response.double_vision is True
    assert len(callbacks) == 1  # the alert email is queued after commit


def test_an_incomplete_survey_says_what_is_missing_and_keeps_nothing(client, survey_path) -> None:
    answers = _answers()
    del answers["trouble_breathing"]

    response = client.post(survey_path, {**answers, "pain_now": "11"})

    html = response.content.decode()
    assert "Please answer yes or no." in html
    assert "Select a valid choice. 11 is not one of the available choices." in html
    assert 'value="2" checked' in html  # what was answered stays answered
    assert not SurveyResponse.objects.exists()


def test_a_second_visit_says_thanks_already_answered_and_changes_nothing(
    client, survey_path
) -> None:
    client.post(survey_path, _answers())

    visit = client.get(survey_path)
    again = client.post(survey_path, _answers(pain_now="9", double_vision="yes"))

    for response in (visit, again):
        assert "we already have your answers" in response.content.decode()
    assert list(SurveyResponse.objects.values_list("pain_now", flat=True)) == [3]
    assert not Alert.objects.exists()


def _assert_refused(response, *, status: int, text: str) -> None:
    assert response.status_code == status
    assert text in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_tampered_survey_link_is_refused_and_changes_nothing(client, survey_path) -> None:
    token = survey_path.split("/")[-2]
    tampered = survey_path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))

    _assert_refused(client.get(tampered), status=400, text="This link is not valid")
    _assert_refused(client.post(tampered, _answers()), status=400, text="This link is not valid")


def test_an_expired_survey_link_is_refused_and_changes_nothing(
    client, survey_path, settings
) -> None:
    settings.FOLLOWUP_SURVEY_LINK_AGE = dt.timedelta(seconds=-1)

    _assert_refused(client.post(survey_path, _answers()), status=410, text="This link has expired")


def test_an_unsubscribe_link_does_not_open_the_survey(client, survey_followup) -> None:
    unsubscribe = link_url(followup=survey_followup, purpose=LinkPurpose.UNSUBSCRIBE)
    token = unsubscribe.rstrip("/").split("/")[-1]
    wrong_purpose = reverse("followups:survey", kwargs={"token": token})

    _assert_refused(
        client.post(wrong_purpose, _answers()), status=400, text="This link is not valid"
    )


def test_a_survey_link_for_an_email_that_is_not_a_survey_is_refused(client) -> None:
    day_after = FollowUpFactory(kind=FollowUpKind.DAY_AFTER)
    path = _path(link_url(followup=day_after, purpose=LinkPurpose.SURVEY))

    _assert_refused(client.post(path, _answers()), status=400, text="This link is not valid")


def test_a_link_carries_only_an_opaque_id(survey_followup, survey_path) -> None:
    token = survey_path.split("/")[-2]

    assert signing.loads(token, salt=LinkPurpose.SURVEY.value.salt) == (
        survey_followup.public_id.hex
    )
    for private in [survey_followup.patient.email, str(survey_followup.patient_id)]:
        assert private not in survey_path.replace(token, "")


# Unsubscribing ---------------------------------------------------------------------------------


@pytest.fixture
def unsubscribe_path(survey_followup) -> str:
    return _path(link_url(followup=survey_followup, purpose=LinkPurpose.UNSUBSCRIBE))


def test_opening_the_unsubscribe_link_asks_and_changes_nothing(
    client, survey_followup, unsubscribe_path
) -> None:
    response = client.get(unsubscribe_path)

    assert "Stop all emails from" in response.content.decode()
    survey_followup.patient.refresh_from_db()
    assert survey_followup.patient.unsubscribed_at is None
    assert response.cookies == {}


def test_one_click_post_without_cookie_or_csrf_token_stops_every_pending_email(
    survey_followup, unsubscribe_path
) -> None:
    from django.test import Client

    patient = survey_followup.patient
    pending = FollowUpFactory(kind=FollowUpKind.SURVEY_6W, session=survey_followup.session)
    other_patients = FollowUpFactory()
    mail_provider = Client(enforce_csrf_checks=True)

    response = mail_provider.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "you will not receive any more emails" in response.content.decode()
    patient.refresh_from_db()
    assert patient.unsubscribed_at is not None
    pending.refresh_from_db()
    assert (pending.status, pending.skip_reason) == (FollowUpStatus.SKIPPED, SKIP_UNSUBSCRIBED)
    other_patients.refresh_from_db()
    assert other_patients.status == FollowUpStatus.PENDING
    assert response.cookies == {}


def test_a_post_without_the_one_click_body_unsubscribes_nobody(
    client, survey_followup, unsubscribe_path
) -> None:
    response = client.post(unsubscribe_path, {})

    assert response.status_code == 400
    survey_followup.patient.refresh_from_db()
    assert survey_followup.patient.unsubscribed_at is None


def test_a_survey_link_does_not_unsubscribe(client, survey_followup, survey_path) -> None:
    token = survey_path.split("/")[-2]
    path = reverse("followups:unsubscribe", kwargs={"token": token})

    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 400
    survey_followup.patient.refresh_from_db()
    assert survey_followup.patient.unsubscribed_at is None


def test_unsubscribing_twice_keeps_the_first_time(client, survey_followup, unsubscribe_path):
    client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    survey_followup.patient.refresh_from_db()
    first = survey_followup.patient.unsubscribed_at

    client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})

    survey_followup.patient.refresh_from_db()
    assert survey_followup.patient.unsubscribed_at == first
    assert "You will not receive any more emails" in client.get(unsubscribe_path).content.decode()
