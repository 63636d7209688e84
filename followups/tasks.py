"""Celery tasks: ids in, one courier call, and the retry policy.

Retries are never Celery countdowns: a temporary failure puts the row back
in the PostgreSQL outbox with `next_attempt_at`, where a Redis restart
cannot lose it (DESIGN.md, Follow-ups).
"""

from __future__ import annotations

import datetime as dt
import random

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followups import courier, senders


@shared_task(ignore_result=True)
def followups_dispatch() -> int:
    return courier.followups_dispatch(now=timezone.now())


@shared_task(ignore_result=True)
def followups_send(claims: list[tuple[int, int]]) -> None:
    """Several claimed rows, (id, attempt) each, in one task: one broker round
    trip and one database statement per thread to take them all. Each row is
    still sent and recorded on its own, with its own retry policy."""
    senders.each_in_its_thread(_send_share, senders.shares_of(claims))


def _send_share(claims: list[tuple[int, int]]) -> None:
    for retryable in courier.followups_deliver(claims=[courier.Claim(*pair) for pair in claims]):
        _retry_or_give_up(retryable)


@shared_task(ignore_result=True)
def followup_send(followup_id: int, attempt: int) -> None:
    """One row (tasks queued before batches)."""
    followups_send([(followup_id, attempt)])


def _retry_or_give_up(retryable: courier.Retryable) -> None:
    followup_id, attempt = retryable.claim.followup_id, retryable.claim.attempt
    if attempt >= settings.FOLLOWUP_MAX_ATTEMPTS:
        courier.followup_give_up(followup_id=followup_id, attempt=attempt, error=retryable.error)
    else:
        courier.followup_retry_later(
            followup_id=followup_id,
            attempt=attempt,
            error=retryable.error,
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
