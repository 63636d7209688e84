"""Writes to the stock: lots received, vials opened and closed, units drawn.

Units are drawn from a vial with one conditional UPDATE in the caller's
transaction, so the database refuses an overdraw even when two sessions
draw from the same vial at the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from clinic.models import User
from procedures import errors
from procedures.dilution import plain_number
from procedures.errors import ProcedureError
from procedures.models import Lot, Product, Vial

logger = logging.getLogger(__name__)


def lot_receive(
    *,
    product: Product,
    lot_number: str,
    units_per_vial: int,
    expires_on: dt.date,
    vials_received: int,
    user: User,
) -> Lot:
    lot_number = lot_number.strip().upper()
    if units_per_vial not in product.vial_sizes:
        sizes = " or ".join(str(size) for size in product.vial_sizes)
        raise ProcedureError(
            errors.LOT_VIAL_SIZE.format(product=product.brand_name, sizes=sizes),
            field="units_per_vial",
        )
    if expires_on < timezone.localdate():
        raise ProcedureError(
            errors.LOT_EXPIRED.format(lot=lot_number, date=expires_on), field="expires_on"
        )
    try:
        with transaction.atomic():
            lot = Lot.objects.create(
                product=product,
                lot_number=lot_number,
                units_per_vial=units_per_vial,
                expires_on=expires_on,
                vials_received=vials_received,
            )
    except IntegrityError as error:
        raise ProcedureError(
            errors.LOT_DUPLICATE.format(lot=lot_number, product=product.brand_name),
            field="lot_number",
        ) from error
    logger.info("lot %s received by user %s", lot.pk, user.pk)
    return lot


def lot_is_expired(lot: Lot, *, at: dt.datetime) -> bool:
    return lot.expires_on < timezone.localdate(at)


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


@transaction.atomic
def vial_open(*, lot: Lot, diluent_ml: Decimal, user: User, at: dt.datetime | None = None) -> Vial:
    """Reconstitute (or open) one vial of the lot. It may be used until the
    product's hours of use have passed or the lot expires, whichever is first."""
    at = at or timezone.now()
    lot = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
    product = lot.product
    if lot_is_expired(lot, at=at):
        raise ProcedureError(errors.LOT_EXPIRED.format(lot=lot.lot_number, date=lot.expires_on))
    if lot.vials.count() >= lot.vials_received:
        raise ProcedureError(
            errors.LOT_ALL_OPENED.format(count=lot.vials_received, lot=lot.lot_number)
        )
    if not product.is_solution and diluent_ml <= 0:
        raise ProcedureError(errors.DILUENT_REQUIRED, field="diluent_ml")
    own_volume = lot.units_per_vial / product.solution_units_per_ml if product.is_solution else 0
    use_by = min(
        at + dt.timedelta(hours=product.reconstituted_use_hours), _end_of_day(lot.expires_on)
    )
    vial = Vial.objects.create(
        lot=lot,
        opened_at=at,
        opened_by=user,
        diluent_ml=diluent_ml,
        volume_ml=diluent_ml + own_volume,
        use_by=use_by,
        units_total=lot.units_per_vial,
        units_remaining=lot.units_per_vial,
    )
    logger.info("vial %s opened by user %s", vial.pk, user.pk)
    return vial


@transaction.atomic
def vial_close(*, vial: Vial, user: User, at: dt.datetime | None = None) -> Vial:
    """Close the vial; what is left in it is recorded as waste."""
    vial = Vial.objects.select_for_update().get(pk=vial.pk)
    if vial.is_closed:
        raise ProcedureError(errors.VIAL_ALREADY_CLOSED.format(vial=vial.pk))
    vial.closed_at = at or timezone.now()
    vial.closed_by = user
    vial.waste_units = vial.units_remaining
    vial.units_remaining = Decimal(0)
    vial.save(update_fields=["closed_at", "closed_by", "waste_units", "units_remaining"])
    logger.info("vial %s closed by user %s", vial.pk, user.pk)
    return vial


def vial_draw(*, vial: Vial, units: Decimal, at: dt.datetime) -> None:
    """Deduct `units` from an open, unexpired vial, or refuse. Call it inside
    the transaction that records the injection."""
    drawn = Vial.objects.filter(
        pk=vial.pk, closed_at=None, use_by__gt=at, units_remaining__gte=units
    ).update(units_remaining=F("units_remaining") - units)
    if drawn:
        return
    vial.refresh_from_db()
    if vial.is_closed:
        raise ProcedureError(errors.VIAL_CLOSED.format(vial=vial.pk), field="vial")
    if vial.use_by <= at:
        raise ProcedureError(
            errors.VIAL_EXPIRED.format(
                vial=vial.pk, time=f"{timezone.localtime(vial.use_by):%m/%d/%Y %H:%M}"
            ),
            field="vial",
        )
    raise ProcedureError(
        errors.VIAL_TOO_FEW_UNITS.format(
            vial=vial.pk, left=plain_number(vial.units_remaining), asked=plain_number(units)
        ),
        field="units",
    )


def vial_return(*, vial: Vial, units: Decimal) -> None:
    """Give back units recorded in error: to the vial while it is open, to its
    waste once it is closed (they were thrown away with it)."""
    if Vial.objects.filter(pk=vial.pk, closed_at=None).update(
        units_remaining=F("units_remaining") + units
    ):
        return
    Vial.objects.filter(pk=vial.pk).update(waste_units=F("waste_units") + units)
