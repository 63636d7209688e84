"""Celery tasks: ids in, one courier call, and the retry policy.

Retries are never Celery countdowns: a temporary failure puts the row back
in the PostgreSQL outbox with `next_attempt_at`, where a Redis restart
cannot lose it (DESIGN.md, Follow-ups).
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followups import courier

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def followups_dispatch() -> int:
    return courier.followups_dispatch(now=timezone.now())


@shared_task(ignore_result=True)
def followups_send(claims: list[tuple[int, int]]) -> None:
    """Several claimed rows, (id, attempt) each, in one task: one broker round
    trip for a batch. Each row keeps its own retry policy; a row that breaks
    the task stays claimed until its lease ends and is then claimed again."""
    for followup_id, attempt in claims:
        try:
            followup_send_now(followup_id, attempt)
        except Exception:
            logger.exception("follow-up %s attempt %s: the send task failed", followup_id, attempt)


@shared_task(ignore_result=True)
def followup_send(followup_id: int, attempt: int) -> None:
    """One row (tasks queued before batches, and tests)."""
    followup_send_now(followup_id, attempt)


def followup_send_now(followup_id: int, attempt: int) -> None:
    try:
        courier.followup_deliver(followup_id=followup_id, attempt=attempt)
    except courier.TemporaryFailure as failure:
        if attempt >= settings.FOLLOWUP_MAX_ATTEMPTS:
            courier.followup_give_up(followup_id=followup_id, attempt=attempt, error=str(failure))
        else:
            courier.followup_retry_later(
                followup_id=followup_id,
                attempt=attempt,
                error=str(failure),
                at=timezone.now() + retry_delay(attempt=attempt),
            )


@shared_task(ignore_result=True)
def alert_email_send(alert_id: int) -> None:
    courier.alert_email_deliver(alert_id=alert_id)


def retry_delay(*, attempt: int) -> dt.timedelta:
    """Exponential from FOLLOWUP_RETRY_BASE, capped at FOLLOWUP_RETRY_MAX, with
    jitter (half to all of it) so a recovering server is not hit all at once."""
    ceiling = min(settings.FOLLOWUP_RETRY_MAX, settings.FOLLOWUP_RETRY_BASE * 2 ** (attempt - 1))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not a secret)
