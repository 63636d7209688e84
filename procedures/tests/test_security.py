"""Stored text comes back escaped; refusals are logged; the header warns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.tests.security_checks import XSS_PROBE, assert_escaped, assert_refused_and_logged
from patients.tests.factories import PatientFactory, PrecautionsFactory
from procedures.models import Product
from procedures.services.points import InjectionInput, PointInput, trigger_point_add
from procedures.services.sessions import session_details_update, session_start_walk_in
from procedures.services.signing import amendment_add, session_sign

pytestmark = pytest.mark.django_db


def test_text_typed_into_a_session_is_escaped_in_the_editor_and_the_record(
    client, session, trapezius, vial
) -> None:
    trigger_point_add(
        session=session,
        user=session.clinician,
        point=PointInput(
            muscle=trapezius,
            side="left",
            view="back",
            x=Decimal("0.4"),
            y=Decimal("0.2"),
            referred_pain=XSS_PROBE,
        ),
        injection=InjectionInput(vial=vial, units=Decimal(10)),
    )
    session_details_update(
        session=session,
        user=session.clinician,
        changes={
            "indication": XSS_PROBE[:200],
            "vitals": XSS_PROBE,
            "pain_before": 5,
            "precautions_confirmed": True,
            "site_infection_checked": True,
            "aftercare_given": True,
        },
    )
    client.force_login(session.clinician)
    assert_escaped(client.get(reverse("procedures:session", args=[session.pk])))

    session_sign(session=session, user=session.clinician)
    amendment_add(session=session, user=session.clinician, reason=XSS_PROBE[:200], text=XSS_PROBE)
    assert_escaped(client.get(reverse("procedures:session", args=[session.pk])))
    assert_escaped(client.get(reverse("procedures:session_print", args=[session.pk])))


def test_the_front_desk_is_refused_and_the_refusal_logged(client, front_desk, session) -> None:
    client.force_login(front_desk)

    assert_refused_and_logged(client, "procedures:session", {"pk": session.pk})
    assert_refused_and_logged(client, "procedures:session_state", {"pk": session.pk})


def test_the_header_shows_missing_consent_and_flagged_precautions(client, clinician, botox):
    patient = PatientFactory()
    PrecautionsFactory(
        patient=patient, pregnant_or_breastfeeding=True, bleeding_risk=True, allergies="Latex"
    )
    session = session_start_walk_in(patient=patient, user=clinician)
    client.force_login(clinician)

    html = client.get(reverse("procedures:session", args=[session.pk])).content.decode()

    assert "No valid consent: no injections can be recorded." in html
    assert "⚠ Pregnancy or breastfeeding" in html
    assert "⚠ Bleeding risk or anticoagulants" in html


def test_a_clinic_admin_edits_a_products_limits_in_the_set_up_screens(client, admin) -> None:
    botox = Product.objects.get(brand_name="Botox")
    client.force_login(admin)
    url = reverse("admin:procedures_product_change", args=[botox.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "brand_name": "Botox",
            "generic_name": "onabotulinumtoxinA",
            "vial_sizes": "100,200",
            "is_active": "on",
            "max_units_per_site": "40",
            "max_units_per_session": "400",
            "max_units_per_window": "400",
            "window_days": "90",
            "min_retreatment_days": "84",
            "reconstituted_use_hours": "24",
            "solution_units_per_ml": "",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 302
    botox.refresh_from_db()
    assert botox.max_units_per_site == 40
