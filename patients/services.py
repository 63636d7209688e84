"""Every write to patients, their precautions and their consents.

Keyword-only functions, each in one transaction. Bad input raises
ValidationError with the messages below (keyed by field where there is
one), and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import User
from patients.dates import years_before
from patients.models import Consent, ConsentForm, ContactMethod, Patient, Precautions, Sex
from patients.mrn import mrn_allocate
from patients.phones import phone_to_e164
from patients.search import search_name_for
from patients.selectors import patient_likely_duplicates
from scheduling.models import Appointment, AppointmentStatus

logger = logging.getLogger(__name__)

MAX_AGE_YEARS = 120
NAME_REQUIRED = "Enter the patient's name."
DATE_OF_BIRTH_IN_FUTURE = "Date of birth cannot be in the future."
DATE_OF_BIRTH_TOO_EARLY = f"Date of birth cannot be more than {MAX_AGE_YEARS} years ago."
PHONE_INVALID = "Enter a valid phone number, such as (212) 555-0123."
EMAIL_CONSENT_NEEDS_EMAIL = "Add an email address before recording consent to email."
CONTACT_NEEDS_EMAIL = "Add an email address, or choose another way to contact the patient."
CONTACT_NEEDS_PHONE = "Add a phone number, or choose another way to contact the patient."
CONTACT_NEEDS_ADDRESS = "Add an address, or choose another way to contact the patient."
PATIENT_IS_ARCHIVED = "This patient is archived. Restore the record before changing it."
PATIENT_NOT_ARCHIVED = "This patient is not archived."
ARCHIVE_WITH_UPCOMING_APPOINTMENTS = (
    "This patient has upcoming appointments. Cancel them before archiving the record."
)
ALLERGIES_REQUIRED = "Record allergies, or write “No known allergies”."
CONSENT_FORM_RETIRED = "A newer version of this form has been published. Use the current version."
CONSENT_WITNESS_REQUIRED = "Enter the name of the witness."
CONSENT_SIGNED_IN_FUTURE = "The date signed cannot be in the future."
CONSENT_VALID_UNTIL_BEFORE_SIGNED = "Valid until must be on or after the date signed."
CONSENT_ALREADY_EXPIRED = "This consent has already expired. Record a new signature instead."
CONSENT_ALREADY_REVOKED = "This consent has already been revoked."
REVOKE_REASON_REQUIRED = "Give the reason the consent is revoked."
CONSENT_FORM_TITLE_REQUIRED = "Enter a title."
CONSENT_FORM_BODY_REQUIRED = "Enter the text the patient signs."
CONSENT_FORM_VALIDITY_RANGE = "A signature stays valid for 1 to 3650 days."

# Appointments that still hold a future slot stop a patient being archived.
_ACTIVE_APPOINTMENT_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.IN_SESSION,
)


class PossibleDuplicate(Exception):
    """The details match existing patients; confirm they are different people."""

    def __init__(self, matches: list[Patient]) -> None:
        super().__init__(f"{len(matches)} likely match(es)")
        self.matches = matches


@dataclass(frozen=True)
class PatientDetails:
    """What the front desk records about a patient."""

    first_name: str
    last_name: str
    date_of_birth: dt.date
    sex: str = Sex.UNKNOWN
    preferred_name: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    preferred_contact: str = ContactMethod.PHONE
    email_consent: bool = False


@dataclass(frozen=True)
class PrecautionAnswers:
    """The clinician's answers to the pre-injection checklist."""

    neuromuscular_disorder: bool
    pregnant_or_breastfeeding: bool
    interacting_drugs: bool
    prior_toxin_hypersensitivity: bool
    swallowing_or_breathing_problems: bool
    bleeding_risk: bool
    allergies: str
    notes: str = ""


# Patients -------------------------------------------------------------------


def patient_details_problems(details: PatientDetails, *, today: dt.date) -> dict[str, str]:
    """Field name -> message for every rule the details break."""
    problems: dict[str, str] = {}
    for field in ("first_name", "last_name"):
        if not getattr(details, field).strip():
            problems[field] = NAME_REQUIRED
    if details.date_of_birth > today:
        problems["date_of_birth"] = DATE_OF_BIRTH_IN_FUTURE
    elif details.date_of_birth < years_before(today, MAX_AGE_YEARS):
        problems["date_of_birth"] = DATE_OF_BIRTH_TOO_EARLY
    if details.phone and phone_to_e164(details.phone) is None:
        problems["phone"] = PHONE_INVALID
    if details.email_consent and not details.email:
        problems["email_consent"] = EMAIL_CONSENT_NEEDS_EMAIL
    if contact_problem := _contact_problem(details):
        problems["preferred_contact"] = contact_problem
    return problems


def _contact_problem(details: PatientDetails) -> str | None:
    method = details.preferred_contact
    if method == ContactMethod.EMAIL and not details.email:
        return CONTACT_NEEDS_EMAIL
    if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not details.phone:
        return CONTACT_NEEDS_PHONE
    if method == ContactMethod.POST and not (details.address_line1 and details.postal_code):
        return CONTACT_NEEDS_ADDRESS
    return None


def patient_register(
    *,
    details: PatientDetails,
    registered_by: User,
    confirmed_duplicate_ids: Collection[int] = (),
) -> Patient:
    """A new patient with a fresh MRN.

    Raises PossibleDuplicate when someone with the same name and date of
    birth, or the same email, is already registered, unless every match was
    confirmed as a different person.
    """
    details = _checked(details)
    _guard_against_duplicates(details, exclude_id=None, confirmed=confirmed_duplicate_ids)
    with transaction.atomic():
        patient = Patient(mrn=mrn_allocate()[0], created_by=registered_by)
        _apply_details(patient, details, by=registered_by)
        patient.save()
    logger.info("patient %s registered by user %s", patient.pk, registered_by.pk)
    return patient


def patient_update(
    *,
    patient: Patient,
    details: PatientDetails,
    updated_by: User,
    confirmed_duplicate_ids: Collection[int] = (),
) -> Patient:
    details = _checked(details)
    _guard_against_duplicates(details, exclude_id=patient.pk, confirmed=confirmed_duplicate_ids)
    with transaction.atomic():
        patient = _locked(patient)
        if patient.is_archived:
            raise ValidationError(PATIENT_IS_ARCHIVED)
        _apply_details(patient, details, by=updated_by)
        patient.save()
    logger.info("patient %s updated by user %s", patient.pk, updated_by.pk)
    return patient


def _checked(details: PatientDetails) -> PatientDetails:
    """The details with names trimmed and the phone in E.164, or ValidationError."""
    problems = patient_details_problems(details, today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    return replace(
        details,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        preferred_name=details.preferred_name.strip(),
        email=details.email.strip(),
        phone=phone_to_e164(details.phone) if details.phone else "",
    )


def _guard_against_duplicates(
    details: PatientDetails, *, exclude_id: int | None, confirmed: Collection[int]
) -> None:
    matches = patient_likely_duplicates(
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        email=details.email,
        exclude_id=exclude_id,
    )
    if any(match.pk not in confirmed for match in matches):
        raise PossibleDuplicate(matches)


def _apply_details(patient: Patient, details: PatientDetails, *, by: User) -> None:
    wants_email = details.email_consent
    for field, value in asdict(details).items():
        if field != "email_consent":
            setattr(patient, field, value)
    patient.search_name = search_name_for(
        first_name=details.first_name,
        last_name=details.last_name,
        preferred_name=details.preferred_name,
    )
    _apply_email_consent(patient, wants_email=wants_email, by=by)


def _apply_email_consent(patient: Patient, *, wants_email: bool, by: User) -> None:
    """Record who took the answer and when, at registration and whenever it changes.

    Ticking consent again after the patient unsubscribed is a new consent.
    """
    consents_now = patient.email_consent and patient.unsubscribed_at is None
    if patient.pk is not None and wants_email == consents_now:
        return
    patient.email_consent = wants_email
    patient.email_consent_at = timezone.now()
    patient.email_consent_by = by
    if wants_email:
        patient.unsubscribed_at = None


def patient_archive(*, patient: Patient, archived_by: User) -> Patient:
    """Take the patient out of search and booking. Nothing is deleted."""
    with transaction.atomic():
        patient = _locked(patient)
        if patient.is_archived:
            raise ValidationError(PATIENT_IS_ARCHIVED)
        if _has_upcoming_appointments(patient):
            raise ValidationError(ARCHIVE_WITH_UPCOMING_APPOINTMENTS)
        patient.archived_at = timezone.now()
        patient.archived_by = archived_by
        patient.save(update_fields=["archived_at", "archived_by", "updated_at"])
    logger.info("patient %s archived by user %s", patient.pk, archived_by.pk)
    return patient


def patient_restore(*, patient: Patient, restored_by: User) -> Patient:
    with transaction.atomic():
        patient = _locked(patient)
        if not patient.is_archived:
            raise ValidationError(PATIENT_NOT_ARCHIVED)
        patient.archived_at = None
        patient.archived_by = None
        patient.save(update_fields=["archived_at", "archived_by", "updated_at"])
    logger.info("patient %s restored by user %s", patient.pk, restored_by.pk)
    return patient


def _locked(patient: Patient) -> Patient:
    return Patient.objects.select_for_update().get(pk=patient.pk)


def _has_upcoming_appointments(patient: Patient) -> bool:
    return Appointment.objects.filter(
        patient=patient,
        status__in=_ACTIVE_APPOINTMENT_STATUSES,
        timespan__endswith__gt=timezone.now(),
    ).exists()


# Precautions ----------------------------------------------------------------


def precautions_record(
    *, patient: Patient, answers: PrecautionAnswers, reviewed_by: User
) -> Precautions:
    """Save the clinician's review: the answers, now, and by whom."""
    _require(reviewed_by, "patients.change_precautions")
    if not answers.allergies.strip():
        raise ValidationError({"allergies": ALLERGIES_REQUIRED})
    with transaction.atomic():
        if _locked(patient).is_archived:
            raise ValidationError(PATIENT_IS_ARCHIVED)
        precautions, _ = Precautions.objects.update_or_create(
            patient=patient,
            defaults={
                **asdict(answers),
                "allergies": answers.allergies.strip(),
                "notes": answers.notes.strip(),
                "reviewed_at": timezone.now(),
                "reviewed_by": reviewed_by,
            },
        )
    logger.info("precautions of patient %s reviewed by user %s", patient.pk, reviewed_by.pk)
    return precautions


# Consent to treatment -------------------------------------------------------


def consent_form_publish(
    *, code: str, title: str, body: str, valid_for_days: int = 365
) -> ConsentForm:
    """A new version of the form; the previous one is retired. Consents already
    signed keep pointing at the version that was signed."""
    problems = consent_form_problems(title=title, body=body, valid_for_days=valid_for_days)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        versions = list(ConsentForm.objects.select_for_update().filter(code=code))
        now = timezone.now()
        ConsentForm.objects.filter(code=code, retired_at=None).update(retired_at=now)
        form = ConsentForm.objects.create(
            code=code,
            version=max((form.version for form in versions), default=0) + 1,
            title=title.strip(),
            body=body.strip(),
            valid_for_days=valid_for_days,
        )
    logger.info("consent form %s version %s published", code, form.version)
    return form


def consent_form_problems(*, title: str, body: str, valid_for_days: int) -> dict[str, str]:
    problems = {}
    if not title.strip():
        problems["title"] = CONSENT_FORM_TITLE_REQUIRED
    if not body.strip():
        problems["body"] = CONSENT_FORM_BODY_REQUIRED
    if not 1 <= valid_for_days <= 3650:
        problems["valid_for_days"] = CONSENT_FORM_VALIDITY_RANGE
    return problems


def consent_record(
    *,
    patient: Patient,
    form: ConsentForm,
    signed_on: dt.date,
    witness_name: str,
    recorded_by: User,
    valid_until: dt.date | None = None,
) -> Consent:
    """A consent the patient signed on paper. Valid until defaults to the
    form's validity from the date signed."""
    _require(recorded_by, "patients.add_consent")
    valid_until = valid_until or signed_on + dt.timedelta(days=form.valid_for_days)
    problems = _consent_problems(
        form=form, signed_on=signed_on, witness_name=witness_name, valid_until=valid_until
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if _locked(patient).is_archived:
            raise ValidationError(PATIENT_IS_ARCHIVED)
        consent = Consent.objects.create(
            patient=patient,
            form=form,
            signed_on=signed_on,
            witness_name=witness_name.strip(),
            valid_until=valid_until,
            recorded_by=recorded_by,
        )
    logger.info(
        "consent %s of patient %s recorded by user %s", consent.pk, patient.pk, recorded_by.pk
    )
    return consent


def _consent_problems(
    *, form: ConsentForm, signed_on: dt.date, witness_name: str, valid_until: dt.date
) -> dict[str, str]:
    today = timezone.localdate()
    problems = {}
    if form.retired_at is not None:
        problems["form"] = CONSENT_FORM_RETIRED
    if not witness_name.strip():
        problems["witness_name"] = CONSENT_WITNESS_REQUIRED
    if signed_on > today:
        problems["signed_on"] = CONSENT_SIGNED_IN_FUTURE
    if valid_until < signed_on:
        problems["valid_until"] = CONSENT_VALID_UNTIL_BEFORE_SIGNED
    elif valid_until < today:
        problems["valid_until"] = CONSENT_ALREADY_EXPIRED
    return problems


def consent_revoke(*, consent: Consent, reason: str, revoked_by: User) -> Consent:
    _require(revoked_by, "patients.change_consent")
    if not reason.strip():
        raise ValidationError({"reason": REVOKE_REASON_REQUIRED})
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is not None:
            raise ValidationError(CONSENT_ALREADY_REVOKED)
        consent.revoked_at = timezone.now()
        consent.revoked_by = revoked_by
        consent.revoked_reason = reason.strip()
        consent.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    logger.info("consent %s revoked by user %s", consent.pk, revoked_by.pk)
    return consent


def _require(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(permission)
