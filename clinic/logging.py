"""Log lines carry the request id and never the text of an exception.

Exception messages from the database or from forms can quote the values that
caused them (a name, an email address, a date of birth). The formatter keeps
the traceback's files, lines and functions, and the exception's type only.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from clinic.request_id import current_request_id

_TRACEBACK_HEADER = "Traceback (most recent call last):\n"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class PhiSafeFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 (logging's name)
        exc_type, _, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return f"{_TRACEBACK_HEADER}{frames}{exc_type.__qualname__} (message withheld)"
