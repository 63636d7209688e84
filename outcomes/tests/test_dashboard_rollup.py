"""The dashboard's stored per-day figures: the same figures as counting live,
every change that moves a figure shows at once, and the beat folds it in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app as celery_app
from followups.models import FollowUpStatus
from followups.tests.processes import CourierProcesses, wait_until
from outcomes.dashboard import DateRange, dashboard_figures, date_range_default
from outcomes.models import DashboardChange, DashboardDay
from outcomes.rollup import dashboard_days_refresh
from outcomes.tests.clinic_data import clinic_weeks_build
from outcomes.tests.factories import AdverseEventFactory
from procedures.models import AdverseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def weeks():
    return clinic_weeks_build()


def _stored_days() -> set[dt.date]:
    return set(DashboardDay.objects.values_list("day", flat=True))


def test_stored_days_give_the_figures_counted_live(weeks) -> None:
    period = date_range_default()
    counted_live = dashboard_figures(period=period)

    dashboard_days_refresh()

    assert dashboard_figures(period=period) == counted_live
    assert counted_live.session_count == 2
    assert not DashboardChange.objects.exists()


def test_every_past_day_since_the_first_activity_is_stored_but_not_today(weeks) -> None:
    today = timezone.localdate()
    first = timezone.localtime(weeks.alice.sessions.get().started_at).date()
    first = min(first, today - dt.timedelta(weeks=20, days=1))

    computed = dashboard_days_refresh()

    stored = _stored_days()
    assert today not in stored
    assert max(stored) == today - dt.timedelta(days=1)
    assert min(stored) >= first
    assert computed == len(stored)
    assert dashboard_days_refresh() == 0


def test_a_reaction_reported_later_shows_at_once_and_is_then_stored(weeks) -> None:
    dashboard_days_refresh()
    period = date_range_default()
    session_day = timezone.localtime(weeks.alice_session.started_at).date()
    stored_before = DashboardDay.objects.get(day=session_day).figures

    AdverseEventFactory(
        session=weeks.alice_session,
        kind=AdverseEvent.Kind.HEADACHE,
        source=AdverseEvent.Source.SURVEY,
    )

    shown = {row["kind"]: row["count"] for row in dashboard_figures(period=period).adverse_events}
    assert shown == {"headache": 2, "local_pain": 2}
    assert dashboard_days_refresh() == 1
    stored_after = DashboardDay.objects.get(day=session_day).figures
    assert stored_before["adverse_events"] == {"headache": 1}
    assert stored_after["adverse_events"] == {"headache": 2}
    assert dashboard_figures(period=period).adverse_events[0] == {"kind": "headache", "count": 2}


def test_a_follow_up_sent_late_moves_its_due_day(weeks) -> None:
    dashboard_days_refresh()
    period = date_range_default()
    failed = weeks.bob_session.followups.get(status=FollowUpStatus.FAILED)

    failed.status = FollowUpStatus.SENT
    failed.save(update_fields=["status"])

    figures = dashboard_figures(period=period).followups
    assert (figures["sent"], figures["failed"]) == (4, 0)
    dashboard_days_refresh()
    assert dashboard_figures(period=period).followups["sent"] == 4


def test_only_updates_that_move_a_figure_are_noted(weeks) -> None:
    dashboard_days_refresh()
    vial = weeks.alice_session.trigger_points.first().injections.first().vial
    pending = weeks.alice_session.followups.filter(status=FollowUpStatus.PENDING).first()

    vial.units_remaining = Decimal(1)
    vial.save(update_fields=["units_remaining"])
    pending.attempts = 2
    pending.save(update_fields=["attempts"])
    assert not DashboardChange.objects.exists()

    vial.waste_units = Decimal(60)
    vial.save(update_fields=["waste_units"])
    assert set(DashboardChange.objects.values_list("at", flat=True)) == {vial.opened_at}


def test_a_past_range_after_the_first_activity_reads_only_stored_days(
    weeks, django_assert_num_queries
) -> None:
    dashboard_days_refresh()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    period = DateRange(first=yesterday - dt.timedelta(weeks=12), last=yesterday)

    # stored days no change has moved, overdue follow-ups, products
    with django_assert_num_queries(3):
        figures = dashboard_figures(period=period)

    assert figures.session_count == 2


@pytest.mark.parametrize("refreshed", [False, True])
def test_the_dashboard_shows_the_same_page_from_stored_days(client, clinician, weeks, refreshed):
    if refreshed:
        dashboard_days_refresh()
    client.force_login(clinician)

    response = client.get(reverse("outcomes:dashboard"))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.session_count == 2
    assert [row["product"] for row in figures.units_per_product] == ["Botox", "Dysport"]
    assert figures.followups["overdue"] == 1


def test_the_beat_stores_the_days_through_a_real_worker(transactional_db, tmp_path) -> None:
    weeks = clinic_weeks_build()
    session_day = timezone.localtime(weeks.bob_session.started_at).date()
    celery_app.control.purge()
    processes = CourierProcesses(smtp_port=1, directory=tmp_path)
    try:
        processes.start_worker()
        processes.start_beat(DASHBOARD_REFRESH_SECONDS="1")
        stored = wait_until(
            lambda: DashboardDay.objects.filter(day=session_day).first(),
            what="the beat's dashboard refresh",
        )
    finally:
        processes.stop_all()

    assert stored.figures["sessions"] == 1
    assert stored.figures["adverse_events"] == {"local_pain": 2}
    assert not DashboardChange.objects.exists()
