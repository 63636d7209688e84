"""What the search box finds, and in what order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from patients.selectors import PAGE_SIZE, patient_search, patient_search_page
from patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _names(query: str, **kwargs) -> list[str]:
    return [f"{p.first_name} {p.last_name}" for p in patient_search(query=query, **kwargs)]


@pytest.fixture
def anna() -> object:
    return PatientFactory(
        first_name="Anna",
        last_name="Kowalski",
        date_of_birth=dt.date(1968, 3, 14),
        phone="+12125550142",
        email="anna.k@example.com",
    )


@pytest.fixture
def others() -> list[object]:
    return [
        PatientFactory(first_name="Brian", last_name="Thompson", date_of_birth=dt.date(1970, 1, 2)),
        PatientFactory(first_name="Zoë", last_name="Brontë", date_of_birth=dt.date(1985, 6, 7)),
        PatientFactory(first_name="Sean", last_name="O'Brien", date_of_birth=dt.date(1968, 3, 15)),
    ]


@pytest.mark.parametrize("query", ["Kowalski", "kowalsky", "KOWALSKI", "kowal", "anna kowalsky"])
def test_surname_is_found_with_typos_case_and_when_only_partly_typed(anna, others, query) -> None:
    assert _names(query) == ["Anna Kowalski"]


def test_a_misspelt_longer_surname_is_still_found(anna, others) -> None:
    assert _names("thomsen") == ["Brian Thompson"]


def test_accents_are_forgiven_both_ways(anna, others) -> None:
    assert _names("zoe bronte") == ["Zoë Brontë"]
    assert _names("Zoë") == ["Zoë Brontë"]


def test_first_name_alone_finds_the_patient_first(anna, others) -> None:
    assert _names("brian")[0] == "Brian Thompson"


@pytest.mark.parametrize("query", ["03/14/1968", "3/14/68", "1968-03-14", "3-14-1968"])
def test_date_of_birth_in_the_clinics_formats(anna, others, query) -> None:
    assert _names(query) == ["Anna Kowalski"]


def test_name_and_date_of_birth_together_must_both_match(anna, others) -> None:
    assert _names("kowalski 3/14/68") == ["Anna Kowalski"]
    assert _names("kowalski 3/15/68") == []


def test_name_and_birth_year(anna, others) -> None:
    assert _names("anna 1968") == ["Anna Kowalski"]
    assert _names("anna 1969") == []


@pytest.mark.parametrize(
    "query", ["(212) 555-0142", "212-555-0142", "2125550142", "+1 212 555 0142"]
)
def test_phone_in_any_format(anna, others, query) -> None:
    assert _names(query) == ["Anna Kowalski"]


@pytest.mark.parametrize("query", ["anna.k@example.com", "ANNA.K@EXAMPLE.COM", "anna.k@"])
def test_email_whole_or_in_part(anna, others, query) -> None:
    assert _names(query) == ["Anna Kowalski"]


def test_mrn_exactly(anna, others) -> None:
    assert _names(anna.mrn) == ["Anna Kowalski"]
    assert _names(anna.mrn.lower()) == ["Anna Kowalski"]


def test_a_mistyped_mrn_finds_nobody_and_is_pointed_out() -> None:
    page = patient_search_page(query="10000018", include_archived=False, page=1)

    assert page.patients == []
    assert page.terms.mistyped_mrns == ["10000018"]


def test_closer_names_rank_first() -> None:
    PatientFactory(first_name="Mara", last_name="Smithson")
    PatientFactory(first_name="Ada", last_name="Smith")
    PatientFactory(first_name="Sam", last_name="Smyth")

    assert _names("smith") == ["Ada Smith", "Mara Smithson"]
    assert _names("smyth") == ["Sam Smyth"]


def test_archived_patients_drop_out_unless_asked_for(anna) -> None:
    anna.archived_at = timezone.now()
    anna.save()

    assert _names("kowalski") == []
    assert _names("kowalski", include_archived=True) == ["Anna Kowalski"]


@pytest.mark.parametrize(
    "query", ["' OR 1=1--", "%", "_", "%%", "'; DROP TABLE patients_patient;--", "\\", "*"]
)
def test_sql_and_wildcard_characters_find_nothing_and_raise_nothing(anna, others, query) -> None:
    assert _names(query) == []
    assert _names(query, include_archived=True) == []


def test_percent_inside_an_email_is_not_a_wildcard(anna) -> None:
    assert _names("anna%@example.com") == []


def test_empty_query_finds_nobody(anna) -> None:
    assert _names("   ") == []


def test_results_come_25_a_page_with_a_next_page() -> None:
    PatientFactory.create_batch(PAGE_SIZE + 3, last_name="Garcia")

    first = patient_search_page(query="garcia", include_archived=False, page=1)
    second = patient_search_page(query="garcia", include_archived=False, page=2)

    assert len(first.patients) == PAGE_SIZE
    assert first.has_next and not first.has_previous
    assert len(second.patients) == 3
    assert not second.has_next and second.has_previous
    assert {p.pk for p in first.patients}.isdisjoint({p.pk for p in second.patients})


def test_a_short_number_is_not_taken_for_a_mistyped_mrn() -> None:
    page = patient_search_page(query="1234", include_archived=False, page=1)

    assert page.terms.mistyped_mrns == []
