"""The dose guard: the label rules a session is checked against.

Each rule gives a warning that names the rule and the numbers; signing past
a warning needs a written reason (procedures.services.signing). Units are
only ever summed within one product: the product of a unit is the product
of its vial's lot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from procedures.dilution import plain_number as n
from procedures.models import Injection, Product, SessionStatus, TreatmentSession

OTHER_PRODUCT_DAYS = 90


@dataclass(frozen=True)
class DoseWarning:
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class PointUnits:
    number: int
    muscle: str
    side: str
    units: Decimal


def session_warnings(*, session: TreatmentSession) -> list[DoseWarning]:
    """Every warning for the session as it stands now, in a fixed order."""
    product = session.product
    if product is None:
        return []
    points = session_point_units(session=session)
    total = sum((point.units for point in points), Decimal(0))
    return [
        *_per_site(product, points),
        *_per_session(product, total),
        *_rolling_window(session, product, total),
        *_retreatment(session, product),
        *_other_product(session, product),
    ]


def session_point_units(*, session: TreatmentSession) -> list[PointUnits]:
    rows = (
        Injection.objects.filter(trigger_point__session=session)
        .values("trigger_point__number", "trigger_point__muscle__name", "trigger_point__side")
        .annotate(units=Sum("units"))
        .order_by("trigger_point__number")
    )
    return [
        PointUnits(
            row["trigger_point__number"],
            row["trigger_point__muscle__name"],
            row["trigger_point__side"],
            row["units"],
        )
        for row in rows
    ]


def days_back_start(moment: dt.datetime, days: int) -> dt.datetime:
    """Start of a window of `days` clinic days ending on `moment`'s day: a
    session `days` days earlier falls outside it, one a day later inside."""
    first_day = timezone.localdate(moment) - dt.timedelta(days=days - 1)
    return timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))


def window_units(
    *, patient_id: int, product: Product, before: dt.datetime, exclude_session_id: int | None
) -> Decimal:
    """Units of `product` in the patient's signed sessions of the product's
    window that ends at `before`."""
    if not product.window_days:
        return Decimal(0)
    injections = Injection.objects.filter(
        vial__lot__product=product,
        trigger_point__session__patient_id=patient_id,
        trigger_point__session__status=SessionStatus.SIGNED,
        trigger_point__session__started_at__gte=days_back_start(before, product.window_days),
        trigger_point__session__started_at__lte=before,
    ).exclude(trigger_point__session_id=exclude_session_id)
    return injections.aggregate(total=Sum("units"))["total"] or Decimal(0)


def _per_site(product: Product, points: list[PointUnits]) -> list[DoseWarning]:
    limit = product.max_units_per_site
    if limit is None:
        return []
    return [
        DoseWarning(
            "per_site",
            f"Point {point.number} ({point.muscle}, {point.side}): {n(point.units)} U at one "
            f"site; the {product.brand_name} limit is {n(limit)} U per site.",
        )
        for point in points
        if point.units > limit
    ]


def _per_session(product: Product, total: Decimal) -> list[DoseWarning]:
    limit = product.max_units_per_session
    if limit is None or total <= limit:
        return []
    return [
        DoseWarning(
            "per_session",
            f"This session: {n(total)} U of {product.brand_name}; the limit is {n(limit)} U "
            "per session.",
        )
    ]


def _rolling_window(
    session: TreatmentSession, product: Product, total: Decimal
) -> list[DoseWarning]:
    limit = product.max_units_per_window
    if limit is None:
        return []
    before = window_units(
        patient_id=session.patient_id,
        product=product,
        before=session.started_at,
        exclude_session_id=session.pk,
    )
    if before + total <= limit:
        return []
    return [
        DoseWarning(
            "rolling_window",
            f"{product.brand_name} in {product.window_days} days: {n(before)} U already given "
            f"+ {n(total)} U in this session = {n(before + total)} U; the limit is {n(limit)} U "
            f"in {product.window_days} days.",
        )
    ]


def _signed_before(session: TreatmentSession):  # -> QuerySet[TreatmentSession]
    return (
        TreatmentSession.objects.filter(
            patient_id=session.patient_id,
            status=SessionStatus.SIGNED,
            started_at__lt=session.started_at,
        )
        .exclude(pk=session.pk)
        .select_related("product")
        .order_by("-started_at")
    )


def _days_between(earlier: dt.datetime, later: dt.datetime) -> int:
    return (timezone.localdate(later) - timezone.localdate(earlier)).days


def _retreatment(session: TreatmentSession, product: Product) -> list[DoseWarning]:
    last = _signed_before(session).filter(product=product).first()
    if last is None:
        return []
    days = _days_between(last.started_at, session.started_at)
    if days >= product.min_retreatment_days:
        return []
    return [
        DoseWarning(
            "retreatment",
            f"Re-treatment after {days} days: the last {product.brand_name} session was on "
            f"{timezone.localdate(last.started_at):%m/%d/%Y}; the minimum interval is "
            f"{product.min_retreatment_days} days.",
        )
    ]


def _other_product(session: TreatmentSession, product: Product) -> list[DoseWarning]:
    since = days_back_start(session.started_at, OTHER_PRODUCT_DAYS)
    other = (
        _signed_before(session)
        .filter(started_at__gte=since, product__isnull=False)
        .exclude(product=product)
        .first()
    )
    if other is None:
        return []
    days = _days_between(other.started_at, session.started_at)
    return [
        DoseWarning(
            "other_product",
            f"A different toxin, {other.product.brand_name}, was given {days} days ago "
            f"(on {timezone.localdate(other.started_at):%m/%d/%Y}); this session uses "
            f"{product.brand_name}. Units of different products are not interchangeable.",
        )
    ]
