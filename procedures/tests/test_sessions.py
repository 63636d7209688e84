"""Starting sessions, recording points and injections, and the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from patients.tests.factories import PatientFactory
from procedures import errors
from procedures.errors import ProcedureError
from procedures.models import Injection, Product, SessionStatus, TriggerPoint
from procedures.services.points import (
    InjectionInput,
    trigger_point_add,
    trigger_point_move,
    trigger_point_remove,
    trigger_point_update,
    trigger_points_copy_last,
)
from procedures.services.sessions import (
    session_details_update,
    session_start_from_appointment,
    session_start_walk_in,
)
from procedures.services.stock import vial_open
from procedures.tests.conftest import a_point, inject
from procedures.tests.factories import LotFactory, session_with_injections
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory, AppointmentTypeFactory

pytestmark = pytest.mark.django_db


def test_starting_from_a_checked_in_appointment_puts_it_in_session(patient, clinician, botox):
    appointment = AppointmentFactory(
        patient=patient, clinician=clinician, status=AppointmentStatus.ARRIVED
    )

    session = session_start_from_appointment(appointment=appointment, user=clinician)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.IN_SESSION
    assert (session.patient, session.appointment, session.clinician) == (
        patient,
        appointment,
        clinician,
    )
    assert session.consent is not None
    assert session.product == botox


def test_starting_twice_returns_the_same_session(patient, clinician, botox) -> None:
    appointment = AppointmentFactory(patient=patient, status=AppointmentStatus.ARRIVED)

    first = session_start_from_appointment(appointment=appointment, user=clinician)
    second = session_start_from_appointment(appointment=appointment, user=clinician)

    assert first == second


def test_an_appointment_not_checked_in_does_not_start_a_session(patient, clinician) -> None:
    appointment = AppointmentFactory(patient=patient, status=AppointmentStatus.BOOKED)

    with pytest.raises(ProcedureError) as refused:
        session_start_from_appointment(appointment=appointment, user=clinician)

    assert refused.value.message == "Booked appointments cannot be started."
    assert not patient.sessions.exists()


def test_a_consultation_does_not_start_a_session(patient, clinician) -> None:
    consult = AppointmentTypeFactory(name="New patient consultation", kind="consult")
    appointment = AppointmentFactory(
        patient=patient, appointment_type=consult, status=AppointmentStatus.ARRIVED
    )

    with pytest.raises(ProcedureError) as refused:
        session_start_from_appointment(appointment=appointment, user=clinician)

    assert refused.value.message == errors.APPOINTMENT_NOT_INJECTION


def test_a_walk_in_is_started_once_a_day(patient, clinician) -> None:
    first = session_start_walk_in(patient=patient, user=clinician)
    second = session_start_walk_in(patient=patient, user=clinician)

    assert first == second
    assert first.appointment is None


def test_the_product_defaults_to_the_last_session_product(patient, clinician) -> None:
    dysport = Product.objects.get(brand_name="Dysport")
    session_with_injections(
        units=["100"],
        patient=patient,
        product=dysport,
        started_at=timezone.now() - dt.timedelta(days=120),
    )

    session = session_start_walk_in(patient=patient, user=clinician)

    assert session.product == dysport


def test_injecting_draws_from_the_vial_and_computes_the_volume(session, trapezius, vial):
    point = inject(session, trapezius, "10", vial)

    injection = point.injections.get()
    vial.refresh_from_db()
    assert injection.volume_ml == Decimal("0.250")
    assert vial.units_remaining == Decimal(90)
    assert point.number == 1


def test_points_are_numbered_in_order(session, trapezius, levator, vial) -> None:
    inject(session, trapezius, "10", vial)
    inject(session, levator, "10", vial)
    inject(session, trapezius, "10", vial, side="right")

    assert list(session.trigger_points.values_list("number", "muscle__slug", "side")) == [
        (1, "upper-trapezius", "left"),
        (2, "levator-scapulae", "left"),
        (3, "upper-trapezius", "right"),
    ]


def test_no_consent_no_injection(clinician, botox, trapezius, vial) -> None:
    patient = PatientFactory()
    session = session_start_walk_in(patient=patient, user=clinician)

    with pytest.raises(ProcedureError) as refused:
        inject(session, trapezius, "10", vial)

    assert refused.value.message == errors.NO_CONSENT
    assert not TriggerPoint.objects.filter(session=session).exists()
    vial.refresh_from_db()
    assert vial.units_remaining == 100


def test_a_vial_of_another_product_is_refused(session, trapezius, clinician) -> None:
    dysport_lot = LotFactory(product=Product.objects.get(brand_name="Dysport"), units_per_vial=300)
    dysport_vial = vial_open(lot=dysport_lot, diluent_ml=Decimal("2.5"), user=clinician)

    with pytest.raises(ProcedureError) as refused:
        inject(session, trapezius, "10", dysport_vial)

    assert refused.value.message == errors.VIAL_OTHER_PRODUCT.format(
        vial=dysport_vial.pk, vial_product="Dysport", product="Botox"
    )
    assert not Injection.objects.exists()


def test_more_units_than_the_vial_holds_are_refused_and_nothing_is_saved(
    session, trapezius, vial
) -> None:
    with pytest.raises(ProcedureError) as refused:
        inject(session, trapezius, "101", vial)

    assert refused.value.message == errors.VIAL_TOO_FEW_UNITS.format(
        vial=vial.pk, left="100", asked="101"
    )
    assert not session.trigger_points.exists()


def test_an_expired_vial_is_refused(session, trapezius, botox_lot, clinician) -> None:
    old = vial_open(
        lot=botox_lot,
        diluent_ml=Decimal(2),
        user=clinician,
        at=timezone.now() - dt.timedelta(hours=25),
    )

    with pytest.raises(ProcedureError) as refused:
        inject(session, trapezius, "10", old)

    assert refused.value.message.startswith(f"Vial {old.pk} expired at")


def test_changing_the_units_draws_or_gives_back_the_difference(session, trapezius, vial):
    point = inject(session, trapezius, "20", vial)

    trigger_point_update(
        session=session,
        trigger_point=point,
        user=session.clinician,
        point=a_point(trapezius),
        injection=InjectionInput(vial=vial, units=Decimal(15), depth_mm=20),
    )

    vial.refresh_from_db()
    injection = point.injections.get()
    assert (injection.units, injection.volume_ml, injection.depth_mm) == (15, Decimal("0.375"), 20)
    assert vial.units_remaining == Decimal(85)


def test_needle_details_change_even_after_the_vial_expired(session, trapezius, vial) -> None:
    point = inject(session, trapezius, "20", vial)

    trigger_point_update(
        session=session,
        trigger_point=point,
        user=session.clinician,
        point=a_point(trapezius),
        injection=InjectionInput(vial=vial, units=Decimal(20), needle_gauge=27),
        at=vial.use_by + dt.timedelta(hours=1),
    )

    assert point.injections.get().needle_gauge == 27


def test_removing_a_point_gives_its_units_back_and_renumbers(session, trapezius, vial):
    first = inject(session, trapezius, "10", vial)
    inject(session, trapezius, "20", vial, side="right")

    trigger_point_remove(session=session, trigger_point=first, user=session.clinician)

    vial.refresh_from_db()
    assert vial.units_remaining == Decimal(80)
    assert list(session.trigger_points.values_list("number", "side")) == [(1, "right")]


def test_dragging_a_marker_moves_the_point(session, trapezius, levator, vial) -> None:
    point = inject(session, trapezius, "10", vial)

    trigger_point_move(
        session=session,
        trigger_point=point,
        user=session.clinician,
        view="back",
        x=Decimal("0.6"),
        y=Decimal("0.25"),
        muscle=levator,
        side="right",
    )

    point.refresh_from_db()
    assert (point.x, point.muscle, point.side) == (Decimal("0.6"), levator, "right")


def test_copying_the_last_session_prefills_its_points_without_units(patient, clinician):
    last = session_with_injections(
        units=["10", "20"], patient=patient, started_at=timezone.now() - dt.timedelta(days=90)
    )
    session = session_start_walk_in(patient=patient, user=clinician)

    copied = trigger_points_copy_last(session=session, user=clinician)

    assert [p.number for p in copied] == [1, 2]
    assert [(p.muscle_id, p.side, p.view, p.x, p.y) for p in copied] == [
        (p.muscle_id, p.side, p.view, p.x, p.y) for p in last.trigger_points.order_by("number")
    ]
    assert not Injection.objects.filter(trigger_point__session=session).exists()


def test_copying_onto_a_map_that_has_points_is_refused(session, trapezius, vial) -> None:
    inject(session, trapezius, "10", vial)

    with pytest.raises(ProcedureError) as refused:
        trigger_points_copy_last(session=session, user=session.clinician)

    assert refused.value.message == errors.COPY_NEEDS_EMPTY_MAP


def test_another_clinician_cannot_change_the_draft(session, trapezius, other_clinician):
    with pytest.raises(ProcedureError) as refused:
        trigger_point_add(session=session, user=other_clinician, point=a_point(trapezius))

    assert refused.value.message == errors.SESSION_NOT_YOURS


def test_the_product_cannot_change_once_units_are_recorded(session, trapezius, vial) -> None:
    inject(session, trapezius, "10", vial)

    with pytest.raises(ProcedureError) as refused:
        session_details_update(
            session=session,
            user=session.clinician,
            changes={"product": Product.objects.get(brand_name="Xeomin")},
        )

    assert refused.value.message == errors.PRODUCT_LOCKED
    session.refresh_from_db()
    assert session.product.brand_name == "Botox"


def test_details_are_saved(session) -> None:
    session_details_update(
        session=session,
        user=session.clinician,
        changes={"pain_before": 7, "icd10_code": "M79.18", "precautions_confirmed": True},
    )

    session.refresh_from_db()
    assert (session.pain_before, session.icd10_code, session.precautions_confirmed) == (
        7,
        "M79.18",
        True,
    )
    assert session.status == SessionStatus.DRAFT
