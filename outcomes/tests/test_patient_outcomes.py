"""A patient's outcomes: the pain chart, the per-muscle table and the heat view."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AccessEvent, Action
from outcomes.heatmap import heat_svg
from outcomes.selectors import (
    patient_muscle_heat,
    patient_muscle_outcomes,
    patient_products,
    patient_session_outcomes,
)
from outcomes.tests.factories import (
    Dose,
    answers,
    course_of_treatment,
    muscle,
    session_with_injections,
)
from patients.tests.factories import PatientFactory
from procedures.tests.factories import (
    InjectionFactory,
    LotFactory,
    ProductFactory,
    TreatmentSessionFactory,
    TriggerPointFactory,
    VialFactory,
    signed,
)

pytestmark = pytest.mark.django_db

DAYS_AGO = timezone.now() - dt.timedelta(days=200)


@pytest.fixture
def dysport():
    return ProductFactory(
        brand_name="Dysport",
        generic_name="abobotulinumtoxinA",
        vial_sizes=[300, 500],
        max_units_per_site=None,
    )


def test_each_product_keeps_its_own_total_across_sessions(dysport) -> None:
    patient = PatientFactory()
    trapezius = muscle("upper-trapezius", "Upper trapezius")
    for product, units in ((None, 30), (dysport, 100), (None, 20)):
        session_with_injections(
            patient=patient,
            started_at=DAYS_AGO,
            doses=[Dose(trapezius, "left", units)],
            product=product,
        )

    sessions = patient_session_outcomes(patient=patient)

    assert [s.units_text for s in sessions] == ["30 U Botox", "100 U Dysport", "20 U Botox"]
    totals = {p.product: p.units for p in patient_products(sessions=sessions)}
    assert totals == {"Botox": Decimal(50), "Dysport": Decimal(100)}


def test_a_mixed_session_shows_each_product_with_its_own_total(dysport) -> None:
    patient = PatientFactory()
    trapezius = muscle("upper-trapezius", "Upper trapezius")
    session = session_with_injections(
        patient=patient, started_at=DAYS_AGO, doses=[Dose(trapezius, "left", 30)], sign=False
    )
    point = TriggerPointFactory(session=session, number=9, muscle=trapezius, side="right")
    dysport_vial = VialFactory(lot=LotFactory(product=dysport, units_per_vial=300))
    InjectionFactory.create_batch(2, trigger_point=point, vial=dysport_vial, units=Decimal(50))
    signed(session)

    (outcome,) = patient_session_outcomes(patient=patient)

    assert outcome.units_text == "30 U Botox, 100 U Dysport"


def test_a_two_point_drop_from_the_sessions_baseline_is_a_meaningful_response() -> None:
    patient = PatientFactory()
    session = session_with_injections(patient=patient, started_at=DAYS_AGO, pain_before=7, doses=[])
    answers(session, pain_2w=5, pain_6w=6)

    (outcome,) = patient_session_outcomes(patient=patient)

    assert (outcome.answer_2w.change, outcome.answer_2w.meaningful) == (-2, True)
    assert (outcome.answer_6w.change, outcome.answer_6w.meaningful) == (-1, False)


def test_draft_sessions_are_not_outcomes() -> None:
    patient = course_of_treatment(sessions=2)
    TreatmentSessionFactory(patient=patient)

    assert [s.number for s in patient_session_outcomes(patient=patient)] == [1, 2]


def test_muscle_table_gives_sessions_units_sides_and_the_change_after_each() -> None:
    patient = course_of_treatment(sessions=2)
    sessions = patient_session_outcomes(patient=patient)

    levator, trapezius = patient_muscle_outcomes(patient=patient, sessions=sessions)

    assert (trapezius.name, trapezius.session_count, trapezius.meaningful_count) == (
        "Upper trapezius",
        2,
        2,
    )
    assert [str(row.units) for row in trapezius.rows] == ["20 U Botox", "20 U Botox"]
    assert [row.sides for row in levator.rows] == [["right"], ["right"]]
    assert [row.session.answer_2w.change for row in levator.rows] == [-3, -3]


def test_heat_shades_one_products_units_over_the_chosen_period() -> None:
    patient = course_of_treatment(sessions=3, start=DAYS_AGO)
    sessions = patient_session_outcomes(patient=patient)
    (botox,) = patient_products(sessions=sessions)

    everything = patient_muscle_heat(patient=patient, product=botox)
    last_only = patient_muscle_heat(
        patient=patient, product=botox, date_from=sessions[-1].started_at
    )

    assert [(s.name, s.side, s.units, s.level) for s in everything.spots] == [
        ("Upper trapezius", "left", Decimal(60), 5),
        ("Levator scapulae", "right", Decimal(45), 4),
    ]
    assert [s.units for s in last_only.spots] == [Decimal(20), Decimal(15)]


def test_heat_shades_the_injected_side_of_the_drawn_muscle_only() -> None:
    patient = course_of_treatment(sessions=2)
    (botox,) = patient_products(sessions=patient_session_outcomes(patient=patient))
    heat = patient_muscle_heat(patient=patient, product=botox)

    back = str(heat_svg(view="back", heat=heat))

    shaded = re.findall(r'<path class="bm-region bm-heat bm-heat-(\d)" ([^>]*)>', back)
    assert {level for level, _ in shaded} == {"5"}
    assert all('data-muscle="upper-trapezius" data-side="left"' in attrs for _, attrs in shaded)
    assert "<title>Upper trapezius, left: 40 U Botox</title>" in back


def test_patient_page_draws_each_session_its_answers_and_pgic(client, clinician) -> None:
    patient = course_of_treatment(sessions=3)
    client.force_login(clinician)

    html = client.get(reverse("outcomes:patient", args=[patient.pk])).content.decode()

    assert html.count('data-testid="session-marker"') == 3
    assert html.count('data-testid="baseline-marker"') == 3
    assert html.count('data-testid="answer-marker"') == 6
    assert html.count('data-meaningful="true"') == 3
    assert html.count('class="chart-pgic"') == 6
    assert "S1 · 35 U Botox" in html
    assert 'data-testid="pain-table"' in html
    assert 'data-testid="muscle-table"' in html
    # upper trapezius, left: one shape on the front, two bands on the back
    assert html.count("bm-heat bm-heat-5") == 3


def test_names_in_the_chart_and_tables_drawn_in_python_are_escaped(client, clinician) -> None:
    patient = PatientFactory()
    probe = '<img src=x onerror="alert(1)">'
    product = ProductFactory(brand_name=f"Toxin{probe}", generic_name="probetoxinA")
    session_with_injections(
        patient=patient,
        started_at=DAYS_AGO,
        doses=[Dose(muscle("probe-muscle", f"Muscle{probe}"), "left", 20)],
        product=product,
    )
    client.force_login(clinician)

    for url in (
        reverse("outcomes:patient", args=[patient.pk]),
        reverse("patients:chart", args=[patient.pk]),
    ):
        html = client.get(url).content.decode()
        assert probe not in html
        assert "Muscle&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html  # the muscle table
        assert "S1 · 20 U Toxin&lt;img" in html  # the chart's session label


def test_patient_without_sessions_gets_a_plain_message(client, clinician) -> None:
    client.force_login(clinician)

    html = client.get(reverse("outcomes:patient", args=[PatientFactory().pk])).content.decode()

    assert "No signed sessions yet." in html
    assert "<svg" not in html.split("</nav>", 1)[1]


@pytest.mark.parametrize("sessions", [1, 5])
def test_patient_page_runs_a_fixed_number_of_queries(
    client, clinician, sessions, django_assert_num_queries
) -> None:
    patient = course_of_treatment(sessions=sessions)
    client.force_login(clinician)

    # session, the user with their permissions and roles, patient, the
    # access-log row, sessions with their units per product, answers, muscle
    # table, heat
    with django_assert_num_queries(8):
        client.get(reverse("outcomes:patient", args=[patient.pk]))


def test_heat_period_the_wrong_way_round_shows_the_error_by_the_field(client, clinician) -> None:
    patient = course_of_treatment(sessions=1)
    client.force_login(clinician)

    html = client.get(
        reverse("outcomes:patient", args=[patient.pk]),
        {"heat_from": "2026-05-01", "heat_to": "2026-01-01"},
    ).content.decode()

    assert "The first day must not be after the last day." in html
    assert 'data-testid="heat-map"' not in html


def test_opening_a_patients_outcomes_is_in_the_access_log(client, clinician) -> None:
    patient = course_of_treatment(sessions=1)
    client.force_login(clinician)

    client.get(reverse("outcomes:patient", args=[patient.pk]))

    event = AccessEvent.objects.get(action=Action.VIEWED)
    assert (event.user, event.object_type, event.object_id) == (
        clinician,
        "patients.patient",
        str(patient.pk),
    )


def test_an_unknown_patient_is_404(client, clinician) -> None:
    client.force_login(clinician)

    assert client.get(reverse("outcomes:patient", args=[999999])).status_code == 404
