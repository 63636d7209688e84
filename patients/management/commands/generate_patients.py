from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from clinic.copy_in import NULL, rows_copy
from patients.generation import GeneratedPatient, generated_patients
from patients.mrn import mrn_allocate

COLUMNS = (
    "mrn",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "preferred_contact",
    "email_consent",
    "email_consent_at",
    "search_name",
    "archived_at",
    "created_at",
    "updated_at",
)
CHUNK = 10_000


class Command(BaseCommand):
    help = (
        "Add made-up patients in bulk (PostgreSQL COPY) to measure search. Deterministic "
        "for a given --seed; refuses to run with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("generate_patients only runs with DEBUG=true (made-up data).")
        if count < 1:
            raise CommandError("--count must be at least 1.")
        now = timezone.now()
        patients = generated_patients(count=count, seed=seed, today=timezone.localdate())
        with transaction.atomic():
            while chunk := list(islice(patients, CHUNK)):
                _copy_in(chunk, now)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE patients_patient")
        self.stdout.write(f"Added {count} generated patients (seed {seed}).")


def _copy_in(chunk: list[GeneratedPatient], now: Any) -> None:
    rows_copy(
        table="patients_patient",
        columns=COLUMNS,
        rows=_rows(chunk, mrn_allocate(count=len(chunk)), now),
    )


def _rows(chunk: list[GeneratedPatient], mrns: list[str], now: Any) -> Iterable[tuple]:
    for patient, mrn in zip(chunk, mrns, strict=True):
        yield (
            mrn,
            patient.first_name,
            patient.last_name,
            patient.preferred_name,
            patient.date_of_birth.isoformat(),
            patient.sex,
            patient.email,
            patient.phone,
            patient.address_line1,
            "",
            patient.city,
            patient.region,
            patient.postal_code,
            patient.preferred_contact,
            patient.email_consent,
            now.isoformat() if patient.email_consent else NULL,
            patient.search_name,
            now.isoformat() if patient.archived else NULL,
            now.isoformat(),
            now.isoformat(),
        )
