"""The outbox, the alerts on a clinician's home page, and survey answers for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp, FollowUpKind, FollowUpStatus
from followups.services import NOT_FAILED
from followups.tests.factories import (
    AlertFactory,
    FollowUpFactory,
    SurveyResponseFactory,
    due_followups,
)
from followups.views import ACKNOWLEDGED, RETRIED
from procedures.tests.factories import TreatmentSessionFactory

pytestmark = pytest.mark.django_db

OUTBOX = reverse("followups:outbox")


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


# The outbox -----------------------------------------------------------------------------------


def test_outbox_lists_each_email_with_its_status_and_last_error(clinician_client) -> None:
    failed = FollowUpFactory(
        status=FollowUpStatus.FAILED, attempts=1, last_error="550 5.1.1 Mailbox unavailable"
    )
    skipped = FollowUpFactory(
        kind=FollowUpKind.SURVEY_2W, status=FollowUpStatus.SKIPPED, skip_reason="No consent"
    )

    html = clinician_client.get(OUTBOX).content.decode()

    assert "550 5.1.1 Mailbox unavailable" in html
    assert "No consent" in html
    assert failed.patient.display_name in html
    assert skipped.patient.mrn in html
    assert html.count(">Retry</button>") == 1


def test_outbox_filters_by_status_kind_and_local_due_date(clinician_client, settings) -> None:
    settings.CLINIC_TIME_ZONE = "America/New_York"
    # 23:30 in New York on June 1 is June 2 in UTC.
    june_first_late = dt.datetime(2026, 6, 2, 3, 30, tzinfo=dt.UTC)
    wanted = FollowUpFactory(status=FollowUpStatus.SENT, due_at=june_first_late)
    FollowUpFactory(status=FollowUpStatus.FAILED, due_at=june_first_late)
    FollowUpFactory(status=FollowUpStatus.SENT, due_at=june_first_late + dt.timedelta(days=1))
    FollowUpFactory(kind=FollowUpKind.SURVEY_6W, status=FollowUpStatus.SENT, due_at=june_first_late)

    response = clinician_client.get(
        OUTBOX,
        {"status": "sent", "kind": "day_after", "due_from": "2026-06-01", "due_to": "2026-06-01"},
    )

    assert [row.pk for row in response.context["page"]] == [wanted.pk]


def test_outbox_says_which_filter_is_wrong_and_lists_everything(clinician_client) -> None:
    FollowUpFactory()

    response = clinician_client.get(OUTBOX, {"due_from": "2026-06-02", "due_to": "2026-06-01"})

    assert "The end date is before the start date." in response.content.decode()
    assert len(response.context["page"]) == 1


def test_outbox_shows_how_long_the_oldest_overdue_email_has_waited(clinician_client) -> None:
    FollowUpFactory(due_at=timezone.now() - dt.timedelta(hours=3, minutes=5))
    FollowUpFactory(due_at=timezone.now() - dt.timedelta(minutes=1))
    FollowUpFactory(status=FollowUpStatus.SENT, due_at=timezone.now() - dt.timedelta(days=9))

    html = clinician_client.get(OUTBOX).content.decode()

    assert "Oldest overdue email</span> due 3\xa0hours, 5\xa0minutes ago" in html


def test_outbox_says_nothing_is_overdue_when_the_courier_keeps_up(clinician_client) -> None:
    FollowUpFactory(status=FollowUpStatus.SENT)

    assert "nothing overdue" in clinician_client.get(OUTBOX).content.decode()


def test_outbox_uses_the_same_number_of_queries_for_many_rows(
    clinician_client, django_assert_max_num_queries
) -> None:
    due_followups(60)
    FollowUp.objects.filter(pk__in=FollowUp.objects.values("pk")[:20]).update(
        status=FollowUpStatus.FAILED, last_error="550 no"
    )

    # session, the user with their permissions and roles, the table's size
    # estimate and (for a small outbox) the exact count, the page of rows with
    # their patients, the oldest overdue row, the revisions the drawn outbox
    # is kept under.
    with django_assert_max_num_queries(7):
        response = clinician_client.get(OUTBOX)
    # Again, nothing changed: session, user, revisions; the rows from the page cache.
    with django_assert_max_num_queries(3):
        again = clinician_client.get(OUTBOX)

    for shown in (response, again):
        assert shown.content.decode().count('data-testid="outbox-row-') == 50


def test_the_outbox_shows_an_email_sent_after_it_was_drawn(clinician_client) -> None:
    followup = due_followups(1)[0]
    assert "Sent" not in _row_of(clinician_client.get(OUTBOX), followup)

    FollowUp.objects.filter(pk=followup.pk).update(
        status=FollowUpStatus.SENT, sent_at=timezone.now()
    )

    assert "Sent" in _row_of(clinician_client.get(OUTBOX), followup)


def _row_of(response, followup: FollowUp) -> str:
    html = response.content.decode()
    start = html.index(f'data-testid="outbox-row-{followup.pk}"')
    return html[start : html.index("</tr>", start)]


def test_outbox_is_in_the_navigation_for_clinicians_not_front_desk(client, clinician, front_desk):
    client.force_login(clinician)
    assert f'href="{OUTBOX}"' in client.get(reverse("home")).content.decode()

    client.force_login(front_desk)
    assert f'href="{OUTBOX}"' not in client.get(reverse("home")).content.decode()


def test_retrying_a_failed_email_puts_it_back_with_fresh_attempts(clinician_client) -> None:
    failed = FollowUpFactory(status=FollowUpStatus.FAILED, attempts=5, last_error="550 no")
    back_to = f"{OUTBOX}?status=failed"

    response = clinician_client.post(
        reverse("followups:outbox_retry", args=[failed.pk]), {"next": back_to}, follow=True
    )

    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        FollowUpStatus.PENDING,
        0,
        None,
    )
    assert response.redirect_chain == [(back_to, 302)]
    assert RETRIED in response.content.decode()


def test_only_failed_emails_can_be_retried(clinician_client) -> None:
    sent = FollowUpFactory(status=FollowUpStatus.SENT, attempts=1)

    response = clinician_client.post(
        reverse("followups:outbox_retry", args=[sent.pk]),
        {"next": "https://elsewhere.example/"},
        follow=True,
    )

    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (FollowUpStatus.SENT, 1)
    assert response.redirect_chain == [(OUTBOX, 302)]
    assert NOT_FAILED.format(status="sent") in response.content.decode()


# Alerts and survey answers ----------------------------------------------------------------------


def test_an_alert_shows_on_its_clinicians_home_page_until_acknowledged(client, clinician) -> None:
    session = TreatmentSessionFactory(signed=True, clinician=clinician)
    alert = AlertFactory(response__followup__session=session, response__trouble_swallowing=True)
    client.force_login(clinician)

    html = client.get(reverse("home")).content.decode()
    assert f'data-testid="alert-{alert.pk}"' in html
    assert "reported trouble swallowing, double vision" in html
    assert session.patient.display_name in html

    response = client.post(reverse("followups:alert_acknowledge", args=[alert.pk]), follow=True)

    alert.refresh_from_db()
    assert alert.acknowledged_by == clinician
    assert alert.acknowledged_at is not None
    html = response.content.decode()
    assert ACKNOWLEDGED in html
    assert f'data-testid="alert-{alert.pk}"' not in html


def test_another_clinicians_alert_is_not_on_my_home_page(client, clinician) -> None:
    alert = AlertFactory()
    client.force_login(clinician)

    assert f'data-testid="alert-{alert.pk}"' not in client.get(reverse("home")).content.decode()


def test_session_page_shows_the_answers_and_the_change_in_pain(clinician_client) -> None:
    answer = SurveyResponseFactory(
        pain_now=3, pgic=2, comment="Turning my head is easier.", followup__session__pain_before=7
    )
    SurveyResponseFactory()  # another session's

    response = clinician_client.get(reverse("followups:session_surveys", args=[answer.session_id]))

    html = response.content.decode()
    assert "3/10" in html and "(-4 since before the session)" in html
    assert "2 · Much better" in html
    assert "Turning my head is easier." in html
    assert len(response.context["survey_responses"]) == 1


def test_patient_page_shows_every_sessions_answers_in_few_queries(
    clinician_client, django_assert_max_num_queries
) -> None:
    first = SurveyResponseFactory()
    for _ in range(3):
        SurveyResponseFactory(followup__session__patient=first.patient, trouble_breathing=True)

    # session, the user with their permissions and roles, the patient, the
    # answers with their session, follow-up and alert.
    with django_assert_max_num_queries(4):
        html = clinician_client.get(
            reverse("followups:patient_surveys", args=[first.patient_id])
        ).content.decode()

    assert html.count('data-testid="survey-response-') == 4
    assert html.count("Yes: trouble breathing") == 3
