"""Two real connections race for one slot: the database lets exactly one win.

The first booking holds its transaction open while the second, on its own
connection, gets past every check in Python and waits inside PostgreSQL on
the exclusion constraint. Only when the first commits is the second refused:
nothing in the application could have seen the first booking in time.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from patients.tests.factories import PatientFactory
from scheduling.errors import SlotTaken
from scheduling.models import Appointment, AppointmentStatus
from scheduling.services import appointment_book, appointment_cancel, appointment_check_in
from scheduling.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 15


def _blocked_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _in_thread(work: Callable[[], object], results: dict, name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = work()
        except Exception as error:  # the outcome, success or refusal, is what tests assert
            results[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def race(first: Callable[[], object], second: Callable[[], object]) -> dict:
    """Run `first` in a transaction held open until `second` waits on a lock."""
    results: dict = {}
    first_done, release = threading.Event(), threading.Event()

    def first_then_hold() -> object:
        with transaction.atomic():
            outcome = first()
            first_done.set()
            release.wait(WAIT)
        return outcome

    threads = [_in_thread(first_then_hold, results, "first")]
    assert first_done.wait(WAIT)
    threads.append(_in_thread(second, results, "second"))
    deadline = time.monotonic() + WAIT
    while _blocked_backends() == 0:
        assert time.monotonic() < deadline, "the second booking never waited on the first"
        time.sleep(0.02)
    release.set()
    for thread in threads:
        thread.join(WAIT)
    return results


@pytest.fixture
def booking(front_desk, room, injection, patient, working_clinician):
    def make(**changes) -> Callable[[], Appointment]:
        arguments = {
            "patient": patient,
            "clinician": working_clinician,
            "room": room,
            "appointment_type": injection,
            "starts_at": tomorrow_at(10),
            "booked_by": front_desk,
            **changes,
        }
        return lambda: appointment_book(**arguments)

    return make


def test_racing_for_the_same_clinician_exactly_one_wins(booking, other_patient, room2):
    results = race(booking(), booking(patient=other_patient, room=room2))

    assert isinstance(results["first"], Appointment)
    assert isinstance(results["second"], SlotTaken)
    assert results["second"].constraint == "appointment_no_clinician_overlap"
    assert results["second"].message == "Dr Lindqvist already has an appointment 10:00–10:30."
    assert Appointment.objects.count() == 1


def test_racing_for_the_same_room_exactly_one_wins(booking, other_patient, working_other_clinician):
    results = race(booking(), booking(patient=other_patient, clinician=working_other_clinician))

    assert isinstance(results["second"], SlotTaken)
    assert results["second"].constraint == "appointment_no_room_overlap"
    assert results["second"].message == "Room 1 is taken 10:00–10:30."
    assert Appointment.objects.count() == 1


def test_racing_for_the_same_patient_exactly_one_wins(
    booking, working_other_clinician, room2, review
):
    results = race(
        booking(),
        booking(clinician=working_other_clinician, room=room2, appointment_type=review),
    )

    assert isinstance(results["second"], SlotTaken)
    assert results["second"].constraint == "appointment_no_patient_overlap"
    assert Appointment.objects.count() == 1


def test_a_double_click_racing_itself_books_once(booking):
    key = uuid.uuid4()

    results = race(booking(booking_key=key), booking(booking_key=key))

    assert results["first"].pk == results["second"].pk
    assert Appointment.objects.count() == 1


def test_many_desks_at_once_for_one_slot_book_it_once(booking, room2, working_other_clinician):
    attempts = [booking(patient=PatientFactory(), room=room2) for _ in range(4)]
    results: dict = {}
    barrier = threading.Barrier(len(attempts))

    def at_once(attempt: Callable[[], Appointment]) -> Callable[[], Appointment]:
        return lambda: (barrier.wait(WAIT), attempt())[1]

    threads = [_in_thread(at_once(a), results, f"desk-{n}") for n, a in enumerate(attempts)]
    for thread in threads:
        thread.join(WAIT)

    outcomes = list(results.values())
    assert sum(isinstance(outcome, Appointment) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, SlotTaken) for outcome in outcomes) == 3
    assert Appointment.objects.count() == 1


def test_check_in_racing_a_cancel_one_of_them_wins_under_the_row_lock(
    booking, front_desk, clinician
):
    appointment = booking(starts_at=tomorrow_at(10))()
    at = appointment.starts_at

    results = race(
        lambda: appointment_cancel(appointment=appointment, by=front_desk, reason="Called", at=at),
        lambda: appointment_check_in(appointment=appointment, by=clinician, at=at),
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert str(results["second"]) == "Cancelled appointments cannot be checked in."
    assert appointment.changes.filter(action="checked_in").count() == 0
