"""Fixtures for the procedures tests: a consenting patient, a draft session,
an open Botox vial, and helpers that record points through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from patients.tests.factories import ConsentFactory, PatientFactory, PrecautionsFactory
from procedures.models import Muscle, Product, TreatmentSession, TriggerPoint
from procedures.services.points import InjectionInput, PointInput, trigger_point_add
from procedures.services.sessions import session_start_walk_in
from procedures.services.stock import vial_open
from procedures.tests.factories import LotFactory, MuscleFactory


@pytest.fixture
def botox(db: None) -> Product:
    return Product.objects.get(brand_name="Botox")


@pytest.fixture
def patient(db: None):
    patient = PatientFactory(first_name="Dana", last_name="Quill")
    ConsentFactory(patient=patient, signed_on=timezone.localdate() - dt.timedelta(days=200))
    PrecautionsFactory(patient=patient, allergies="Latex")
    return patient


@pytest.fixture
def trapezius(db: None) -> Muscle:
    return MuscleFactory(slug="upper-trapezius", name="Upper trapezius", region="shoulder")


@pytest.fixture
def levator(db: None) -> Muscle:
    return MuscleFactory(
        slug="levator-scapulae", name="Levator scapulae", region="neck", drawn=False
    )


@pytest.fixture
def botox_lot(botox: Product):
    return LotFactory(product=botox, lot_number="C1234A", units_per_vial=100)


@pytest.fixture
def vial(botox_lot, clinician):
    return vial_open(lot=botox_lot, diluent_ml=Decimal("2.5"), user=clinician)


@pytest.fixture
def session(patient, clinician, botox) -> TreatmentSession:
    return session_start_walk_in(patient=patient, user=clinician)


def a_point(muscle: Muscle, *, side: str = "left", x: str = "0.4", y: str = "0.2") -> PointInput:
    return PointInput(muscle=muscle, side=side, view="back", x=Decimal(x), y=Decimal(y))


def inject(
    session: TreatmentSession, muscle: Muscle, units: str, vial, *, side: str = "left"
) -> TriggerPoint:
    return trigger_point_add(
        session=session,
        user=session.clinician,
        point=a_point(muscle, side=side),
        injection=InjectionInput(vial=vial, units=Decimal(units)),
    )
