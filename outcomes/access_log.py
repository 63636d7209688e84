"""Who read which records: the hook every outcomes and FHIR read goes through.

A stand-in until the security work's access-log service is merged: it
writes one line to the "clinic.access" logger with ids only (never names or
clinical details). The lead points `access_record` at that service.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("clinic.access")


def access_record(*, actor: str, action: str, target: str, **detail: object) -> None:
    """`actor` is "user:<id>" or "token:<id>"; `target` names what was read,
    e.g. "patient:12" or "export:injections"."""
    extra = " ".join(f"{key}={value}" for key, value in sorted(detail.items()))
    logger.info("access actor=%s action=%s target=%s %s", actor, action, target, extra)
