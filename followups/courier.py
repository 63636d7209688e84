"""The courier: claim what is due, send it, record what happened.

1. `followups_dispatch` (beat, every minute) claims due rows with SELECT ...
   FOR UPDATE SKIP LOCKED, marks them `sending` with a lease, bumps
   `attempts`, and after commit queues send tasks of up to SEND_BATCH
   (id, attempt) pairs each.
2. `followups_deliver` (the send task) takes the rows that are still
   sending under their attempts (one UPDATE ... RETURNING for the batch),
   then for each row re-checks that the email may go, sends it outside any
   transaction and records the outcome at once.

Every state change is a conditional UPDATE on (status, attempts), so a late
or repeated task can never overwrite the work of the attempt that replaced it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterator
from dataclasses import astuple, dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
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
    rows = _lock_due(_lease_expired(now), limit=limit)
    rows += _lock_due(_pending_due(now), limit=limit - len(rows))
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


def _lock_due(condition: Q, *, limit: int) -> list[tuple[int, int]]:
    """(id, attempts) of up to `limit` rows, oldest due first, that no one else has locked.

    One scan per condition, each on its own partial index: the two conditions
    OR'd together were read through every row ever sent, in due order (300 ms
    a claim at 600,000 follow-ups, docs/performance.md)."""
    if limit <= 0:
        return []
    due = (
        FollowUp.objects.select_for_update(skip_locked=True)
        .filter(condition)
        .order_by("due_at", "id")
        .values_list("id", "attempts")
    )
    return list(due[:limit])


def _pending_due(now: dt.datetime) -> Q:
    return Q(status=FollowUpStatus.PENDING, due_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _lease_expired(now: dt.datetime) -> Q:
    """Rows whose worker died (or stalled) mid-send; they go first, being the oldest work."""
    return Q(status=FollowUpStatus.SENDING, lease_expires_at__lte=now)


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


@dataclass(frozen=True)
class Retryable:
    """A row whose send failed for now; the task's retry policy decides when again."""

    claim: Claim
    error: str


def followups_deliver(*, claims: list[Claim]) -> Iterator[Retryable]:
    """Send claimed follow-ups, each re-checked, sent and recorded on its own as
    soon as its outcome is known. Yields each temporary failure as it happens;
    any other error of one row (but the database's) is logged and leaves only
    that row claimed until its lease ends."""
    taken, renew_at = _take(claims)
    for position, (followup, claim) in enumerate(taken):
        if position and timezone.now() >= renew_at:
            # Slow sends: take the rest again before their leases can run out.
            yield from followups_deliver(claims=[claim for _, claim in taken[position:]])
            return
        try:
            _deliver(followup, claim.attempt)
        except TemporaryFailure as failure:
            yield Retryable(claim, str(failure))
        except DatabaseError:
            raise  # outcomes cannot be recorded: send no more, the leases bring them back
        except Exception:
            logger.exception("follow-up %s attempt %s: sending failed", *astuple(claim))


def _deliver(followup: FollowUp, attempt: int) -> None:
    """Raises TemporaryFailure for the task's retry policy."""
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
    _record_sent(followup, attempt, message_id=message.extra_headers["Message-ID"])


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


# One statement for the whole batch: renew the lease of every row this task
# still holds (status and attempt unchanged since the claim) and return those claims.
_TAKE_SQL = """
UPDATE followups_followup AS followup SET lease_expires_at = %(lease_expires_at)s
FROM unnest(%(ids)s::bigint[], %(attempts)s::integer[]) AS claim(id, attempt)
WHERE followup.id = claim.id AND followup.attempts = claim.attempt AND followup.status = %(sending)s
RETURNING followup.id, followup.attempts
"""


def _take(claims: list[Claim]) -> tuple[list[tuple[FollowUp, Claim]], dt.datetime]:
    """The rows these attempts still hold, in claim order, with what the
    re-checks and the email need, and when to renew their lease (halfway)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _TAKE_SQL,
            {
                "lease_expires_at": now + settings.FOLLOWUP_LEASE,
                "ids": [claim.followup_id for claim in claims],
                "attempts": [claim.attempt for claim in claims],
                "sending": FollowUpStatus.SENDING.value,
            },
        )
        taken = {Claim(*row) for row in cursor.fetchall()}
    for stale in [claim for claim in claims if claim not in taken]:
        logger.info("follow-up %s attempt %s is no longer current; nothing to do", *astuple(stale))
    followups = FollowUp.objects.select_related("patient", "session", "appointment").in_bulk(
        [claim.followup_id for claim in taken]
    )
    held = [(followups[claim.followup_id], claim) for claim in claims if claim in taken]
    return held, now + settings.FOLLOWUP_LEASE / 2


# The same conditional write as _record_by_id, for the outcome of nearly every
# row, without the ORM's cost of building the statement each time (0.8 ms).
# It does not wait for its WAL flush (2 to 3 ms of a 5 ms delivery on this
# machine): a database crash in the next fraction of a second could forget
# it, and the row would be sent again once its lease ends, with the same
# Message-ID, like a worker killed after the server's 250 (docs/decisions.md).
# The setting is made inside the statement itself (set_config, local to its
# transaction), so the one statement can be prepared like any other; the
# commit at its end reads the setting before the transaction resets it.
_RECORD_SENT_SQL = """
UPDATE followups_followup
SET status = %(sent)s, sent_at = %(sent_at)s, message_id = %(message_id)s, last_error = '',
    lease_expires_at = NULL
FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
WHERE id = %(id)s AND status = %(sending)s AND attempts = %(attempt)s
"""


def _record_sent(followup: FollowUp, attempt: int, *, message_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _RECORD_SENT_SQL,
            {
                "sent": FollowUpStatus.SENT.value,
                "sent_at": timezone.now(),
                "message_id": message_id,
                "id": followup.pk,
                "sending": FollowUpStatus.SENDING.value,
                "attempt": attempt,
            },
        )
        _warn_unless_recorded(cursor.rowcount, followup.pk, attempt)


def _record(followup: FollowUp, attempt: int, **changes: object) -> None:
    _record_by_id(followup.pk, attempt, **changes)


def _record_by_id(followup_id: int, attempt: int, **changes: object) -> None:
    recorded = FollowUp.objects.filter(
        pk=followup_id, status=FollowUpStatus.SENDING, attempts=attempt
    ).update(lease_expires_at=None, **changes)
    _warn_unless_recorded(recorded, followup_id, attempt)


def _warn_unless_recorded(recorded: int, followup_id: int, attempt: int) -> None:
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
