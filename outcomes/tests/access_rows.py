"""Who may open which outcomes page: clinicians and admins; never the front desk."""

from __future__ import annotations

from clinic.tests.access_table import DENIED, OK, Row, roles
from outcomes.lists import LISTS
from outcomes.tests.factories import course_of_treatment

CLINICAL = roles(front_desk=DENIED, clinician=OK, admin=OK)

ROWS: list[Row] = [
    Row("outcomes:dashboard", CLINICAL),
    Row(
        "outcomes:patient",
        CLINICAL,
        lambda: {"patient_id": course_of_treatment(sessions=1).pk},
    ),
    *[Row(f"outcomes:list-{slug}", CLINICAL) for slug in LISTS],
    Row("outcomes:export-injections", CLINICAL),
    Row("outcomes:export-outcomes", CLINICAL),
]
