"""Query budgets: each page costs the same number of queries whatever the
number of points, sessions, lots or vials it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from procedures.services.sessions import session_details_update
from procedures.services.signing import amendment_add, session_sign
from procedures.services.stock import vial_open
from procedures.tests.conftest import inject
from procedures.tests.factories import (
    InjectionFactory,
    LotFactory,
    VialFactory,
    session_with_injections,
)
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, and the user read with their permissions
# and roles (clinic.backends).
SIGNED_IN = 2


@pytest.fixture
def thirty_points(session, trapezius, levator, botox_lot, clinician):
    """A draft with 30 points, after a signed session with points of its own."""
    session_with_injections(
        units=["10"] * 5,
        patient=session.patient,
        product=session.product,
        started_at=timezone.now() - dt.timedelta(days=100),
    )
    vial = vial_open(lot=botox_lot, diluent_ml=2, user=clinician)
    for number in range(30):
        inject(session, trapezius if number % 2 else levator, "1", vial)
    return session


def test_session_editor_with_30_points(client, thirty_points, django_assert_max_num_queries):
    client.force_login(thirty_points.clinician)
    # SIGNED_IN, then: the session with patient, precautions and their
    # reviewer, product, consent (1); points with muscles (1) and their
    # injections with vials and lots (1); dose guard: units per point (1),
    # window sum (1), last same-product and last other-product session (2);
    # usable vials (1); header: valid consent (1), last session with totals
    # (1), window sum (1); reactions (1); the last session's points and
    # injections for the ghost markers (2); openable lots (1); products and
    # muscles for the selects (2); the access-log row (1); the session's
    # status first, which says it is a draft to draw, not a record to take
    # from the page cache (1).
    with django_assert_max_num_queries(SIGNED_IN + 19):
        response = client.get(reverse("procedures:session", args=[thirty_points.pk]))

    assert response.content.decode().count('"muscle_name"') == 30


def test_signed_record_with_30_points(client, thirty_points, django_assert_max_num_queries):
    session_details_update(
        session=thirty_points,
        user=thirty_points.clinician,
        changes={
            "pain_before": 5,
            "precautions_confirmed": True,
            "site_infection_checked": True,
            "aftercare_given": True,
        },
    )
    session_sign(session=thirty_points, user=thirty_points.clinician, override_reason="ok")
    for number in range(5):
        amendment_add(
            session=thirty_points, user=thirty_points.clinician, reason=f"r{number}", text="t"
        )
    client.force_login(thirty_points.clinician)
    # SIGNED_IN, then: the session (1); points (1) and injections (1);
    # header: consent, last session, window sum (3); amendments with authors
    # (1); reactions (1); the patient's survey answers (1); the access-log row
    # (1); the session's status first, with the revisions the drawn record is
    # kept under (1), then the session with all it shows (1).
    with django_assert_max_num_queries(SIGNED_IN + 11):
        response = client.get(reverse("procedures:session", args=[thirty_points.pk]))

    assert response.content.decode().count("<td>Vial ") == 30

    # Again, nothing changed: the session with the revisions, the access-log row.
    with django_assert_max_num_queries(SIGNED_IN + 2):
        again = client.get(reverse("procedures:session", args=[thirty_points.pk]))

    assert again.content.decode().count("<td>Vial ") == 30


def test_worklist(client, clinician, django_assert_max_num_queries, botox):
    for _ in range(10):
        session_with_injections(units=["10", "10"], clinician=clinician)
        session_with_injections(units=["10"], signed=False)
        AppointmentFactory(status=AppointmentStatus.ARRIVED, start=timezone.now())
    client.force_login(clinician)
    # SIGNED_IN, then: waiting appointments with patient, clinician, type,
    # room (1); drafts with patient, clinician (1); recently signed with totals,
    # muscles, patient, signer (1).
    with django_assert_max_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("procedures:worklist"))

    assert response.content.decode().count("Start session") == 10


def test_stock(client, clinician, botox, django_assert_max_num_queries) -> None:
    for _ in range(15):
        VialFactory(lot=LotFactory(product=botox), opened_by=clinician)
    client.force_login(clinician)
    # SIGNED_IN, then: lots with opened counts (1); open vials with lots,
    # products, openers (1); the lot choices (1) and product choices (1) of
    # the two forms.
    with django_assert_max_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("procedures:stock"))

    assert response.content.decode().count("Close (") == 15


def test_recall(client, clinician, botox, django_assert_max_num_queries) -> None:
    lot = LotFactory(product=botox, lot_number="R100")
    vial = VialFactory(lot=lot)
    for _ in range(12):
        session = session_with_injections(units=["5"], signed=False)
        InjectionFactory(trigger_point__session=session, vial=vial, units=5)
    client.force_login(clinician)
    # SIGNED_IN, then: the access-log row (1), the recall rows (1) and the
    # lots with that number (1).
    with django_assert_max_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("procedures:recall"), {"lot": "r100"})

    assert "12 sessions received units from this lot." in response.content.decode()


def test_patient_history(client, clinician, patient, django_assert_max_num_queries) -> None:
    for days in range(0, 1200, 100):
        session_with_injections(
            units=["10", "20"],
            patient=patient,
            started_at=timezone.now() - dt.timedelta(days=days),
        )
    client.force_login(clinician)
    # SIGNED_IN, then: the patient (1); the access-log row (1); sessions with
    # totals and muscles (1); the dose table's sessions (1) and its units per
    # muscle (1).
    with django_assert_max_num_queries(SIGNED_IN + 5):
        response = client.get(reverse("procedures:patient_history", args=[patient.pk]))

    assert response.content.decode().count("/procedures/sessions/") == 12
