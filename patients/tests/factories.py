from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from clinic.tests.factories import UserFactory
from patients.models import Consent, ConsentForm, Patient, Precautions
from patients.search import search_name_for


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    # Factory MRNs start with F so they never collide with generated ones.
    mrn = factory.Sequence(lambda n: f"F{n:07d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    preferred_name = ""
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    sex = "female"
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.com".lower())
    phone = factory.Sequence(lambda n: f"+1212555{n % 10000:04d}")
    email_consent = True
    email_consent_at = factory.LazyFunction(timezone.now)
    search_name = factory.LazyAttribute(
        lambda p: search_name_for(
            first_name=p.first_name, last_name=p.last_name, preferred_name=p.preferred_name
        )
    )


class PrecautionsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precautions

    patient = factory.SubFactory(PatientFactory)
    reviewed_at = factory.LazyFunction(timezone.now)
    reviewed_by = factory.SubFactory(UserFactory, role="Clinician")


class ConsentFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentForm
        django_get_or_create = ("code", "version")

    code = "botulinum-toxin-tpi"
    version = 1
    title = "Consent to botulinum toxin trigger point injection"
    body = "This use of botulinum toxin is off-label for myofascial pain."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    form = factory.SubFactory(ConsentFormFactory)
    signed_on = factory.LazyFunction(lambda: timezone.localdate())
    witness_name = "Wendy Witness"
    valid_until = factory.LazyAttribute(lambda c: c.signed_on + dt.timedelta(days=365))
    recorded_by = factory.SubFactory(UserFactory, role="Clinician")
