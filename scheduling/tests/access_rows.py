"""Who may open each scheduling URL (see clinic/tests/access_table.py)."""

from __future__ import annotations

from typing import Any

from clinic.tests.access_table import DENIED, NOT_ALLOWED, OK, PERSONAS, Row, roles, staff
from clinic.tests.factories import UserFactory
from patients.tests.factories import PatientFactory
from scheduling.services import calendar_feed_issue
from scheduling.tests.factories import AppointmentFactory


def _appointment() -> dict[str, Any]:
    return {"pk": AppointmentFactory().pk}


def _patient() -> dict[str, Any]:
    return {"patient_id": PatientFactory().pk}


def _feed() -> dict[str, Any]:
    owner = UserFactory(username="feed-owner", role="Clinician")
    return {"token": calendar_feed_issue(clinician=owner)}


# Every role books and checks in (all three hold the front desk's scheduling
# permissions); only clinicians have a calendar feed of their own.
POST_ONLY = staff(NOT_ALLOWED)
CLINICIANS_ONLY = roles(front_desk=DENIED, clinician=OK, admin=DENIED)

ROWS: list[Row] = [
    Row("scheduling:day", staff()),
    Row("scheduling:week", staff()),
    Row("scheduling:today", staff()),
    Row("scheduling:today_panel", staff()),
    Row("scheduling:book", staff()),
    Row("scheduling:booking_end", staff()),
    Row("scheduling:patient_options", staff()),
    Row("scheduling:patient_picker", staff()),
    Row("scheduling:free_slots", staff()),
    Row("scheduling:appointment", staff(), make_kwargs=_appointment),
    Row("scheduling:move", staff(), make_kwargs=_appointment),
    Row("scheduling:check_in", POST_ONLY, make_kwargs=_appointment),
    Row("scheduling:no_show", POST_ONLY, make_kwargs=_appointment),
    Row("scheduling:cancel", POST_ONLY, make_kwargs=_appointment),
    Row("scheduling:patient_appointments", staff(), make_kwargs=_patient),
    Row("scheduling:feed", CLINICIANS_ONLY),
    Row("scheduling:feed_rotate", roles(front_desk=DENIED, clinician=NOT_ALLOWED, admin=DENIED)),
    Row("scheduling:feed_revoke", roles(front_desk=DENIED, clinician=NOT_ALLOWED, admin=DENIED)),
    # Public, but only with a current token; the row's token is one.
    Row("scheduling:feed_ics", dict.fromkeys(PERSONAS, OK), make_kwargs=_feed),
]
