"""Who may open each patients URL (see clinic/tests/access_table.py)."""

from __future__ import annotations

from typing import Any

from clinic.tests.access_table import DENIED, NOT_ALLOWED, OK, Row, roles, staff
from patients.tests.factories import ConsentFactory, PatientFactory


def _patient() -> dict[str, Any]:
    return {"pk": PatientFactory().pk}


def _consent() -> dict[str, Any]:
    return {"pk": ConsentFactory().pk}


CLINICIANS_ONLY = roles(front_desk=DENIED, clinician=OK, admin=DENIED)

ROWS: list[Row] = [
    Row("patients:list", staff()),
    Row("patients:register", staff()),
    Row("patients:chart", staff(), _patient),
    Row("patients:edit", staff(), _patient),
    Row("patients:archive", staff(), _patient),
    Row("patients:restore", staff(NOT_ALLOWED), _patient),
    Row("patients:precautions", CLINICIANS_ONLY, _patient),
    Row("patients:consent_record", CLINICIANS_ONLY, _patient),
    Row("patients:consent_revoke", CLINICIANS_ONLY, _consent),
]
