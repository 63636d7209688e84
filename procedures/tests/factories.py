from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from clinic.tests.factories import UserFactory
from patients.tests.factories import PatientFactory
from procedures.models import (
    Injection,
    Lot,
    Muscle,
    Product,
    SessionStatus,
    TreatmentSession,
    TriggerPoint,
    Vial,
)


class ProductFactory(factory.django.DjangoModelFactory):
    """Botox's label limits by default."""

    class Meta:
        model = Product
        django_get_or_create = ("brand_name",)

    brand_name = "Botox"
    generic_name = "onabotulinumtoxinA"
    vial_sizes = factory.LazyFunction(lambda: [100, 200])
    max_units_per_site = Decimal("50")
    max_units_per_session = Decimal("400")
    max_units_per_window = Decimal("400")
    window_days = 90
    reconstituted_use_hours = 24
    min_retreatment_days = 84


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    product = factory.SubFactory(ProductFactory)
    lot_number = factory.Sequence(lambda n: f"C{n + 1000}A")
    units_per_vial = 100
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    vials_received = 10


class VialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vial

    lot = factory.SubFactory(LotFactory)
    opened_at = factory.LazyFunction(timezone.now)
    opened_by = factory.SubFactory(UserFactory, role="Clinician")
    diluent_ml = Decimal("2.5")
    volume_ml = factory.SelfAttribute("diluent_ml")
    use_by = factory.LazyAttribute(
        lambda v: v.opened_at + dt.timedelta(hours=v.lot.product.reconstituted_use_hours)
    )
    units_total = factory.LazyAttribute(lambda v: Decimal(v.lot.units_per_vial))
    units_remaining = factory.LazyAttribute(lambda v: v.units_total)


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ("slug",)

    slug = "upper-trapezius"
    name = "Upper trapezius"
    region = "shoulder girdle"
    on_back = True


class TreatmentSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentSession

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(UserFactory, role="Clinician")
    product = factory.SubFactory(ProductFactory)
    started_at = factory.LazyFunction(timezone.now)
    pain_before = 7

    class Params:
        signed = factory.Trait(
            status=SessionStatus.SIGNED,
            signed_at=factory.LazyAttribute(lambda s: s.started_at + dt.timedelta(minutes=40)),
            signed_by=factory.SelfAttribute("clinician"),
        )


class TriggerPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriggerPoint

    session = factory.SubFactory(TreatmentSessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    muscle = factory.SubFactory(MuscleFactory)
    side = "left"
    view = "back"
    x = Decimal("0.4000")
    y = Decimal("0.2000")


class InjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Injection

    trigger_point = factory.SubFactory(TriggerPointFactory)
    vial = factory.SubFactory(VialFactory)
    units = Decimal("10")
    volume_ml = factory.LazyAttribute(
        lambda i: (i.units * i.vial.volume_ml / i.vial.units_total).quantize(Decimal("0.001"))
    )


def session_with_injections(
    *, units: list[Decimal | int | str], signed: bool = True, **session_fields
) -> TreatmentSession:
    """A session with one trigger point per entry of `units`, each with its
    injection from one vial of the session's product, then signed.

    Points are added while the session is a draft: PostgreSQL refuses them
    on a signed session (procedures migration 0005).
    """
    session = TreatmentSessionFactory(**session_fields)
    lot = LotFactory(product=session.product, units_per_vial=max(session.product.vial_sizes))
    vial = VialFactory(lot=lot, opened_at=session.started_at, opened_by=session.clinician)
    for amount in units:
        InjectionFactory(trigger_point__session=session, vial=vial, units=Decimal(amount))
    if signed:
        TreatmentSession.objects.filter(pk=session.pk).update(
            status=SessionStatus.SIGNED,
            signed_at=session.started_at + dt.timedelta(minutes=40),
            signed_by=session.clinician,
        )
        session.refresh_from_db()
    return session


def signed(session: TreatmentSession) -> TreatmentSession:
    """Sign a draft made with factories, after its points and injections:
    the database refuses points on a session that is already signed."""
    session.status = SessionStatus.SIGNED
    session.signed_at = session.started_at + dt.timedelta(minutes=40)
    session.signed_by = session.clinician
    session.save(update_fields=["status", "signed_at", "signed_by"])
    return session
