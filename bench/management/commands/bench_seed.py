from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from bench.seeding.fixtures import busy_week_write, chart_patient_write
from bench.seeding.history import Patients, Span, history_write
from bench.seeding.rows import HistoryWriter
from bench.seeding.staff import USERNAME_PREFIX, staff_create
from bench.seeding.surveys import survey_answers_write
from clinic.models import User

AT_SCALE_1 = {
    "patients": 100_000,
    "appointments": 500_000,
    "sessions": 150_000,
    "survey_answers": 200_000,
}
HISTORY_DAYS = 5 * 365 + 1
CHART_YEARS_BACK = 10


class Command(BaseCommand):
    help = (
        "Fill an empty database with a clinic group's years of made-up data for `make bench` "
        "(PostgreSQL COPY). --scale 1 is 100,000 patients, 500,000 appointments and 150,000 "
        "signed sessions with 1.2 million injections. Deterministic for --seed and --today; "
        "refuses to run with DEBUG off or on a database that already has bench data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="last day of the history (default: today, clinic time)",
        )

    def handle(
        self, *args: Any, scale: float, seed: int, today: dt.date | None, **options: Any
    ) -> None:
        self._refuse_unless_safe(scale)
        today = today or timezone.localdate()
        counts = {name: round(count * scale) for name, count in AT_SCALE_1.items()}
        started = time.monotonic()
        call_command("generate_patients", count=counts["patients"], seed=seed, stdout=self.stdout)
        self._step("patients", started)
        with transaction.atomic():
            staff = staff_create(first_year=today.year - CHART_YEARS_BACK, last_year=today.year + 1)
        writer = HistoryWriter(staff=staff, rng=random.Random(seed), now=timezone.now())  # noqa: S311
        patients = _patients()
        history_write(
            writer=writer,
            span=Span(first_day=today - dt.timedelta(days=HISTORY_DAYS), end_day=today),
            patients=patients,
            appointments=counts["appointments"],
            sessions=counts["sessions"],
        )
        self._step("history", started)
        busy_week_write(writer=writer, today=today, patients=patients)
        chart_patient = chart_patient_write(writer=writer, today=today)
        answers = survey_answers_write(
            count=counts["survey_answers"], first_patient_id=chart_patient.pk
        )
        self._step(f"fixtures and {answers} survey answers", started)
        call_command("dashboard_refresh", stdout=self.stdout)  # as the beat would
        self._step("dashboard days", started)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self._step("vacuum analyze", started)

    def _refuse_unless_safe(self, scale: float) -> None:
        if not settings.DEBUG:
            raise CommandError("bench_seed only runs with DEBUG=true (made-up data).")
        if not 0 < scale <= 1.5:
            raise CommandError("--scale must be above 0 and at most 1.5.")
        if User.objects.filter(username__startswith=USERNAME_PREFIX).exists():
            raise CommandError("This database already has bench data; seed an empty one.")

    def _step(self, name: str, started: float) -> None:
        self.stdout.write(f"{name}: done at {time.monotonic() - started:.1f} s")


def _patients() -> Patients:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, email_consent AND email <> '' AND archived_at IS NULL "
            "AND unsubscribed_at IS NULL FROM patients_patient ORDER BY id"
        )
        rows = cursor.fetchall()
    return Patients(
        all_ids=[pk for pk, _ in rows], emailable_ids=[pk for pk, emailable in rows if emailable]
    )
