"""One id per request: in the X-Request-ID header, every log line, the audit
context of every change and every access-log row, so one request can be
followed through all of them."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")


def request_id_new() -> str:
    return uuid.uuid4().hex
