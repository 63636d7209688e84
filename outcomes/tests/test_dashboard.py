"""The clinic dashboard: each figure, the list behind it, and a fixed query budget."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.dashboard import Share, dashboard_figures, date_range_default
from outcomes.rollup import dashboard_days_refresh
from outcomes.tests.clinic_data import clinic_weeks_build
from outcomes.tests.factories import course_of_treatment

pytestmark = pytest.mark.django_db


@pytest.fixture
def weeks():
    return clinic_weeks_build()


def test_figures_count_what_happened_in_the_range(weeks) -> None:
    figures = dashboard_figures(period=date_range_default())

    assert figures.session_count == 2
    assert [(r["product"], r["units"], r["sessions"]) for r in figures.units_per_product] == [
        ("Botox", Decimal(35), 1),
        ("Dysport", Decimal(100), 1),
    ]
    botox_vials, dysport_vials = figures.vials_per_product
    assert (botox_vials["opened"], botox_vials["closed"], botox_vials["waste"]) == (1, 1, 65)
    assert botox_vials["waste_share"].percent == 65
    assert (dysport_vials["opened"], dysport_vials["closed"]) == (1, 0)
    assert figures.no_show == Share(1, 2)
    assert {k: figures.followups[k] for k in ("sent", "failed", "overdue")} == {
        "sent": 3,
        "failed": 1,
        "overdue": 1,
    }
    assert figures.survey_response == Share(3, 3)
    assert figures.meaningful_2w == Share(2, 2)
    assert figures.meaningful_6w == Share(0, 1)
    assert figures.adverse_events == [
        {"kind": "local_pain", "count": 2},
        {"kind": "headache", "count": 1},
    ]


def test_sessions_per_week_has_every_week_of_the_range_with_zeros(weeks) -> None:
    period = date_range_default()

    weekly = dashboard_figures(period=period).sessions_per_week

    assert len(weekly) in (12, 13)
    assert all(week.weekday() == 0 for week, _ in weekly)
    assert sorted(count for _, count in weekly)[-2:] == [1, 1]
    assert sum(count for _, count in weekly) == 2


def test_dashboard_shows_the_figures_each_linked_to_its_list(client, clinician, weeks) -> None:
    client.force_login(clinician)

    html = client.get(reverse("outcomes:dashboard")).content.decode()

    assert 'data-testid="figure-sessions">2</a>' in html
    assert "35 U</a>" in html
    assert "100 U</a>" in html
    assert "50%" in html  # no-show
    assert "100%" in html  # response rate and meaningful at 2 weeks
    assert "Trouble swallowing" not in html
    assert "Local pain" in html


@pytest.mark.parametrize(
    ("link", "rows"),
    [
        ({"status": "no_show"}, 1),
        ({"status": "failed"}, 1),
        ({"status": "overdue"}, 1),
        ({"kind": "survey_2w", "meaningful": "on"}, 2),
        ({"kind": "local_pain"}, 2),
    ],
)
def test_each_list_holds_the_rows_its_figure_counted(client, clinician, weeks, link, rows) -> None:
    client.force_login(clinician)
    slug = {
        "no_show": "appointments",
        "failed": "followups",
        "overdue": "followups",
        "survey_2w": "answers",
        "local_pain": "adverse-events",
    }[link.get("status") or link["kind"]]

    response = client.get(reverse(f"outcomes:list-{slug}"), link)

    assert response.context["page"].paginator.count == rows
    assert len(response.context["rows"]) == rows
    assert f"{rows} in all · only " in response.content.decode()


def test_the_sessions_list_of_a_week_shows_that_weeks_sessions(client, clinician, weeks) -> None:
    client.force_login(clinician)
    started = timezone.localdate(weeks.bob_session.started_at)
    monday = started - dt.timedelta(days=started.weekday())

    response = client.get(reverse("outcomes:list-sessions"), {"week": monday.isoformat()})

    (row,) = response.context["rows"]
    assert row[2].text == weeks.bob.mrn
    assert row[5].text == "100 U"


def test_the_sessions_list_of_a_product_shows_its_units_only(client, clinician, weeks) -> None:
    client.force_login(clinician)
    dysport = weeks.bob_session.product

    response = client.get(reverse("outcomes:list-sessions"), {"product": dysport.pk})

    assert [(row[2].text, row[4].text, row[5].text) for row in response.context["rows"]] == [
        (weeks.bob.mrn, "Dysport", "100 U")
    ]


@pytest.mark.parametrize("refreshed", [False, True])
@pytest.mark.parametrize("extra_patients", [0, 4])
def test_dashboard_runs_a_fixed_number_of_queries(
    client, clinician, extra_patients, refreshed, django_assert_num_queries
) -> None:
    for _ in range(extra_patients):
        course_of_treatment(sessions=1, start=timezone.now() - dt.timedelta(weeks=6))
    if refreshed:
        dashboard_days_refresh()
    client.force_login(clinician)

    # session, the user with their permissions and roles; the revisions the
    # drawn dashboard is kept under; the stored days no change has moved;
    # for the other days (today at least): sessions, units, vials,
    # appointments, follow-ups, answers, adverse events; then overdue
    # follow-ups and the products.
    with django_assert_num_queries(13):
        client.get(reverse("outcomes:dashboard"))
    # Again, nothing changed: session, user, revisions; the figures from the page cache.
    with django_assert_num_queries(3):
        client.get(reverse("outcomes:dashboard"))


@pytest.mark.parametrize("patients", [1, 4])
def test_a_list_page_runs_a_fixed_number_of_queries(
    client, clinician, patients, django_assert_num_queries
) -> None:
    for _ in range(patients):
        course_of_treatment(sessions=1, start=timezone.now() - dt.timedelta(weeks=6))
    client.force_login(clinician)

    # session, the user with their permissions and roles, count, the page's rows
    with django_assert_num_queries(4):
        client.get(reverse("outcomes:list-answers"))


def test_a_backwards_range_is_refused_next_to_the_field(client, clinician) -> None:
    client.force_login(clinician)

    response = client.get(
        reverse("outcomes:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )

    assert "The first day must not be after the last day." in response.content.decode()
    assert "figures" not in response.context


def test_a_made_up_filter_value_is_refused_with_a_message(client, clinician) -> None:
    client.force_login(clinician)

    response = client.get(reverse("outcomes:list-followups"), {"status": "deleted"})

    assert response.status_code == 200
    assert "Unknown value; open the list from the dashboard." in response.content.decode()
    assert "page" not in response.context


def test_dashboard_is_in_the_navigation_for_clinicians_not_front_desk(
    client, clinician, front_desk
) -> None:
    client.force_login(clinician)
    assert ">Dashboard</a>" in client.get(reverse("home")).content.decode()

    client.force_login(front_desk)
    assert ">Dashboard</a>" not in client.get(reverse("home")).content.decode()


def test_a_session_signed_after_the_dashboard_was_drawn_is_counted(client, clinician) -> None:
    course_of_treatment(sessions=1, start=timezone.now() - dt.timedelta(weeks=6))
    client.force_login(clinician)
    assert _sessions_figure(client) == "1"

    course_of_treatment(sessions=1, start=timezone.now() - dt.timedelta(weeks=4))

    assert _sessions_figure(client) == "2"


def _sessions_figure(client) -> str:
    html = client.get(reverse("outcomes:dashboard")).content.decode()
    return re.search(r'data-testid="figure-sessions">(\d+)<', html).group(1)
