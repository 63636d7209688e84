"""Each kind of search is written so that an index can answer it.

On a test-sized table PostgreSQL would rightly scan the table, so the
planner is told not to; a query an index cannot serve would still show a
sequential scan. The timings over 100,000 patients are in docs/performance.md.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from patients.selectors import patient_search
from patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _plan(query: str, *, disable: tuple[str, ...] = ("seqscan",)) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in disable:
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        return patient_search(query=query)[:26].explain()


@pytest.fixture(autouse=True)
def _some_patients() -> None:
    PatientFactory.create_batch(5)


def test_name_search_walks_the_trigram_index_nearest_first() -> None:
    plan = _plan("kowalsky", disable=("seqscan", "bitmapscan", "sort"))

    assert "Index Scan using patient_search_name_gist" in plan
    assert "Order By: ((search_name)::text <->> 'kowalsky'::text)" in plan
    assert "Seq Scan" not in plan


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("3/14/1968", "patient_dob"),
        ("(212) 555-0142", "patient_phone"),
        ("anna.k@example.com", "patient_email_trgm"),
        ("10000017", "patients_patient_mrn"),
    ],
)
def test_identifier_searches_can_use_their_index(query: str, index: str) -> None:
    # Without plain index scans, so that walking the name-order index and
    # filtering (right for a broad search) does not hide the identifier's index.
    plan = _plan(query, disable=("seqscan", "indexscan"))

    assert index in plan
    assert "Seq Scan" not in plan


def test_name_with_a_date_of_birth_narrows_by_the_date_first() -> None:
    plan = _plan("kowalsky 3/14/1968")

    assert "patient_dob" in plan
    assert "patient_search_name_gist" not in plan


def test_a_broad_identifier_search_reads_in_name_order_instead_of_sorting() -> None:
    plan = _plan("@example.com", disable=("seqscan", "bitmapscan", "sort"))

    assert "Index Scan using patient_name_order" in plan
