from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients import services
from patients.dates import years_before
from patients.models import Patient
from patients.mrn import mrn_is_valid
from patients.services import PatientDetails, PossibleDuplicate
from patients.tests.factories import PatientFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

DETAILS = PatientDetails(
    first_name=" Zoë ",
    last_name="Brontë",
    date_of_birth=dt.date(1985, 6, 7),
    phone="(212) 555-0188",
    email="zoe@example.com",
    email_consent=True,
    preferred_contact="email",
)


def test_registering_generates_a_valid_mrn_and_normalises_the_details(front_desk) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)

    patient.refresh_from_db()
    assert mrn_is_valid(patient.mrn)
    assert patient.first_name == "Zoë"
    assert patient.phone == "+12125550188"
    assert patient.search_name == "zoe bronte"
    assert patient.created_by == front_desk


def test_each_registration_gets_its_own_mrn(front_desk) -> None:
    first = services.patient_register(details=DETAILS, registered_by=front_desk)
    second = services.patient_register(
        details=replace(DETAILS, first_name="Emily", email="emily@example.com"),
        registered_by=front_desk,
    )

    assert first.mrn != second.mrn


def test_email_consent_is_recorded_with_when_and_by_whom(front_desk) -> None:
    before = timezone.now()

    patient = services.patient_register(details=DETAILS, registered_by=front_desk)

    patient.refresh_from_db()
    assert patient.email_consent is True
    assert patient.email_consent_by == front_desk
    assert patient.email_consent_at >= before


def test_withdrawing_email_consent_records_who_and_when(front_desk, clinician) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)

    services.patient_update(
        patient=patient, details=replace(DETAILS, email_consent=False), updated_by=clinician
    )

    patient.refresh_from_db()
    assert patient.email_consent is False
    assert patient.email_consent_by == clinician


def test_an_unchanged_answer_keeps_the_original_record(front_desk, clinician) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)
    recorded_at = Patient.objects.get(pk=patient.pk).email_consent_at

    services.patient_update(
        patient=patient, details=replace(DETAILS, city="Albany"), updated_by=clinician
    )

    patient.refresh_from_db()
    assert patient.city == "Albany"
    assert patient.email_consent_at == recorded_at
    assert patient.email_consent_by == front_desk


def test_consenting_again_after_unsubscribing_is_a_new_consent(front_desk) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)
    Patient.objects.filter(pk=patient.pk).update(unsubscribed_at=timezone.now())

    services.patient_update(patient=patient, details=DETAILS, updated_by=front_desk)

    patient.refresh_from_db()
    assert patient.unsubscribed_at is None
    assert patient.email_consent is True


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth", services.DATE_OF_BIRTH_IN_FUTURE),
        ({"date_of_birth": dt.date(1890, 1, 1)}, "date_of_birth", services.DATE_OF_BIRTH_TOO_EARLY),
        ({"phone": "555-0100"}, "phone", services.PHONE_INVALID),
        ({"first_name": "  "}, "first_name", services.NAME_REQUIRED),
        (
            {"email": "", "email_consent": True, "preferred_contact": "phone"},
            "email_consent",
            services.EMAIL_CONSENT_NEEDS_EMAIL,
        ),
        ({"email": "", "email_consent": False}, "preferred_contact", services.CONTACT_NEEDS_EMAIL),
        (
            {"phone": "", "preferred_contact": "text"},
            "preferred_contact",
            services.CONTACT_NEEDS_PHONE,
        ),
        ({"preferred_contact": "post"}, "preferred_contact", services.CONTACT_NEEDS_ADDRESS),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(front_desk, change, field, message) -> None:
    with pytest.raises(ValidationError) as refused:
        services.patient_register(details=replace(DETAILS, **change), registered_by=front_desk)

    assert refused.value.message_dict[field] == [message]
    assert not Patient.objects.exists()


def test_a_date_of_birth_exactly_120_years_ago_is_accepted(front_desk) -> None:
    oldest = years_before(timezone.localdate(), 120)

    patient = services.patient_register(
        details=replace(DETAILS, date_of_birth=oldest), registered_by=front_desk
    )

    assert patient.date_of_birth == oldest


def test_a_date_of_birth_today_is_accepted(front_desk) -> None:
    patient = services.patient_register(
        details=replace(DETAILS, date_of_birth=timezone.localdate()), registered_by=front_desk
    )

    assert patient.date_of_birth == timezone.localdate()


def test_same_name_and_birth_date_asks_for_confirmation(front_desk) -> None:
    existing = PatientFactory(
        first_name="zoe", last_name="BRONTE", date_of_birth=DETAILS.date_of_birth
    )

    with pytest.raises(PossibleDuplicate) as warning:
        services.patient_register(
            details=replace(DETAILS, email="other@example.com"), registered_by=front_desk
        )

    assert warning.value.matches == [existing]
    assert Patient.objects.count() == 1


def test_same_email_asks_for_confirmation(front_desk) -> None:
    existing = PatientFactory(email="ZOE@example.com")

    with pytest.raises(PossibleDuplicate) as warning:
        services.patient_register(details=DETAILS, registered_by=front_desk)

    assert warning.value.matches == [existing]


def test_a_preferred_name_counts_as_the_same_first_name(front_desk) -> None:
    existing = PatientFactory(
        first_name="Robert",
        preferred_name="Bob",
        last_name="Haddad",
        date_of_birth=dt.date(1962, 1, 17),
    )

    with pytest.raises(PossibleDuplicate) as warning:
        services.patient_register(
            details=replace(
                DETAILS, first_name="Bob", last_name="Haddad", date_of_birth=dt.date(1962, 1, 17)
            ),
            registered_by=front_desk,
        )

    assert warning.value.matches == [existing]


def test_confirming_the_matches_shown_registers_the_patient(front_desk) -> None:
    existing = PatientFactory(
        first_name="Zoë", last_name="Brontë", date_of_birth=DETAILS.date_of_birth
    )

    patient = services.patient_register(
        details=DETAILS, registered_by=front_desk, confirmed_duplicate_ids={existing.pk}
    )

    assert Patient.objects.count() == 2
    assert patient.pk != existing.pk


def test_a_confirmation_covers_only_the_matches_that_were_shown(front_desk) -> None:
    shown = PatientFactory(
        first_name="Zoë", last_name="Brontë", date_of_birth=DETAILS.date_of_birth
    )
    PatientFactory(email=DETAILS.email)

    with pytest.raises(PossibleDuplicate):
        services.patient_register(
            details=DETAILS, registered_by=front_desk, confirmed_duplicate_ids={shown.pk}
        )


def test_editing_a_patient_is_not_a_duplicate_of_itself(front_desk) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)

    services.patient_update(
        patient=patient, details=replace(DETAILS, city="Boston"), updated_by=front_desk
    )

    patient.refresh_from_db()
    assert patient.city == "Boston"


def test_archiving_keeps_the_record_and_restoring_brings_it_back(front_desk) -> None:
    patient = PatientFactory()

    services.patient_archive(patient=patient, archived_by=front_desk)
    patient.refresh_from_db()
    assert patient.archived_at is not None
    assert patient.archived_by == front_desk

    services.patient_restore(patient=patient, restored_by=front_desk)
    patient.refresh_from_db()
    assert patient.archived_at is None


def test_an_archived_patient_cannot_be_edited(front_desk) -> None:
    patient = services.patient_register(details=DETAILS, registered_by=front_desk)
    services.patient_archive(patient=patient, archived_by=front_desk)

    with pytest.raises(ValidationError, match=services.PATIENT_IS_ARCHIVED):
        services.patient_update(
            patient=patient, details=replace(DETAILS, city="Boston"), updated_by=front_desk
        )

    patient.refresh_from_db()
    assert patient.city == ""


def test_a_patient_with_an_upcoming_appointment_cannot_be_archived(front_desk) -> None:
    appointment = AppointmentFactory()

    with pytest.raises(ValidationError, match="upcoming appointments"):
        services.patient_archive(patient=appointment.patient, archived_by=front_desk)

    appointment.patient.refresh_from_db()
    assert appointment.patient.archived_at is None


def test_past_or_cancelled_appointments_do_not_stop_archiving(front_desk) -> None:
    patient = PatientFactory()
    AppointmentFactory(patient=patient, status=AppointmentStatus.CANCELLED, cancel_reason="Ill")
    AppointmentFactory(
        patient=patient,
        status=AppointmentStatus.COMPLETED,
        start=timezone.now() - dt.timedelta(days=30),
    )

    services.patient_archive(patient=patient, archived_by=front_desk)

    patient.refresh_from_db()
    assert patient.archived_at is not None
