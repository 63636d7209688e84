"""Medical record numbers: a PostgreSQL sequence plus a Luhn check digit.

The check digit catches every single mistyped digit and almost every swap of
two neighbouring digits, so a mistyped MRN finds nobody instead of the wrong
patient.
"""

from __future__ import annotations

from django.db import connection

MRN_SEQUENCE = "patients_mrn_seq"
MRN_LENGTH = 8  # seven digits from the sequence, then the check digit


def luhn_check_digit(number: str) -> str:
    """The digit that makes `number + digit` pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def mrn_is_valid(mrn: str) -> bool:
    return mrn.isdigit() and len(mrn) > 1 and luhn_check_digit(mrn[:-1]) == mrn[-1]


def mrn_allocate(*, count: int = 1) -> list[str]:
    """`count` new MRNs from the sequence; never reused, even after a rollback."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [MRN_SEQUENCE, count])
        numbers = [str(row[0]) for row in cursor.fetchall()]
    return [number + luhn_check_digit(number) for number in numbers]
