"""The demo gives every follow-up page something to show, and can run again."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from followups.models import SURVEY_KINDS, Alert, FollowUp, FollowUpStatus, SurveyResponse

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "statuses": sorted(FollowUp.objects.values_list("kind", "status")),
        "answers": SurveyResponse.objects.count(),
        "alerts": list(Alert.objects.values_list("clinician__username", "acknowledged_at")),
    }


def test_seed_demo_leaves_follow_ups_pending_sent_failed_and_answered_with_one_alert(settings):
    settings.DEBUG = True

    call_command("seed_demo")

    statuses = set(FollowUp.objects.values_list("status", flat=True))
    assert {FollowUpStatus.PENDING, FollowUpStatus.SENT, FollowUpStatus.FAILED} <= statuses
    assert FollowUp.objects.filter(status=FollowUpStatus.FAILED).count() == 1
    assert SurveyResponse.objects.count() >= 2
    (alert,) = Alert.objects.all()
    assert alert.clinician.username == "clinician"
    assert alert.response.warning_signs == ["double vision"]


def test_seed_demo_twice_changes_nothing(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    first = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == first


def test_seed_demo_answers_every_sent_survey_below_the_sessions_baseline(settings) -> None:
    settings.DEBUG = True

    call_command("seed_demo")

    sent = FollowUp.objects.filter(kind__in=SURVEY_KINDS, status=FollowUpStatus.SENT)
    assert sent.count() >= 4
    assert not sent.filter(response__isnull=True).exists()
    for response in SurveyResponse.objects.select_related("session"):
        assert response.pain_now < response.session.pain_before
