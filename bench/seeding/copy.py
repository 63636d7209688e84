"""COPY rows into a table in chunks, with ids reserved up front so that
children can point at parents without reading them back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection

NULL = r"\N"  # COPY's csv format would otherwise read "" as NULL
CHUNK = 50_000
# Foreign keys are checked at each statement's end instead of at commit. The
# same checks; but a long queue of deferred checks makes PostgreSQL rescan it
# after every statement the history triggers run, which is quadratic.
CHECK_AS_WE_GO = "SET CONSTRAINTS ALL IMMEDIATE"


def ids_reserve(*, table: str, count: int) -> int:
    """Move the table's id sequence past `count` ids; returns the first one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def rows_copy(*, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY every row (NULL spelt as NULL); returns how many were written."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(chunk)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(statement, buffer)
        written += len(chunk)
    return written


def value(item: object) -> object:
    """None as COPY's NULL marker; everything else as csv writes it."""
    return NULL if item is None else item
