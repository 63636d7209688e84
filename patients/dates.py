"""Dates the way a US clinic writes them, and calendar arithmetic on them."""

from __future__ import annotations

import datetime as dt
import re

_US_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_us_date(text: str, *, today: dt.date) -> dt.date | None:
    """MM/DD/YYYY, M/D/YY, MM-DD-YYYY or YYYY-MM-DD; None if it is not a real date.

    A two-digit year means the latest such year not after today (dates of
    birth and signatures are in the past): "1/2/52" is 1952, "1/2/05" is 2005.
    """
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _US_DATE.match(text):
        month, day, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            return _past_two_digit_year(month, day, year, today)
    else:
        return None
    return _date_or_none(year, month, day)


def _past_two_digit_year(month: int, day: int, yy: int, today: dt.date) -> dt.date | None:
    century = today.year - today.year % 100
    candidate = _date_or_none(century + yy, month, day)
    if candidate is not None and candidate > today:
        return _date_or_none(century - 100 + yy, month, day)
    return candidate


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, or the month's last day if it is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return _last_valid_day(year, month + 1, day.day)


def years_before(day: dt.date, years: int) -> dt.date:
    return months_before(day, years * 12)


def _last_valid_day(year: int, month: int, day: int) -> dt.date:
    while (date := _date_or_none(year, month, day)) is None:
        day -= 1
    return date
