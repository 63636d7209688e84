from __future__ import annotations

import os
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from patients.models import Patient
from patients.search import search_terms_from
from patients.selectors import PAGE_SIZE, patients_matching

NAME_QUERIES = [
    ("misspelt surname", "kowalsky"),
    ("common 3-letter prefix", "mar"),
    ("2 letters", "jo"),
    ("common first name", "chris"),
    ("first and last name", "mary smith"),
    ("misspelt longer surname", "thomsen"),
    ("accents typed without accents", "zoe bronte"),
    ("no such name", "zzqxv"),
]


class Command(BaseCommand):
    help = (
        "Time the patient search over the patients in the database (run generate_patients "
        "first) and print EXPLAIN ANALYZE plans and timings as Markdown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="timed runs per query")

    def handle(self, *args: Any, runs: int, **options: Any) -> None:
        count = Patient.objects.count()
        if count < 1000:
            raise CommandError("Generate patients first: manage.py generate_patients")
        sample = _sample_patient()
        self.stdout.write(f"# Patient search over {count:,} patients\n")
        self.stdout.write(
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
            f"{runs} runs each, timed in Django (query, fetch and model instances).\n"
        )
        self.stdout.write("| shape | query | rows | min ms | median ms | p95 ms |")
        self.stdout.write("| --- | --- | --- | --- | --- | --- |")
        plans = []
        for shape, query, page in _queries(sample):
            queryset = _page_queryset(query, page)
            times, rows = _timed(queryset, runs)
            self.stdout.write(
                f"| {shape} | `{query}` | {rows} | {min(times):.1f} | "
                f"{statistics.median(times):.1f} | {_percentile(times, 95):.1f} |"
            )
            plans.append((shape, query, _explain(queryset)))
        for shape, query, plan in plans:
            self.stdout.write(f"\n## {shape}: `{query}`\n\n```\n{plan}\n```")


def _sample_patient() -> Patient:
    sample = (
        Patient.objects.filter(archived_at=None)
        .exclude(email="")
        .exclude(phone="")
        .order_by("id")
        .first()
    )
    if sample is None:
        raise CommandError("No patient with both a phone and an email to search for.")
    return sample


def _queries(sample: Patient) -> list[tuple[str, str, int]]:
    email_start = sample.email.split("@")[0] + "@"
    born = sample.date_of_birth
    return [
        *((shape, query, 1) for shape, query in NAME_QUERIES),
        ("common surname, page 5", "smith", 5),
        ("surname and date of birth", f"{sample.last_name} {born:%m/%d/%Y}", 1),
        ("date of birth", f"{born.month}/{born.day}/{born:%y}", 1),
        ("phone", _national(sample.phone), 1),
        ("surname and year of birth", f"{sample.last_name} {born.year}", 1),
        ("whole email", sample.email, 1),
        ("start of an email", email_start, 1),
        ("an email domain (a third of all patients)", "@" + sample.email.split("@")[1], 1),
        ("MRN", sample.mrn, 1),
    ]


def _national(e164: str) -> str:
    digits = e164.removeprefix("+1")
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _page_queryset(query: str, page: int) -> QuerySet[Patient]:
    """The query the search page runs: one page of 25 and one more to know of a next page."""
    terms = search_terms_from(query, today=timezone.localdate())
    offset = (page - 1) * PAGE_SIZE
    return patients_matching(terms=terms)[offset : offset + PAGE_SIZE + 1]


def _timed(queryset: QuerySet[Patient], runs: int) -> tuple[list[float], int]:
    list(queryset.all())  # warm the cache, as a busy clinic's server is
    times = []
    rows = 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = len(list(queryset.all()))
        times.append((time.perf_counter() - started) * 1000)
    return times, rows


def _explain(queryset: QuerySet[Patient]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(len(ordered) * percent / 100))]
