"""Made-up demo patients for `manage.py seed_demo`, made through the services.

Idempotent: a patient already there (same name and date of birth) is left
as it is. Phone numbers are in the 555-01xx range kept for fiction, emails
at example.com.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from clinic.demo import seed_users
from clinic.models import User
from patients.models import ContactMethod, Patient, Precautions, Sex
from patients.search import normalise
from patients.selectors import consent_forms_current
from patients.services import (
    PatientDetails,
    PrecautionAnswers,
    consent_record,
    consent_revoke,
    patient_archive,
    patient_register,
    precautions_record,
)


def _answers(flags: str, allergies: str, notes: str = "") -> PrecautionAnswers:
    ticked = set(flags.split())
    return PrecautionAnswers(
        **{flag: flag in ticked for flag in Precautions.FLAGS}, allergies=allergies, notes=notes
    )


PRECAUTION_PROFILES: dict[str, PrecautionAnswers] = {
    "clear": _answers("", "No known allergies"),
    "penicillin": _answers("", "Penicillin (hives)"),
    "warfarin": _answers("bleeding_risk", "Sulfa drugs (rash)", "On warfarin, INR 2.4."),
    "gentamicin": _answers(
        "interacting_drugs",
        "No known allergies",
        "Gentamicin course for a kidney infection; wait until it is finished.",
    ),
    "myasthenia": _answers(
        "neuromuscular_disorder swallowing_or_breathing_problems",
        "Latex",
        "Ocular myasthenia gravis, stable on pyridostigmine. Discuss with neurology first.",
    ),
    "pregnant": _answers("pregnant_or_breastfeeding", "No known allergies", "22 weeks pregnant."),
    "reaction": _answers(
        "prior_toxin_hypersensitivity",
        "Codeine (nausea)",
        "Generalised itching after abobotulinumtoxinA in 2024.",
    ),
}

# first | last | preferred | born | sex | email? | precautions | consent | archived?
DEMO_TABLE = """
Margaret   | Kowalski  | Peggy | 1958-03-14 | F | email | warfarin   | valid    |
James      | Okafor    |       | 1971-07-02 | M | email | clear      | valid    |
Zoë        | Marchetti |       | 1984-11-23 | F | email | penicillin | expiring |
José       | Núñez     |       | 1966-05-30 | M |       | clear      |          |
Linda      | Thompson  |       | 1949-09-09 | F | email | myasthenia | valid    |
Robert     | Haddad    | Bob   | 1962-01-17 | M | email | clear      | revoked  |
Siobhan    | O'Connor  |       | 1979-04-04 | F | email | clear      | valid    |
Thanh      | Nguyễn    |       | 1990-12-01 | M | email |            |          |
Patricia   | Alvarez   |       | 1955-06-21 | F |       | gentamicin | valid    |
Michael    | Schröder  |       | 1969-02-28 | M | email | clear      | valid    |
Aisha      | Rahman    |       | 1987-08-15 | F | email | pregnant   |          |
David      | Kim       |       | 1975-10-10 | M | email | clear      | valid    |
Renée      | Dubois    |       | 1960-03-03 | F | email | reaction   |          |
William    | Carter    |       | 1944-11-11 | M |       | warfarin   | valid    |
Grace      | Yamamoto  |       | 1992-07-19 | F | email |            | valid    |
Andrés     | Castillo  |       | 1983-09-27 | M | email | clear      | expiring |
Hannah     | Weiss     |       | 1970-01-05 | F | email | penicillin | valid    |
Chinedu    | Adeyemi   |       | 1981-06-06 | M | email |            |          |
Ingrid     | Johansson |       | 1953-12-24 | F |       | clear      | valid    |
Kevin      | Murphy    |       | 1965-04-18 | M | email | clear      |          |
Małgorzata | Nowak     | Gosia | 1974-08-08 | F | email | clear      | valid    |
Samuel     | Greene    |       | 1958-02-14 | M |       | warfarin   |          |
Lucía      | Herrera   |       | 1995-05-05 | F | email | clear      | valid    |
Arjun      | Patel     |       | 1986-03-29 | M | email |            |          |
Dorothy    | McCarthy  |       | 1941-10-31 | F |       | clear      | revoked  |
Omar       | Khalil    |       | 1977-07-07 | M | email | penicillin | valid    |
Sophia     | Rossi     |       | 1989-09-15 | F | email |            |          |
Thomas     | Becker    | Tom   | 1967-01-29 | M | email | clear      | valid    |
Emily      | Sanders   |       | 1998-06-12 | F | email | clear      |          |
Frank      | Delgado   |       | 1950-11-02 | M |       |            |          | archived
"""
SEXES = {"F": Sex.FEMALE, "M": Sex.MALE}
AREA_CODES = ("212", "718", "917", "646", "201")
CONSENT_SIGNED_DAYS_AGO = {"valid": 40, "expiring": 350, "revoked": 120}


@dataclass(frozen=True)
class DemoPatient:
    details: PatientDetails
    precautions: str  # a key of PRECAUTION_PROFILES, or "" for never reviewed
    consent: str  # a key of CONSENT_SIGNED_DAYS_AGO, or "" for none
    archived: bool


def demo_patients() -> list[DemoPatient]:
    lines = DEMO_TABLE.strip().splitlines()
    return [_demo_patient(index, line) for index, line in enumerate(lines)]


def _demo_patient(index: int, line: str) -> DemoPatient:
    first, last, preferred, born, sex, email, precautions, consent, archived = (
        cell.strip() for cell in line.split("|")
    )
    address = normalise(f"{preferred or first}.{last}").replace("'", "")
    details = PatientDetails(
        first_name=first,
        last_name=last,
        preferred_name=preferred,
        date_of_birth=dt.date.fromisoformat(born),
        sex=SEXES[sex],
        phone=f"({AREA_CODES[index % len(AREA_CODES)]}) 555-01{index:02d}",
        email=f"{address.encode('ascii', 'ignore').decode()}@example.com" if email else "",
        address_line1=f"{120 + index * 7} Maple Ave",
        city="New York",
        region="NY",
        postal_code="10025",
        preferred_contact=ContactMethod.EMAIL if email else ContactMethod.PHONE,
        email_consent=bool(email),
    )
    return DemoPatient(details, precautions, consent, archived == "archived")


def seed() -> str:
    users = {user.username: user for user in seed_users()}
    wanted = demo_patients()
    added = [
        _seed_patient(demo, desk=users["frontdesk"], clinician=users["clinician"])
        for demo in wanted
        if not _exists(demo.details)
    ]
    return f"{len(added)} patients added, {len(wanted) - len(added)} already there"


def _exists(details: PatientDetails) -> bool:
    return Patient.objects.filter(
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
    ).exists()


def _seed_patient(demo: DemoPatient, *, desk: User, clinician: User) -> Patient:
    patient = patient_register(details=demo.details, registered_by=desk)
    if demo.precautions:
        answers = PRECAUTION_PROFILES[demo.precautions]
        precautions_record(patient=patient, answers=answers, reviewed_by=clinician)
    if demo.consent:
        _seed_consent(patient, demo.consent, clinician)
    if demo.archived:
        patient_archive(patient=patient, archived_by=desk)
    return patient


def _seed_consent(patient: Patient, kind: str, clinician: User) -> None:
    form = consent_forms_current().get(code="botulinum-toxin-tpi")
    consent = consent_record(
        patient=patient,
        form=form,
        signed_on=timezone.localdate() - dt.timedelta(days=CONSENT_SIGNED_DAYS_AGO[kind]),
        witness_name="Fran Desmond",
        recorded_by=clinician,
    )
    if kind == "revoked":
        consent_revoke(
            consent=consent,
            reason="Patient withdrew consent after discussing the risks.",
            revoked_by=clinician,
        )
