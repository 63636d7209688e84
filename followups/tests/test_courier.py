"""The courier in one process: claiming, re-checking, sending, recording."""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from collections import Counter

import pytest
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followups import courier, senders
from followups.emails import followup_message_id
from followups.models import FollowUp, FollowUpKind, FollowUpStatus
from followups.rechecks import (
    SKIP_NEXT_BOOKED,
    SKIP_NO_CONSENT,
    SKIP_NOT_BOOKED,
    SKIP_UNSUBSCRIBED,
)
from followups.tasks import followup_send, followups_send, retry_delay
from followups.tests.factories import FollowUpFactory, due_followups
from patients.models import Patient
from procedures.tests.factories import TreatmentSessionFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _claim_one(now: dt.datetime | None = None) -> courier.Claim:
    (claim,) = courier.followups_claim(now=now or timezone.now(), limit=10)
    return claim


def _deliver(claim: courier.Claim) -> list[courier.Retryable]:
    return list(courier.followups_deliver(claims=[claim]))


def _status(followup: FollowUp) -> str:
    followup.refresh_from_db()
    return followup.status


# Claiming --------------------------------------------------------------------------------


def test_claim_takes_due_rows_marks_them_sending_with_a_lease_and_counts_the_attempt(
    settings,
) -> None:
    due = FollowUpFactory()
    FollowUpFactory(due_at=timezone.now() + dt.timedelta(hours=1))
    now = timezone.now()

    claims = courier.followups_claim(now=now, limit=10)

    assert claims == [courier.Claim(due.pk, 1)]
    due.refresh_from_db()
    assert due.status == FollowUpStatus.SENDING
    assert due.attempts == 1
    assert due.lease_expires_at == now + settings.FOLLOWUP_LEASE


def test_claim_queues_one_send_per_row_only_after_commit(django_capture_on_commit_callbacks):
    FollowUpFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claims = courier.followups_claim(now=timezone.now(), limit=10)

    assert len(claims) == 3
    assert len(callbacks) == 1  # one callback that queues all three sends


def test_claim_leaves_rows_waiting_for_their_retry_time() -> None:
    FollowUpFactory(next_attempt_at=timezone.now() + dt.timedelta(minutes=5), attempts=1)

    assert courier.followups_claim(now=timezone.now(), limit=10) == []


def test_claim_takes_back_a_row_whose_lease_expired() -> None:
    now = timezone.now()
    stuck = FollowUpFactory(
        status=FollowUpStatus.SENDING, attempts=1, lease_expires_at=now - dt.timedelta(seconds=1)
    )
    FollowUpFactory(
        status=FollowUpStatus.SENDING, attempts=1, lease_expires_at=now + dt.timedelta(minutes=1)
    )

    assert courier.followups_claim(now=now, limit=10) == [courier.Claim(stuck.pk, 2)]


def test_a_row_whose_worker_died_on_every_attempt_ends_failed(settings) -> None:
    now = timezone.now()
    stuck = FollowUpFactory(
        status=FollowUpStatus.SENDING,
        attempts=settings.FOLLOWUP_MAX_ATTEMPTS,
        lease_expires_at=now - dt.timedelta(seconds=1),
    )

    assert courier.followups_claim(now=now, limit=10) == []
    stuck.refresh_from_db()
    assert (stuck.status, stuck.last_error) == (FollowUpStatus.FAILED, courier.WORKER_STOPPED)


def test_dispatch_claims_everything_due_in_batches(settings) -> None:
    due_followups(courier.CLAIM_BATCH + 5)

    assert courier.followups_dispatch(now=timezone.now()) == courier.CLAIM_BATCH + 5
    assert not FollowUp.objects.filter(status=FollowUpStatus.PENDING).exists()


def test_claiming_reads_the_due_rows_without_walking_the_emails_already_sent() -> None:
    sent = due_followups(300)
    FollowUp.objects.filter(pk__in=[f.pk for f in sent]).update(status=FollowUpStatus.SENT)
    FollowUpFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        claims = courier.followups_claim(now=timezone.now(), limit=10)
        transaction.set_rollback(True)  # to read the same rows again below

    locks = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]

    assert len(claims) == 3
    # Leases to reclaim, then pending rows, each from its own partial index
    # in claim order: none of the 300 sent rows is read.
    assert [_rows_read(sql) for sql in locks] == [0, 3]


def _rows_read(sql: str) -> int:
    """Rows the statement's scans read from the table (EXPLAIN ANALYZE)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test-sized table
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()[0]
    return _scanned(plan["Plan"])


def _scanned(node: dict) -> int:
    own = 0
    if "Scan" in node["Node Type"]:
        own = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
    return own + sum(_scanned(child) for child in node.get("Plans", []))


# Sending ------------------------------------------------------------------------------------


def test_delivery_sends_the_email_and_records_sent_with_its_message_id(mailoutbox) -> None:
    followup = FollowUpFactory()
    claim = _claim_one()

    _deliver(claim)

    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.SENT
    assert followup.lease_expires_at is None
    assert followup.sent_at is not None
    (message,) = mailoutbox
    assert message.to == [followup.patient.email]
    assert message.extra_headers["Message-ID"] == followup.message_id
    assert followup.message_id.startswith(f"<followup-{followup.public_id.hex}@")


def test_a_stale_attempt_does_nothing(mailoutbox) -> None:
    followup = FollowUpFactory()
    claim = _claim_one()
    FollowUp.objects.filter(pk=followup.pk).update(attempts=2)  # another attempt took over

    _deliver(claim)

    assert mailoutbox == []
    assert _status(followup) == FollowUpStatus.SENDING


def test_a_row_already_sent_is_not_sent_again(mailoutbox) -> None:
    followup = FollowUpFactory()
    claim = _claim_one()
    _deliver(claim)

    _deliver(claim)

    assert len(mailoutbox) == 1
    assert _status(followup) == FollowUpStatus.SENT


def _deliver_expecting_skip(followup: FollowUp, mailoutbox) -> str:
    claim = _claim_one()
    _deliver(claim)
    followup.refresh_from_db()
    assert mailoutbox == []
    assert followup.status == FollowUpStatus.SKIPPED
    return followup.skip_reason


def test_a_patient_who_unsubscribed_since_is_skipped(mailoutbox) -> None:
    followup = FollowUpFactory(session__patient__unsubscribed_at=timezone.now())

    assert _deliver_expecting_skip(followup, mailoutbox) == SKIP_UNSUBSCRIBED


def test_a_patient_whose_email_consent_was_withdrawn_is_skipped(mailoutbox) -> None:
    followup = FollowUpFactory(session__patient__email_consent=False)

    assert _deliver_expecting_skip(followup, mailoutbox) == SKIP_NO_CONSENT


def test_a_reminder_for_an_appointment_cancelled_since_is_skipped(mailoutbox) -> None:
    appointment = AppointmentFactory(
        start=timezone.now() + dt.timedelta(hours=20),
        status=AppointmentStatus.CANCELLED,
        cancel_reason="Patient called",
    )
    followup = FollowUpFactory(
        kind=FollowUpKind.APPOINTMENT_REMINDER,
        session=None,
        appointment=appointment,
        patient=appointment.patient,
    )

    assert _deliver_expecting_skip(followup, mailoutbox) == SKIP_NOT_BOOKED


def test_retreatment_reminder_is_skipped_when_the_next_injection_is_booked(mailoutbox) -> None:
    session = TreatmentSessionFactory(
        signed=True, started_at=timezone.now() - dt.timedelta(days=84)
    )
    AppointmentFactory(patient=session.patient, start=timezone.now() + dt.timedelta(days=7))
    followup = FollowUpFactory(kind=FollowUpKind.RETREATMENT_REMINDER, session=session)

    assert _deliver_expecting_skip(followup, mailoutbox) == SKIP_NEXT_BOOKED


def test_retreatment_reminder_goes_when_only_a_consult_is_booked(mailoutbox) -> None:
    session = TreatmentSessionFactory(
        signed=True, started_at=timezone.now() - dt.timedelta(days=84)
    )
    AppointmentFactory(
        patient=session.patient,
        start=timezone.now() + dt.timedelta(days=7),
        appointment_type__name="Consultation",
        appointment_type__kind="consult",
    )
    FollowUpFactory(kind=FollowUpKind.RETREATMENT_REMINDER, session=session)
    claim = _claim_one()

    _deliver(claim)

    assert len(mailoutbox) == 1


# The send task's retry policy --------------------------------------------------------------


class RefusingBackend:
    """An email backend whose server answers every message with `code`."""

    code = 451

    def __init__(self, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise smtplib.SMTPDataError(self.code, b"Refused for this test")


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    yield RefusingBackend
    RefusingBackend.code = 451


def test_a_temporary_failure_goes_back_to_pending_with_a_backed_off_next_attempt(
    refusing_smtp, settings
) -> None:
    followup = FollowUpFactory()
    claim = _claim_one()
    before = timezone.now()

    followup_send(claim.followup_id, claim.attempt)

    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.PENDING
    assert followup.last_error == "451 Refused for this test"
    assert followup.lease_expires_at is None
    delay = followup.next_attempt_at - before
    assert (
        settings.FOLLOWUP_RETRY_BASE / 2
        <= delay
        <= settings.FOLLOWUP_RETRY_BASE + (timezone.now() - before)
    )


def test_a_permanent_failure_ends_failed_after_one_try(refusing_smtp) -> None:
    refusing_smtp.code = 550
    followup = FollowUpFactory()
    claim = _claim_one()

    followup_send(claim.followup_id, claim.attempt)

    followup.refresh_from_db()
    assert (followup.status, followup.attempts) == (FollowUpStatus.FAILED, 1)
    assert followup.last_error.startswith("550 ")


def test_the_fifth_temporary_failure_ends_failed(refusing_smtp, settings) -> None:
    followup = FollowUpFactory(attempts=settings.FOLLOWUP_MAX_ATTEMPTS - 1)
    claim = _claim_one()

    followup_send(claim.followup_id, claim.attempt)

    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.FAILED
    assert followup.last_error.startswith("Gave up after 5 attempts. Last error: 451")


def test_connection_refused_is_temporary(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    followup = FollowUpFactory()
    claim = _claim_one()

    followup_send(claim.followup_id, claim.attempt)

    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.PENDING
    assert "ConnectionRefusedError" in followup.last_error


def test_one_send_task_delivers_a_batch_each_row_on_its_own(mailoutbox) -> None:
    followups = FollowUpFactory.create_batch(3)
    claims = courier.followups_claim(now=timezone.now(), limit=10)
    stale = (claims[0].followup_id, claims[0].attempt - 1)  # replaced by a later attempt

    followups_send([stale, *[(claim.followup_id, claim.attempt) for claim in claims]])

    assert len(mailoutbox) == 3
    for followup in followups:
        followup.refresh_from_db()
        assert followup.status == FollowUpStatus.SENT
    assert len({followup.message_id for followup in followups}) == 3


def test_in_a_batch_each_temporary_failure_gets_its_own_retry(refusing_smtp) -> None:
    followups = FollowUpFactory.create_batch(2)
    claims = courier.followups_claim(now=timezone.now(), limit=10)

    followups_send([(claim.followup_id, claim.attempt) for claim in claims])

    for followup in followups:
        followup.refresh_from_db()
        assert (followup.status, followup.attempts) == (FollowUpStatus.PENDING, 1)
        assert followup.next_attempt_at is not None


def test_in_a_batch_each_row_keeps_its_own_outcome_and_bookkeeping(smtp, settings) -> None:
    settings.FOLLOWUP_MAX_ATTEMPTS = 5
    # Claimed, and so sent, in due order; the server refuses the first three.
    busy, no_such_user, last_try, sent, unsubscribed = (
        FollowUpFactory(due_at=timezone.now() - dt.timedelta(minutes=10 - n)) for n in range(5)
    )
    FollowUp.objects.filter(pk=last_try.pk).update(attempts=settings.FOLLOWUP_MAX_ATTEMPTS - 1)
    Patient.objects.filter(pk=unsubscribed.patient_id).update(unsubscribed_at=timezone.now())
    claims = _claim_all()
    smtp.refusals.extend(["451 4.3.0 Mailbox busy", "550 5.1.1 No such user", "452 4.2.2 Full"])

    followups_send([(claim.followup_id, claim.attempt) for claim in claims])

    for followup in (busy, no_such_user, last_try, sent, unsubscribed):
        followup.refresh_from_db()
        assert followup.lease_expires_at is None
    assert (busy.status, busy.attempts, busy.last_error) == (
        FollowUpStatus.PENDING,
        1,
        "451 4.3.0 Mailbox busy",
    )
    assert busy.next_attempt_at > timezone.now()
    assert (no_such_user.status, no_such_user.last_error) == (
        FollowUpStatus.FAILED,
        "550 5.1.1 No such user",
    )
    assert last_try.status == FollowUpStatus.FAILED
    assert last_try.last_error == "Gave up after 5 attempts. Last error: 452 4.2.2 Full"
    assert (sent.status, sent.last_error) == (FollowUpStatus.SENT, "")
    assert (unsubscribed.status, unsubscribed.skip_reason) == (
        FollowUpStatus.SKIPPED,
        SKIP_UNSUBSCRIBED,
    )
    assert smtp.message_ids() == [sent.message_id]


def test_a_redelivered_batch_sends_nothing_twice(mailoutbox) -> None:
    FollowUpFactory.create_batch(3)
    claims = [(claim.followup_id, claim.attempt) for claim in _claim_all()]
    followups_send(claims)

    followups_send(claims)  # Redis hands the same task out again

    assert len(mailoutbox) == 3
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUpStatus.SENT}


def test_a_batch_costs_two_queries_and_one_write_per_row(
    mailoutbox, django_assert_num_queries
) -> None:
    FollowUpFactory.create_batch(5)
    claims = [(claim.followup_id, claim.attempt) for claim in _claim_all()]

    # UPDATE ... RETURNING renews every lease; one SELECT of the rows with
    # patient, session and appointment; then one conditional UPDATE per row.
    with django_assert_num_queries(2 + 5):
        followups_send(claims)

    assert len(mailoutbox) == 5


class OvertakingBackend(locmem.EmailBackend):
    """While it sends one email, another dispatcher claims `overtaken` (as it
    would once that row's lease ran out)."""

    overtaken: int | None = None

    def send_messages(self, messages: list) -> int:
        if OvertakingBackend.overtaken is not None:
            FollowUp.objects.filter(pk=OvertakingBackend.overtaken).update(
                attempts=F("attempts") + 1
            )
            OvertakingBackend.overtaken = None
        return super().send_messages(messages)


@pytest.fixture
def overtaking_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.OvertakingBackend"
    yield OvertakingBackend
    OvertakingBackend.overtaken = None


def test_a_batch_slower_than_half_its_lease_takes_the_rest_again_before_sending(
    overtaking_smtp, settings, mailoutbox
) -> None:
    settings.FOLLOWUP_LEASE = dt.timedelta(0)  # every send outlasts half the lease
    first, second = due_followups(2)
    claims = [(claim.followup_id, claim.attempt) for claim in _claim_all()]
    overtaking_smtp.overtaken = second.pk

    followups_send(claims)

    assert [message.extra_headers["Message-ID"] for message in mailoutbox] == [
        followup_message_id(followup=first)
    ]
    assert (_status(first), _status(second)) == (FollowUpStatus.SENT, FollowUpStatus.SENDING)
    assert second.attempts == 2  # left to the attempt that took it over


def test_a_send_whose_row_was_taken_over_meanwhile_does_not_record_over_it(
    overtaking_smtp, mailoutbox
) -> None:
    followup = FollowUpFactory()
    claim = _claim_one()
    overtaking_smtp.overtaken = followup.pk

    _deliver(claim)

    followup.refresh_from_db()
    assert (followup.status, followup.attempts) == (FollowUpStatus.SENDING, 2)
    assert followup.sent_at is None
    assert len(mailoutbox) == 1  # the documented duplicate window: the next attempt resends


def _claim_all() -> list[courier.Claim]:
    return courier.followups_claim(now=timezone.now(), limit=100)


def test_backoff_doubles_up_to_the_cap_with_jitter(settings) -> None:
    settings.FOLLOWUP_RETRY_BASE = dt.timedelta(minutes=1)
    settings.FOLLOWUP_RETRY_MAX = dt.timedelta(minutes=5)

    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 5), (9, 5)]:
        delays = {retry_delay(attempt=attempt) for _ in range(50)}
        assert all(
            dt.timedelta(minutes=ceiling) / 2 <= d <= dt.timedelta(minutes=ceiling) for d in delays
        )
        assert len(delays) > 1, "no jitter"


@pytest.mark.django_db(transaction=True)
def test_a_send_task_sends_its_rows_over_two_threads_each_on_its_own_connection(
    smtp, settings, request
) -> None:
    """As in the workers: the rows are dealt to two threads, each with its own
    SMTP and database connection; every row keeps its own outcome."""
    settings.FOLLOWUP_SEND_THREADS = 2
    request.addfinalizer(senders.threads_stop)
    followups = FollowUpFactory.create_batch(6)
    # Claimed as the dispatcher would, without queueing its tasks on the broker.
    FollowUp.objects.update(
        status=FollowUpStatus.SENDING,
        attempts=1,
        lease_expires_at=timezone.now() + settings.FOLLOWUP_LEASE,
    )
    claims = [(followup.pk, 1) for followup in followups]
    smtp.refusals.append("451 4.3.0 Mailbox busy")

    followups_send(claims)

    statuses = Counter(FollowUp.objects.values_list("status", flat=True))
    assert statuses == {FollowUpStatus.SENT: 5, FollowUpStatus.PENDING: 1}
    assert sorted(smtp.message_ids()) == sorted(
        FollowUp.objects.filter(status=FollowUpStatus.SENT).values_list("message_id", flat=True)
    )
    assert len(set(smtp.connections)) == 2


def test_a_forked_worker_process_makes_its_own_sending_threads(settings, request) -> None:
    """Celery's prefork children must not inherit a pool whose threads stayed
    behind in the parent: tasks given to it would wait forever."""
    settings.FOLLOWUP_SEND_THREADS = 2
    request.addfinalizer(senders.threads_stop)
    assert senders._threads().submit(lambda: "sent").result() == "sent"

    child = os.fork()
    if child == 0:  # the child: its first share must run on threads of its own
        code = 1
        try:
            code = 0 if senders._threads().submit(lambda: "sent").result(timeout=5) else 1
        finally:
            os._exit(code)  # never back into pytest
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
