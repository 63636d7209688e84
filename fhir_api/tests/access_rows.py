"""Who may call which FHIR URL, with a staff session (tokens: test_access_rules.py).

Anonymous callers get 401 (an OperationOutcome), not a login redirect; the
front desk reads Patient and Appointment only.
"""

from __future__ import annotations

from typing import Any

from clinic.tests.access_table import (
    ANONYMOUS,
    BAD_REQUEST,
    DENIED,
    OK,
    PERSONAS,
    UNAUTHORIZED,
    Row,
    roles,
)
from fhir_api.registry import SCHEDULING, TYPES
from fhir_api.tests.records import ids_of_each_type, record_build


def _expected(permission: str, allowed: str = OK) -> dict[str, str]:
    front_desk = allowed if permission == SCHEDULING else DENIED
    return {
        **roles(front_desk=front_desk, clinician=allowed, admin=allowed),
        ANONYMOUS: UNAUTHORIZED,
    }


def _read_kwargs(name: str) -> Any:
    return lambda: {"resource_id": ids_of_each_type(record_build(sessions=1))[name]}


ROWS: list[Row] = [
    Row("fhir:metadata", dict.fromkeys(PERSONAS, OK)),
    Row(
        "fhir:everything",
        _expected(SCHEDULING),
        lambda: {"patient_id": str(record_build(sessions=1).patient.pk)},
    ),
    *[
        Row(f"fhir:{name.lower()}-read", _expected(rtype.permission), _read_kwargs(name))
        for name, rtype in TYPES.items()
    ],
    # A search names its patient in the query string, which rows cannot
    # carry: whoever is let in gets 400 for the missing parameter.
    *[
        Row(f"fhir:{name.lower()}-search", _expected(rtype.permission, allowed=BAD_REQUEST))
        for name, rtype in TYPES.items()
        if name != "Practitioner"
    ],
]
