"""Reads the revisions the database raises on every write (clinic 0007).

A page part drawn from some data is cached under the revisions of that
data (clinic.page_cache); when any of them has moved, the key is new and the
part is drawn again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import BigIntegerField, QuerySet
from django.db.models.expressions import RawSQL

PATIENT = "patient"
UTC_DAY = "utc_day"
REFERENCE = "reference"
FOLLOWUPS = "followups"
DASHBOARD = "dashboard"
WHOLE = 0  # the key of the scopes that have one revision (all but patient and utc_day)

EPOCH = date(1970, 1, 1)

# One statement whatever the number of keys, so PostgreSQL keeps its plan.
REVISIONS_SQL = """
SELECT coalesce(r.revision, 0)
FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS wanted(scope, key, n)
LEFT JOIN clinic_revision r USING (scope, key)
ORDER BY n
"""
PATIENTS_SUM_SQL = """
SELECT coalesce(sum(revision), 0) FROM clinic_revision
WHERE scope = 'patient' AND key IN (SELECT patient_id FROM ({rows}) AS rows)
"""


def revisions(
    wanted: Iterable[tuple[str, int]], *, patients_of: QuerySet | None = None
) -> tuple[int, ...]:
    """The revision of each (scope, key), 0 for one never written, in order.
    With `patients_of` (rows with a patient_id, such as a day's
    appointments), the sum of those patients' revisions comes last: it grows
    whenever any of them changes."""
    pairs = list(wanted)
    sql, params = REVISIONS_SQL, [[s for s, _ in pairs], [k for _, k in pairs]]
    if patients_of is not None:
        rows = patients_of.values("patient_id").order_by()
        rows_sql, rows_params = rows.query.sql_with_params()
        sql = f"SELECT ARRAY({REVISIONS_SQL}), ({PATIENTS_SUM_SQL.format(rows=rows_sql)})"
        params = [*params, *rows_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if patients_of is None:
            return tuple(row[0] for row in cursor.fetchall())
        listed, patients = cursor.fetchone()
        return (*listed, patients)


def revision_of(scope: str, key_column: str | None = None) -> RawSQL:
    """A revision as a column of the query that reads its row, so both come
    from one statement (one snapshot, one query less): `key_column` is the
    outer row's key, qualified ("patients_patient.id"); None for a scope
    with one revision."""
    key = key_column or str(WHOLE)
    # `key` is a column named in our code or a constant, never input.
    sql = f"coalesce((SELECT revision FROM clinic_revision WHERE scope = %s AND key = {key}), 0)"  # noqa: S608
    return RawSQL(sql, [scope], output_field=BigIntegerField())  # noqa: S611


def utc_days(start: datetime, end: datetime) -> list[tuple[str, int]]:
    """The (UTC_DAY, key) pairs of every UTC day that [start, end) overlaps."""
    first = start.astimezone(UTC).date()
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    return [(UTC_DAY, (first - EPOCH).days + n) for n in range((last - first).days + 1)]
