"""Patient/$everything comes in pages: every resource exactly once across
them, in one stable order, linked by URLs that carry only ids and numbers,
each page read in a fixed number of queries whatever the record's size."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import AccessEvent, Action
from clinic.roles import CLINICIAN, FRONT_DESK
from clinic.tests.factories import UserFactory
from fhir_api.everything import COUNT_INVALID, MAX_COUNT, OFFSET_INVALID
from fhir_api.registry import TYPES
from fhir_api.tests.records import Record, ids_of_each_type, record_build, token_for
from outcomes.tests.factories import Dose, muscle, session_with_injections
from procedures.tests.factories import TreatmentSessionFactory
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> Record:
    """Three signed sessions with answers, a draft, and a signed session
    whose pain before was 0 (a score, unlike a missing one)."""
    record = record_build(sessions=3)
    session_with_injections(
        patient=record.patient,
        started_at=timezone.now() - dt.timedelta(days=1),
        doses=[Dose(muscle("upper-trapezius", "Upper trapezius"), "left", 10)],
        clinician=record.first_session.clinician,
        pain_before=0,
    )
    return record


@pytest.fixture
def get(client):
    """GET as a clinical system with a bearer token."""
    headers = {"Authorization": f"Bearer {token_for(CLINICIAN)}"}
    return lambda url: client.get(url, headers=headers)


def _everything_url(record: Record, query: str = "") -> str:
    return reverse("fhir:everything", args=[record.patient.pk]) + query


def _links(bundle: dict) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in bundle["link"]}


def _keys(bundle: dict) -> list[tuple[str, str]]:
    return [(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]]


def _walk(get, url: str) -> list[dict]:
    """Every page from `url` on, following next links."""
    pages = []
    while url:
        response = get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = _links(pages[-1]).get("next")
    return pages


def _whole_record(get, record: Record) -> set[tuple[str, str]]:
    """What the patient's record holds, read through the per-type searches."""
    found = {("Practitioner", ids_of_each_type(record)["Practitioner"])}
    for name, rtype in TYPES.items():
        if name == "Practitioner":
            continue
        parameter = "_id" if rtype.search is None else "patient"
        search = f"{reverse(f'fhir:{name.lower()}-search')}?{parameter}={record.patient.pk}"
        found |= set(_keys(get(search).json()))
    return found


@pytest.mark.parametrize("count", [1, 7])
def test_pages_hold_every_resource_exactly_once(record, get, count) -> None:
    pages = _walk(get, _everything_url(record, f"?_count={count}"))

    keys = [key for page in pages for key in _keys(page)]
    assert len(keys) == len(set(keys)) == pages[0]["total"]
    assert set(keys) == _whole_record(get, record)
    assert {page["total"] for page in pages} == {len(keys)}
    assert all(0 < len(page["entry"]) <= count for page in pages)
    assert len(pages) == -(-len(keys) // count)


def test_pages_follow_the_order_of_the_whole_bundle(record, get) -> None:
    whole = get(_everything_url(record, f"?_count={MAX_COUNT}")).json()
    pages = _walk(get, _everything_url(record, "?_count=5"))

    assert [key for page in pages for key in _keys(page)] == _keys(whole)
    assert "next" not in _links(whole)
    assert _keys(whole)[:2] == [
        ("Patient", str(record.patient.pk)),
        ("Practitioner", str(record.first_session.clinician_id)),
    ]


def test_every_entry_of_every_page_validates_against_its_r4b_model(record, get) -> None:
    for page in _walk(get, _everything_url(record, "?_count=10")):
        parsed = Bundle.model_validate(page)
        assert parsed.type == "searchset"
        for entry in page["entry"]:
            resource = entry["resource"]
            model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            assert entry["fullUrl"].endswith(f"/fhir/{model.get_resource_type()}/{model.id}")


def test_page_links_lead_to_the_neighbouring_pages_and_back(record, get) -> None:
    middle = get(_everything_url(record, "?_count=5&_offset=10")).json()
    links = _links(middle)
    base = f"http://testserver{_everything_url(record)}"
    last_offset = (middle["total"] - 1) // 5 * 5

    assert links == {
        "self": f"{base}?_count=5&_offset=10",
        "first": f"{base}?_count=5&_offset=0",
        "previous": f"{base}?_count=5&_offset=5",
        "next": f"{base}?_count=5&_offset=15",
        "last": f"{base}?_count=5&_offset={last_offset}",
    }
    previous = get(links["previous"]).json()
    assert _keys(get(_links(previous)["next"]).json()) == _keys(middle)
    first = get(links["first"]).json()
    assert "previous" not in _links(first)
    assert "next" not in _links(get(links["last"]).json())


def test_page_links_carry_only_the_patient_id_and_page_numbers(record, get) -> None:
    patient = record.patient
    query = f"?_count=5&_offset=5&name={patient.last_name}&birthdate={patient.date_of_birth}"

    bundle = get(_everything_url(record, query)).json()

    for url in _links(bundle).values():
        parts = urlsplit(url)
        assert parts.path == _everything_url(record)
        parameters = parse_qs(parts.query)
        assert set(parameters) == {"_count", "_offset"}
        assert all(value.isdigit() for values in parameters.values() for value in values)


def test_count_zero_gives_the_total_only(record, get) -> None:
    bundle = get(_everything_url(record, "?_count=0")).json()

    assert "entry" not in bundle or bundle["entry"] == []
    assert bundle["total"] == len(_whole_record(get, record))
    assert list(_links(bundle)) == ["self"]


def test_a_count_above_the_maximum_is_served_at_the_maximum(record, get) -> None:
    bundle = get(_everything_url(record, "?_count=1000000")).json()

    assert parse_qs(urlsplit(_links(bundle)["self"]).query)["_count"] == [str(MAX_COUNT)]
    assert len(bundle["entry"]) == bundle["total"]  # the whole record fits in MAX_COUNT


def test_an_offset_past_the_end_is_an_empty_page_linking_back(record, get) -> None:
    bundle = get(_everything_url(record, "?_count=5&_offset=1000")).json()

    assert bundle.get("entry", []) == []
    links = _links(bundle)
    assert links["previous"] == links["last"]
    assert len(get(links["last"]).json()["entry"]) > 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?_count=ten", COUNT_INVALID.format(max=MAX_COUNT)),
        ("?_count=-1", COUNT_INVALID.format(max=MAX_COUNT)),
        ("?_count=2.5", COUNT_INVALID.format(max=MAX_COUNT)),
        ("?_count=", COUNT_INVALID.format(max=MAX_COUNT)),
        ("?_count=%D9%A3", COUNT_INVALID.format(max=MAX_COUNT)),  # an Arabic-Indic 3
        ("?_offset=-5", OFFSET_INVALID),
        ("?_offset=" + "9" * 40, OFFSET_INVALID),
        ("?_count=5&_offset=%205", OFFSET_INVALID),
    ],
)
def test_a_bad_page_parameter_is_a_400_outcome_and_reads_nothing(
    record, get, query, message
) -> None:
    response = get(_everything_url(record, query))

    assert response.status_code == 400
    outcome = OperationOutcome.model_validate(response.json())
    assert (outcome.issue[0].code, outcome.issue[0].diagnostics) == ("invalid", message)
    assert not AccessEvent.objects.filter(action=Action.FHIR_READ).exists()


@pytest.mark.parametrize("sessions", [1, 5])
def test_each_page_reads_in_a_fixed_number_of_queries_whatever_the_history(
    client, sessions
) -> None:
    record = record_build(sessions=sessions)
    headers = {"Authorization": f"Bearer {token_for(CLINICIAN)}"}
    url = _everything_url(record, "?_count=10")
    queries_per_page = []

    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        queries_per_page.append(len(queries))
        url = _links(response.json()).get("next")

    # The first page spans every part of the record: token, patient with its
    # part counts, the access-log row, the sessions' shapes, practitioners,
    # appointments, consents, then sessions, their trigger points,
    # injections, adverse events, and survey answers (the patient's query
    # also reads the revisions the drawn page is kept under). Later pages
    # read only the sessions they hold.
    assert queries_per_page[0] == 12
    assert max(queries_per_page) == 12
    assert set(queries_per_page[1:]) == {9}


def test_practitioners_are_the_clinicians_of_appointments_and_signed_sessions(record, get) -> None:
    booked_only = AppointmentFactory(patient=record.patient).clinician
    draft_only = UserFactory(role="Clinician")
    TreatmentSessionFactory(patient=record.patient, clinician=draft_only)

    pages = _walk(get, _everything_url(record, "?_count=2"))

    practitioners = [key for page in pages for key in _keys(page) if key[0] == "Practitioner"]
    assert practitioners == sorted(
        [
            ("Practitioner", str(record.first_session.clinician_id)),
            ("Practitioner", str(booked_only.pk)),
        ],
        key=lambda key: int(key[1]),
    )


def test_front_desk_pages_hold_only_the_patient_and_appointments(client, record) -> None:
    headers = {"Authorization": f"Bearer {token_for(FRONT_DESK)}"}

    bundle = client.get(_everything_url(record, "?_count=1"), headers=headers).json()
    second = client.get(_links(bundle)["next"], headers=headers).json()

    assert bundle["total"] == 2  # no count of clinical resources either
    assert _keys(bundle) == [("Patient", str(record.patient.pk))]
    assert _keys(second) == [("Appointment", str(record.first_session.appointment_id))]
    assert "next" not in _links(second)
