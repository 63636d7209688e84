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
from patients.models import ContactMethod, Patient, Sex
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

NO_PRECAUTIONS = PrecautionAnswers(False, False, False, False, False, False, "No known allergies")
PRECAUTION_PROFILES: dict[str, PrecautionAnswers] = {
    "clear": NO_PRECAUTIONS,
    "penicillin": PrecautionAnswers(False, False, False, False, False, False, "Penicillin (hives)"),
    "warfarin": PrecautionAnswers(
        False, False, False, False, False, True, "Sulfa drugs (rash)", "On warfarin, INR 2.4."
    ),
    "gentamicin": PrecautionAnswers(
        False,
        False,
        True,
        False,
        False,
        False,
        "No known allergies",
        "Gentamicin course for a kidney infection; wait until it is finished.",
    ),
    "myasthenia": PrecautionAnswers(
        True,
        False,
        False,
        False,
        True,
        False,
        "Latex",
        "Ocular myasthenia gravis, stable on pyridostigmine. Discuss with neurology first.",
    ),
    "pregnant": PrecautionAnswers(
        False, True, False, False, False, False, "No known allergies", "22 weeks pregnant."
    ),
    "reaction": PrecautionAnswers(
        False,
        False,
        False,
        True,
        False,
        False,
        "Codeine (nausea)",
        "Generalised itching after abobotulinumtoxinA in 2024.",
    ),
}


@dataclass(frozen=True)
class DemoPatient:
    first_name: str
    last_name: str
    born: str
    sex: str
    phone: str
    email: str = ""
    preferred_name: str = ""
    precautions: str = ""
    consent: str = ""  # "valid", "expiring" or "revoked"
    archived: bool = False


F, M = Sex.FEMALE, Sex.MALE
DEMO_PATIENTS = [
    DemoPatient(
        "Margaret",
        "Kowalski",
        "1958-03-14",
        F,
        "(212) 555-0142",
        "peggy.k@example.com",
        "Peggy",
        "warfarin",
        "valid",
    ),
    DemoPatient(
        "James",
        "Okafor",
        "1971-07-02",
        M,
        "(718) 555-0107",
        "j.okafor@example.com",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient(
        "Zoë",
        "Marchetti",
        "1984-11-23",
        F,
        "(917) 555-0188",
        "zoe.marchetti@example.com",
        precautions="penicillin",
        consent="expiring",
    ),
    DemoPatient("José", "Núñez", "1966-05-30", M, "(646) 555-0131", precautions="clear"),
    DemoPatient(
        "Linda",
        "Thompson",
        "1949-09-09",
        F,
        "(201) 555-0164",
        "linda.t@example.com",
        precautions="myasthenia",
        consent="valid",
    ),
    DemoPatient(
        "Robert",
        "Haddad",
        "1962-01-17",
        M,
        "(212) 555-0119",
        "bob.haddad@example.com",
        "Bob",
        "clear",
        "revoked",
    ),
    DemoPatient(
        "Siobhan",
        "O'Connor",
        "1979-04-04",
        F,
        "(718) 555-0153",
        "siobhan.oconnor@example.com",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient("Thanh", "Nguyễn", "1990-12-01", M, "(917) 555-0172", "thanh.nguyen@example.com"),
    DemoPatient(
        "Patricia",
        "Alvarez",
        "1955-06-21",
        F,
        "(646) 555-0126",
        precautions="gentamicin",
        consent="valid",
    ),
    DemoPatient(
        "Michael",
        "Schröder",
        "1969-02-28",
        M,
        "(201) 555-0195",
        "m.schroeder@example.com",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient(
        "Aisha",
        "Rahman",
        "1987-08-15",
        F,
        "(212) 555-0138",
        "aisha.rahman@example.com",
        precautions="pregnant",
    ),
    DemoPatient(
        "David",
        "Kim",
        "1975-10-10",
        M,
        "(718) 555-0110",
        "david.kim@example.com",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient(
        "Renée",
        "Dubois",
        "1960-03-03",
        F,
        "(917) 555-0103",
        "renee.dubois@example.com",
        precautions="reaction",
    ),
    DemoPatient(
        "William",
        "Carter",
        "1944-11-11",
        M,
        "(646) 555-0111",
        precautions="warfarin",
        consent="valid",
    ),
    DemoPatient(
        "Grace",
        "Yamamoto",
        "1992-07-19",
        F,
        "(201) 555-0119",
        "grace.yamamoto@example.com",
        consent="valid",
    ),
    DemoPatient(
        "Andrés",
        "Castillo",
        "1983-09-27",
        M,
        "(212) 555-0127",
        "andres.c@example.com",
        precautions="clear",
        consent="expiring",
    ),
    DemoPatient(
        "Hannah",
        "Weiss",
        "1970-01-05",
        F,
        "(718) 555-0105",
        "hannah.weiss@example.com",
        precautions="penicillin",
        consent="valid",
    ),
    DemoPatient(
        "Chinedu", "Adeyemi", "1981-06-06", M, "(917) 555-0166", "chinedu.adeyemi@example.com"
    ),
    DemoPatient(
        "Ingrid",
        "Johansson",
        "1953-12-24",
        F,
        "(646) 555-0124",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient(
        "Kevin",
        "Murphy",
        "1965-04-18",
        M,
        "(201) 555-0118",
        "kevin.murphy@example.com",
        precautions="clear",
    ),
    DemoPatient(
        "Małgorzata",
        "Nowak",
        "1974-08-08",
        F,
        "(212) 555-0108",
        "gosia.nowak@example.com",
        "Gosia",
        "clear",
        "valid",
    ),
    DemoPatient("Samuel", "Greene", "1958-02-14", M, "(718) 555-0114", precautions="warfarin"),
    DemoPatient(
        "Lucía",
        "Herrera",
        "1995-05-05",
        F,
        "(917) 555-0155",
        "lucia.herrera@example.com",
        precautions="clear",
        consent="valid",
    ),
    DemoPatient("Arjun", "Patel", "1986-03-29", M, "(646) 555-0129", "arjun.patel@example.com"),
    DemoPatient(
        "Dorothy",
        "McCarthy",
        "1941-10-31",
        F,
        "(201) 555-0131",
        precautions="clear",
        consent="revoked",
    ),
    DemoPatient(
        "Omar",
        "Khalil",
        "1977-07-07",
        M,
        "(212) 555-0177",
        "omar.khalil@example.com",
        precautions="penicillin",
        consent="valid",
    ),
    DemoPatient("Sophia", "Rossi", "1989-09-15", F, "(718) 555-0115", "sophia.rossi@example.com"),
    DemoPatient(
        "Thomas",
        "Becker",
        "1967-01-29",
        M,
        "(917) 555-0129",
        "tom.becker@example.com",
        "Tom",
        "clear",
        "valid",
    ),
    DemoPatient(
        "Emily",
        "Sanders",
        "1998-06-12",
        F,
        "(646) 555-0112",
        "emily.sanders@example.com",
        precautions="clear",
    ),
    DemoPatient("Frank", "Delgado", "1950-11-02", M, "(201) 555-0102", archived=True),
]
CONSENT_SIGNED_DAYS_AGO = {"valid": 40, "expiring": 350, "revoked": 120}


def seed() -> str:
    users = {user.username: user for user in seed_users()}
    added = [
        _seed_patient(demo, desk=users["frontdesk"], clinician=users["clinician"])
        for demo in DEMO_PATIENTS
        if not _exists(demo)
    ]
    return f"{len(added)} patients added, {len(DEMO_PATIENTS) - len(added)} already there"


def _exists(demo: DemoPatient) -> bool:
    return Patient.objects.filter(
        first_name=demo.first_name,
        last_name=demo.last_name,
        date_of_birth=dt.date.fromisoformat(demo.born),
    ).exists()


def _seed_patient(demo: DemoPatient, *, desk: User, clinician: User) -> Patient:
    patient = patient_register(details=_details(demo), registered_by=desk)
    if demo.precautions:
        precautions_record(
            patient=patient,
            answers=PRECAUTION_PROFILES[demo.precautions],
            reviewed_by=clinician,
        )
    if demo.consent:
        _seed_consent(patient, demo.consent, clinician)
    if demo.archived:
        patient_archive(patient=patient, archived_by=desk)
    return patient


def _details(demo: DemoPatient) -> PatientDetails:
    return PatientDetails(
        first_name=demo.first_name,
        last_name=demo.last_name,
        preferred_name=demo.preferred_name,
        date_of_birth=dt.date.fromisoformat(demo.born),
        sex=demo.sex,
        phone=demo.phone,
        email=demo.email,
        address_line1=f"{100 + len(demo.last_name) * 7} Maple Ave",
        city="New York",
        region="NY",
        postal_code="10025",
        preferred_contact=ContactMethod.EMAIL if demo.email else ContactMethod.PHONE,
        email_consent=bool(demo.email),
    )


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
