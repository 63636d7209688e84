"""Stock, recall and history pages, and what the front desk never sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from procedures.models import Lot, Product, Vial
from procedures.selectors import (
    chart_history_context,
    muscle_dose_history,
    patient_session_history,
    recall_by_lot,
)
from procedures.tests.factories import (
    InjectionFactory,
    LotFactory,
    TreatmentSessionFactory,
    VialFactory,
    session_with_injections,
)

pytestmark = pytest.mark.django_db


def test_receiving_a_lot_from_the_stock_page(client, clinician, botox) -> None:
    client.force_login(clinician)

    response = client.post(
        reverse("procedures:lot_add"),
        {
            "product": botox.pk,
            "lot_number": "c7777z",
            "units_per_vial": 100,
            "expires_on": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
            "vials_received": 5,
        },
    )

    assert response.status_code == 302
    assert Lot.objects.filter(lot_number="C7777Z", product=botox, vials_received=5).exists()


def test_a_lot_already_expired_is_refused_next_to_the_date(client, clinician, botox) -> None:
    client.force_login(clinician)

    response = client.post(
        reverse("procedures:lot_add"),
        {
            "product": botox.pk,
            "lot_number": "OLD",
            "units_per_vial": 100,
            "expires_on": "2020-01-01",
            "vials_received": 5,
        },
    )

    assert response.status_code == 400
    assert "Lot OLD expired on 01/01/2020; it cannot be used." in response.content.decode()
    assert not Lot.objects.filter(lot_number="OLD").exists()


def test_opening_a_vial_from_the_session_page_returns_there(client, clinician, session, botox):
    lot = LotFactory(product=botox, lot_number="C9")
    client.force_login(clinician)
    back = reverse("procedures:session", args=[session.pk])

    response = client.post(
        reverse("procedures:vial_open"), {"lot": lot.pk, "diluent_ml": "4", "next": back}
    )

    assert response["Location"] == back
    vial = Vial.objects.get(lot=lot)
    assert vial.units_per_tenth_ml == Decimal("2.5")


def test_opening_a_vial_of_an_expired_lot_is_refused(client, clinician, botox) -> None:
    lot = LotFactory(product=botox, expires_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(clinician)

    response = client.post(reverse("procedures:vial_open"), {"lot": lot.pk, "diluent_ml": "2"})

    assert response.status_code == 400
    assert "Choose a lot that is in date." in response.content.decode()
    assert not Vial.objects.exists()


def test_the_next_address_must_stay_on_this_site(client, clinician, botox) -> None:
    lot = LotFactory(product=botox)
    client.force_login(clinician)

    response = client.post(
        reverse("procedures:vial_open"),
        {"lot": lot.pk, "diluent_ml": "2", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("procedures:stock")


def test_closing_a_vial_records_the_waste(client, clinician, vial) -> None:
    client.force_login(clinician)

    client.post(reverse("procedures:vial_close", args=[vial.pk]))

    vial.refresh_from_db()
    assert (vial.waste_units, vial.closed_by) == (Decimal(100), clinician)


def test_recall_lists_every_patient_and_session_that_received_the_lot(botox) -> None:
    recalled = VialFactory(lot=LotFactory(product=botox, lot_number="R1"))
    other = VialFactory(lot=LotFactory(product=botox, lot_number="R2"))
    signed = TreatmentSessionFactory(started_at=timezone.now() - dt.timedelta(days=30))
    draft = TreatmentSessionFactory()
    elsewhere = TreatmentSessionFactory()
    InjectionFactory(trigger_point__session=signed, vial=recalled, units=10)
    InjectionFactory(trigger_point__session=draft, vial=recalled, units=7)
    InjectionFactory(trigger_point__session=elsewhere, vial=other, units=5)

    rows = recall_by_lot(lot_number="R1")

    assert [(row.session_id, row.patient_id, row.units) for row in rows] == [
        (draft.pk, draft.patient_id, Decimal(7)),
        (signed.pk, signed.patient_id, Decimal(10)),
    ]
    assert rows[0].mrn == draft.patient.mrn


def test_recall_finds_signed_sessions_and_sums_units_per_session(botox) -> None:
    lot = LotFactory(product=botox, lot_number="R9")
    vial = VialFactory(lot=lot)
    session = TreatmentSessionFactory(started_at=timezone.now() - dt.timedelta(days=3))
    InjectionFactory(trigger_point__session=session, vial=vial, units=10)
    InjectionFactory(trigger_point__session=session, vial=vial, units=15)
    untouched = session_with_injections(units=["5"])

    rows = recall_by_lot(lot_number="R9")

    assert [(row.session_id, row.units, row.lot_number) for row in rows] == [
        (session.pk, Decimal(25), "R9")
    ]
    assert untouched.pk not in [row.session_id for row in rows]


def test_history_lists_sessions_with_product_units_muscles_and_pain(patient) -> None:
    old = session_with_injections(
        units=["10", "20"], patient=patient, started_at=timezone.now() - dt.timedelta(days=100)
    )
    new = session_with_injections(units=["5"], patient=patient, pain_before=4)

    history = patient_session_history(patient=patient)

    assert [(s.pk, s.total_units, s.pain_before) for s in history] == [
        (new.pk, Decimal(5), 4),
        (old.pk, Decimal(30), 7),
    ]
    assert history[0].product.brand_name == "Botox"
    assert history[1].muscles == ["Upper trapezius"]


def test_dose_history_keeps_each_session_and_product_in_its_own_column(patient) -> None:
    dysport = Product.objects.get(brand_name="Dysport")
    botox_session = session_with_injections(
        units=["10", "20"], patient=patient, started_at=timezone.now() - dt.timedelta(days=200)
    )
    dysport_session = session_with_injections(
        units=["100"], patient=patient, product=dysport, started_at=timezone.now()
    )

    table = muscle_dose_history(history=patient_session_history(patient=patient))

    assert table.sessions == [botox_session, dysport_session]
    assert [(row.muscle, row.side, row.cells) for row in table.rows] == [
        ("Upper trapezius", "left", ["30 U", "100 U"])
    ]


def test_the_front_desk_sees_no_clinical_navigation(client, front_desk) -> None:
    client.force_login(front_desk)

    html = client.get(reverse("home")).content.decode()

    for label in ("Sessions", "Stock", "Recall"):
        assert f">{label}</a>" not in html


def test_the_chart_section_renders_nothing_for_the_front_desk(front_desk, clinician, patient):
    session_with_injections(units=["10"], patient=patient)
    data = chart_history_context(patient=patient)

    def render_for(user) -> str:
        return render_to_string(
            "procedures/_chart_history.html", {"data": data, "perms": PermWrapper(user)}
        )

    assert render_for(front_desk).strip() == ""
    assert "Upper trapezius" in render_for(clinician)


def test_the_front_desk_gets_403_on_the_session_page(client, front_desk, session) -> None:
    client.force_login(front_desk)

    response = client.get(reverse("procedures:session", args=[session.pk]))

    assert response.status_code == 403
    assert session.patient.last_name not in response.content.decode()
