"""A small smoke of the bench harness: the seeder at a tiny scale, and the
pages' sessions. The benchmark itself runs only under `make bench`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from bench.pages import bench_pages, seeded_today, signed_in_session
from bench.seeding.fixtures import busy_day
from followups.models import FollowUp, FollowUpStatus, SurveyResponse
from patients.models import Patient
from procedures.models import Injection, SessionStatus, TreatmentSession, TriggerPoint
from scheduling.models import Appointment

TODAY = dt.date(2026, 11, 27)
# Scale 0.001 of 100,000 patients, 500,000 appointments, 150,000 sessions with
# 8 injections each, 4 follow-ups a session and 200,000 survey answers, plus the
# fixtures: one chart patient with 40 sessions (the last with 30 single-injection
# points) and a busy week of 6 days x 120 appointments.
EXPECTED = {
    "patients": 100 + 1,
    "appointments": 500 + 6 * 120 + 40,
    "signed sessions": 150 + 40,
    "injections": 150 * 8 + 39 * 8 + 30,
    "follow-ups": (150 + 40) * 4,
    "survey answers": 200,
}


def _counts() -> dict[str, int]:
    return {
        "patients": Patient.objects.count(),
        "appointments": Appointment.objects.count(),
        "signed sessions": TreatmentSession.objects.filter(status=SessionStatus.SIGNED).count(),
        "injections": Injection.objects.count(),
        "follow-ups": FollowUp.objects.count(),
        "survey answers": SurveyResponse.objects.count(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # it runs VACUUM
def test_a_tiny_scale_seeds_exact_counts_and_the_pages_fixtures(settings) -> None:
    settings.DEBUG = True

    call_command("bench_seed", scale=0.001, seed=7, today=TODAY)

    assert _counts() == EXPECTED
    assert not TreatmentSession.objects.exclude(status=SessionStatus.SIGNED).exists()
    busy = Appointment.objects.filter(timespan__startswith__date=busy_day(TODAY))
    assert busy.count() == 120
    assert busy.values("clinician").distinct().count() == 20
    chart_sessions = TreatmentSession.objects.filter(patient__last_name="Benchmark")
    assert chart_sessions.count() == 40
    last = chart_sessions.latest("started_at")
    assert TriggerPoint.objects.filter(session=last).count() == 30
    assert seeded_today() == TODAY
    assert FollowUp.objects.filter(status=FollowUpStatus.SENT).count() > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_bench_page_opens_for_its_role_with_the_minted_session(settings) -> None:
    settings.DEBUG = True
    call_command("bench_seed", scale=0.001, seed=7, today=TODAY)
    client = Client()

    statuses = {}
    for page in bench_pages(today=TODAY):
        client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
            username=page.username, search=page.search
        )
        statuses[page.name] = client.get(page.url).status_code

    assert set(statuses.values()) == {200}, statuses


def test_seeding_refuses_to_run_with_debug_off(settings, db) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("bench_seed", scale=0.001)

    assert not Appointment.objects.exists()
