"""The courier: claim what is due, send it, record what happened.

1. `followups_dispatch` (beat, every minute) claims due rows with SELECT ...
   FOR UPDATE SKIP LOCKED, marks them `sending` with a lease, bumps
   `attempts`, and after commit queues send tasks of up to SEND_BATCH
   (id, attempt) pairs each.
2. `followup_deliver` (the send task) takes the row only if it is still
   sending under that attempt, re-checks that the email may go, sends it
   outside any transaction and records the outcome.

Every state change is a conditional UPDATE on (status, attempts), so a late
or repeated task can never overwrite the work of the attempt that replaced it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from followups.emails import alert_email, followup_email
from followups.models import Alert, FollowUp, FollowUpStatus
from followups.rechecks import followup_skip_reason
from followups.smtp import email_send

logger = logging.getLogger(__name__)

CLAIM_BATCH = 100
SEND_BATCH = 25  # claims per send task: fewer broker round trips, still spread over workers
GAVE_UP = "Gave up after {attempts} attempts. Last error: {error}"
WORKER_STOPPED = "The worker stopped while sending."


class TemporaryFailure(Exception):
    """The SMTP server or the network said: try again later."""


@dataclass(frozen=True)
class Claim:
    followup_id: int
    attempt: int


# Claiming -------------------------------------------------------------------------


def followups_dispatch(*, now: dt.datetime) -> int:
    """Claim everything due (in short batches) and queue the sends; returns
    how many were claimed. Also re-queues alert emails that are still waiting."""
    claimed = 0
    while claimed < settings.FOLLOWUP_DISPATCH_LIMIT:
        batch = followups_claim(now=now, limit=CLAIM_BATCH)
        claimed += len(batch)
        if len(batch) < CLAIM_BATCH:
            break
    alerts_requeue(now=now)
    return claimed


@transaction.atomic
def followups_claim(*, now: dt.datetime, limit: int) -> list[Claim]:
    """Lock up to `limit` due rows, mark them sending, and queue their sends on commit."""
    due = (
        FollowUp.objects.select_for_update(skip_locked=True)
        .filter(_is_due(now))
        .order_by("due_at", "id")
        .values_list("id", "attempts")[:limit]
    )
    rows = list(due)
    worn_out = [pk for pk, attempts in rows if attempts >= settings.FOLLOWUP_MAX_ATTEMPTS]
    claims = [Claim(pk, attempts + 1) for pk, attempts in rows if pk not in worn_out]
    _fail_worn_out(worn_out)
    FollowUp.objects.filter(pk__in=[claim.followup_id for claim in claims]).update(
        status=FollowUpStatus.SENDING,
        lease_expires_at=now + settings.FOLLOWUP_LEASE,
        attempts=F("attempts") + 1,
    )
    transaction.on_commit(lambda: _queue_sends(claims))
    return claims


def _is_due(now: dt.datetime) -> Q:
    pending = Q(status=FollowUpStatus.PENDING, due_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    lease_expired = Q(status=FollowUpStatus.SENDING, lease_expires_at__lte=now)
    return pending | lease_expired


def _fail_worn_out(ids: list[int]) -> None:
    """Rows whose worker died mid-send on every attempt (a poison message)."""
    if ids:
        FollowUp.objects.filter(pk__in=ids).update(
            status=FollowUpStatus.FAILED, lease_expires_at=None, last_error=WORKER_STOPPED
        )


def _queue_sends(claims: list[Claim]) -> None:
    from followups.tasks import followups_send  # the tasks module imports this one

    for start in range(0, len(claims), SEND_BATCH):
        batch = claims[start : start + SEND_BATCH]
        followups_send.delay([(claim.followup_id, claim.attempt) for claim in batch])


# Sending ----------------------------------------------------------------------------


def followup_deliver(*, followup_id: int, attempt: int) -> None:
    """Send one claimed follow-up. Raises TemporaryFailure for the task's retry policy."""
    followup = _take(followup_id=followup_id, attempt=attempt)
    if followup is None:
        return
    reason = followup_skip_reason(followup=followup, now=timezone.now())
    if reason:
        _record(followup, attempt, status=FollowUpStatus.SKIPPED, skip_reason=reason)
        return
    try:
        message = followup_email(followup=followup)
        email_send(message)
    except Exception as error:
        if _is_temporary(error):
            raise TemporaryFailure(_describe(error)) from error
        _record(followup, attempt, status=FollowUpStatus.FAILED, last_error=_describe(error))
        logger.warning("follow-up %s failed permanently (%s)", followup.pk, type(error).__name__)
        return
    _record(
        followup,
        attempt,
        status=FollowUpStatus.SENT,
        sent_at=timezone.now(),
        message_id=message.extra_headers["Message-ID"],
        last_error="",
    )


def followup_retry_later(*, followup_id: int, attempt: int, error: str, at: dt.datetime) -> None:
    """Back to pending; the dispatcher claims it again once `at` has passed."""
    _record_by_id(
        followup_id,
        attempt,
        status=FollowUpStatus.PENDING,
        next_attempt_at=at,
        last_error=error[:500],
    )


def followup_give_up(*, followup_id: int, attempt: int, error: str) -> None:
    message = GAVE_UP.format(attempts=attempt, error=error)
    _record_by_id(followup_id, attempt, status=FollowUpStatus.FAILED, last_error=message[:500])


def _take(*, followup_id: int, attempt: int) -> FollowUp | None:
    """The row, if this attempt still holds it; the lease is renewed for the send."""
    taken = FollowUp.objects.filter(
        pk=followup_id, status=FollowUpStatus.SENDING, attempts=attempt
    ).update(lease_expires_at=timezone.now() + settings.FOLLOWUP_LEASE)
    if not taken:
        logger.info(
            "follow-up %s attempt %s is no longer current; nothing to do", followup_id, attempt
        )
        return None
    return FollowUp.objects.select_related("patient", "session", "appointment").get(pk=followup_id)


def _record(followup: FollowUp, attempt: int, **changes: object) -> None:
    _record_by_id(followup.pk, attempt, **changes)


def _record_by_id(followup_id: int, attempt: int, **changes: object) -> None:
    recorded = FollowUp.objects.filter(
        pk=followup_id, status=FollowUpStatus.SENDING, attempts=attempt
    ).update(lease_expires_at=None, **changes)
    if not recorded:
        # The lease ran out mid-send and another attempt took over: the
        # documented duplicate window (docs/decisions.md).
        logger.warning(
            "follow-up %s attempt %s lost its lease before recording", followup_id, attempt
        )


def _is_temporary(error: Exception) -> bool:
    """4xx replies and network trouble are worth retrying; 5xx replies are not."""
    code = _smtp_code(error)
    if code is not None:
        return 400 <= code < 500
    return isinstance(error, OSError)


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, _ = next(iter(error.recipients.values()))
        return code
    return None


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


# Alerts to the clinic -----------------------------------------------------------------


def alert_email_deliver(*, alert_id: int) -> None:
    """Email the clinic that a warning sign came in. `emailed_at` is claimed
    first so two tasks never both send; a failure releases it for the sweep."""
    now = timezone.now()
    if not Alert.objects.filter(pk=alert_id, emailed_at=None).update(emailed_at=now):
        return
    alert = Alert.objects.get(pk=alert_id)
    try:
        email_send(alert_email(alert=alert))
    except Exception:
        Alert.objects.filter(pk=alert_id).update(emailed_at=None)
        raise


def alerts_requeue(*, now: dt.datetime) -> None:
    """Alert emails still waiting a minute after the alert (broker down, SMTP
    refused) are queued again."""
    from followups.tasks import alert_email_send  # the tasks module imports this one

    waiting = Alert.objects.filter(
        emailed_at=None, created_at__lte=now - settings.FOLLOWUP_DISPATCH_INTERVAL
    ).values_list("pk", flat=True)[:CLAIM_BATCH]
    for alert_id in waiting:
        alert_email_send.delay(alert_id)
