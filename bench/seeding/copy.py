"""Bulk loading helpers beside `clinic.copy_in`: ids reserved up front so
that children can point at parents without reading them back."""

from __future__ import annotations

from django.db import connection

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
