"""Lots, vials, expiry and the deduction of units drawn."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from procedures import errors
from procedures.errors import ProcedureError
from procedures.models import Product, Vial
from procedures.services.stock import lot_receive, vial_close, vial_draw, vial_open, vial_return
from procedures.tests.factories import LotFactory

pytestmark = pytest.mark.django_db


def test_receiving_a_lot_records_it_with_its_vial_size(botox: Product, clinician) -> None:
    lot = lot_receive(
        product=botox,
        lot_number=" c4455b ",
        units_per_vial=200,
        expires_on=timezone.localdate() + dt.timedelta(days=300),
        vials_received=6,
        user=clinician,
    )

    lot.refresh_from_db()
    assert (lot.lot_number, lot.units_per_vial, lot.vials_received) == ("C4455B", 200, 6)


def test_a_vial_size_the_product_does_not_come_in_is_refused(botox, clinician) -> None:
    with pytest.raises(ProcedureError) as refused:
        lot_receive(
            product=botox,
            lot_number="X1",
            units_per_vial=300,
            expires_on=timezone.localdate() + dt.timedelta(days=30),
            vials_received=1,
            user=clinician,
        )

    assert refused.value.message == "Botox comes in vials of 100 or 200 U."
    assert not botox.lots.exists()


def test_the_same_lot_twice_is_refused_with_a_message(botox, clinician) -> None:
    LotFactory(product=botox, lot_number="C1")

    with pytest.raises(ProcedureError) as refused:
        lot_receive(
            product=botox,
            lot_number="c1",
            units_per_vial=100,
            expires_on=timezone.localdate() + dt.timedelta(days=30),
            vials_received=1,
            user=clinician,
        )

    assert refused.value.message == errors.LOT_DUPLICATE.format(lot="C1", product="Botox")


def test_opening_a_vial_shows_units_per_tenth_ml_and_when_it_expires(botox_lot, clinician):
    opened_at = timezone.now()

    vial = vial_open(lot=botox_lot, diluent_ml=Decimal("2.5"), user=clinician, at=opened_at)

    vial.refresh_from_db()
    assert vial.units_per_tenth_ml == Decimal(4)
    assert vial.use_by == opened_at + dt.timedelta(hours=24)
    assert (vial.units_total, vial.units_remaining, vial.volume_ml) == (100, 100, Decimal("2.5"))


def test_a_vial_expires_with_its_lot_when_the_lot_expires_first(botox, clinician) -> None:
    today = timezone.localdate()
    lot = LotFactory(product=botox, expires_on=today)

    vial = vial_open(lot=lot, diluent_ml=Decimal(2), user=clinician)

    midnight = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    assert vial.use_by == min(vial.opened_at + dt.timedelta(hours=24), midnight)
    assert vial.use_by <= midnight


def test_an_expired_lot_cannot_be_opened(botox, clinician) -> None:
    lot = LotFactory(product=botox, lot_number="OLD1", expires_on=timezone.localdate())

    with pytest.raises(ProcedureError) as refused:
        vial_open(
            lot=lot,
            diluent_ml=Decimal(2),
            user=clinician,
            at=timezone.now() + dt.timedelta(days=1),
        )

    assert refused.value.message.startswith("Lot OLD1 expired on")
    assert not lot.vials.exists()


def test_a_lot_cannot_give_more_vials_than_were_received(botox, clinician) -> None:
    lot = LotFactory(product=botox, lot_number="TWO", vials_received=2)
    vial_open(lot=lot, diluent_ml=Decimal(2), user=clinician)
    vial_open(lot=lot, diluent_ml=Decimal(2), user=clinician)

    with pytest.raises(ProcedureError) as refused:
        vial_open(lot=lot, diluent_ml=Decimal(2), user=clinician)

    assert refused.value.message == "All 2 vials of lot TWO have been opened."
    assert lot.vials.count() == 2


def test_a_powder_needs_saline(botox_lot, clinician) -> None:
    with pytest.raises(ProcedureError) as refused:
        vial_open(lot=botox_lot, diluent_ml=Decimal(0), user=clinician)

    assert refused.value.message == errors.DILUENT_REQUIRED


def test_myobloc_is_a_solution_of_5000_units_per_ml(clinician) -> None:
    myobloc = Product.objects.get(brand_name="Myobloc")
    lot = LotFactory(product=myobloc, units_per_vial=5000)

    undiluted = vial_open(lot=lot, diluent_ml=Decimal(0), user=clinician)
    diluted = vial_open(lot=lot, diluent_ml=Decimal(1), user=clinician)

    assert undiluted.volume_ml == Decimal(1)
    assert undiluted.units_per_tenth_ml == Decimal(500)
    assert diluted.units_per_tenth_ml == Decimal(250)
    assert undiluted.use_by == undiluted.opened_at + dt.timedelta(hours=4)


def test_drawing_deducts_the_units(vial) -> None:
    vial_draw(vial=vial, units=Decimal("12.5"), at=timezone.now())

    vial.refresh_from_db()
    assert vial.units_remaining == Decimal("87.5")


def test_drawing_more_than_is_left_is_refused_and_deducts_nothing(vial) -> None:
    vial_draw(vial=vial, units=Decimal(90), at=timezone.now())

    with pytest.raises(ProcedureError) as refused:
        vial_draw(vial=vial, units=Decimal(11), at=timezone.now())

    assert refused.value.message == (
        f"Vial {vial.pk} has only 10 U left; 11 U cannot be drawn from it."
    )
    vial.refresh_from_db()
    assert vial.units_remaining == Decimal(10)


def test_drawing_from_an_expired_vial_is_refused(vial) -> None:
    with pytest.raises(ProcedureError) as refused:
        vial_draw(vial=vial, units=Decimal(1), at=vial.use_by)

    assert refused.value.message.startswith(f"Vial {vial.pk} expired at")
    vial.refresh_from_db()
    assert vial.units_remaining == 100


def test_the_database_refuses_an_overdraw_even_without_the_service(vial) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Vial.objects.filter(pk=vial.pk).update(units_remaining=Decimal(-1))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sessions_drawing_the_last_units_at_once_cannot_both_succeed(
    botox_lot, clinician
) -> None:
    vial = vial_open(lot=botox_lot, diluent_ml=Decimal(2), user=clinician)
    Vial.objects.filter(pk=vial.pk).update(units_remaining=Decimal(30))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def draw() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                vial_draw(vial=vial, units=Decimal(20), at=timezone.now())
            outcomes.append("drawn")
        except ProcedureError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    vial.refresh_from_db()
    assert sorted(outcomes) == ["drawn", "refused"]
    assert vial.units_remaining == Decimal(10)


def test_closing_records_what_is_left_as_waste(vial, clinician) -> None:
    vial_draw(vial=vial, units=Decimal(60), at=timezone.now())

    vial_close(vial=vial, user=clinician)

    vial.refresh_from_db()
    assert (vial.waste_units, vial.units_remaining) == (Decimal(40), Decimal(0))
    assert vial.closed_by == clinician


def test_a_closed_vial_cannot_be_drawn_from_or_closed_again(vial, clinician) -> None:
    vial_close(vial=vial, user=clinician)

    with pytest.raises(ProcedureError) as drawn:
        vial_draw(vial=vial, units=Decimal(1), at=timezone.now())
    with pytest.raises(ProcedureError) as closed:
        vial_close(vial=vial, user=clinician)

    assert drawn.value.message == f"Vial {vial.pk} is closed; open another vial."
    assert closed.value.message == f"Vial {vial.pk} is already closed."


def test_units_given_back_after_closing_count_as_waste(vial, clinician) -> None:
    vial_draw(vial=vial, units=Decimal(30), at=timezone.now())
    vial_close(vial=vial, user=clinician)

    vial_return(vial=vial, units=Decimal(10))

    vial.refresh_from_db()
    assert (vial.units_remaining, vial.waste_units) == (Decimal(0), Decimal(80))
