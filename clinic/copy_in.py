"""COPY rows into a table in chunks: the bulk loads of made-up data
(`bench_seed`, `generate_patients`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection

NULL = r"\N"  # COPY's csv format would otherwise read "" as NULL
CHUNK = 50_000


def rows_copy(*, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY every row (None written as NULL); returns how many were written."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(chunk)
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(buffer.getvalue())
        written += len(chunk)
    return written


def value(item: object) -> object:
    """None as COPY's NULL marker; everything else as csv writes it."""
    return NULL if item is None else item
