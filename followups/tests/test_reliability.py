"""Nothing lost, nothing sent twice: real Redis, real Celery processes, a real
SMTP server on loopback, the test database shared through committed rows."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from followups import courier as courier_service
from followups.models import FollowUp, FollowUpKind, FollowUpStatus
from followups.services import followups_on_session_signed
from followups.tests.factories import FollowUpFactory, due_followups
from followups.tests.processes import celery_broker, wait_until
from procedures.models import SessionStatus, TreatmentSession
from procedures.tests.factories import TreatmentSessionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEAT_EVERY_SECOND = {"FOLLOWUP_DISPATCH_SECONDS": "1"}
PRODUCTION_BEAT_INTERVAL = 60


def _status(followup: FollowUp) -> str:
    followup.refresh_from_db()
    return followup.status


def _sign(session: TreatmentSession) -> None:
    """What the procedures service does when a clinician signs: one transaction."""
    with transaction.atomic():
        TreatmentSession.objects.filter(pk=session.pk).update(
            status=SessionStatus.SIGNED, signed_at=timezone.now(), signed_by=session.clinician
        )
        followups_on_session_signed(session=session)


def _make_due(followup: FollowUp) -> None:
    """Move the clock forward, as far as this row is concerned."""
    FollowUp.objects.filter(pk=followup.pk).update(due_at=timezone.now())


def _dispatch() -> int:
    return courier_service.followups_dispatch(now=timezone.now())


def test_the_day_after_email_arrives_once_with_its_headers(courier, smtp, settings) -> None:
    courier.start_worker()
    courier.start_beat(**BEAT_EVERY_SECOND)
    session = TreatmentSessionFactory(patient__preferred_name="Peggy", patient__last_name="Quill")
    _sign(session)
    day_after = FollowUp.objects.get(session=session, kind=FollowUpKind.DAY_AFTER)
    assert day_after.due_at > timezone.now()

    _make_due(day_after)

    wait_until(lambda: _status(day_after) == FollowUpStatus.SENT, what="the day-after email")
    time.sleep(3)  # three more beats: nothing is sent again
    (message,) = smtp.messages
    assert message["To"] == session.patient.email
    assert message["Subject"] == "How are you feeling after your visit?"
    assert message["Message-ID"] == day_after.message_id
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/followups/u/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Hello Peggy,")
    for private in ["Botox", "toxin", "Quill", "Upper trapezius", "units"]:
        assert private.lower() not in f"{message['Subject']} {text} {html}".lower()
    assert set(FollowUp.objects.filter(session=session).values_list("status", flat=True)) == {
        FollowUpStatus.SENT,
        FollowUpStatus.PENDING,
    }


def test_signing_while_redis_is_down_succeeds_and_the_email_goes_once_it_is_back(
    courier, smtp, spare_redis
) -> None:
    broker = {"REDIS_URL": spare_redis.url}
    courier.start_worker(**broker)
    courier.start_beat(**broker, **BEAT_EVERY_SECOND)
    session = TreatmentSessionFactory()

    with celery_broker(spare_redis.url):
        spare_redis.stop()
        # Had signing queued anything on Redis, this would raise after the commit.
        _sign(session)

        session.refresh_from_db()
        assert session.status == SessionStatus.SIGNED
        assert FollowUp.objects.filter(session=session).count() == 4
        day_after = FollowUp.objects.get(session=session, kind=FollowUpKind.DAY_AFTER)
        _make_due(day_after)
        time.sleep(3)  # beats come and go while Redis is down
        assert smtp.messages == []
        assert _status(day_after) == FollowUpStatus.PENDING

        spare_redis.start()
        wait_until(
            lambda: _status(day_after) == FollowUpStatus.SENT,
            timeout=PRODUCTION_BEAT_INTERVAL,
            what="the email after Redis came back",
        )

    assert smtp.message_ids() == [day_after.message_id]


@pytest.mark.parametrize("server_kept_the_first_copy", [False, True])
def test_a_worker_killed_mid_send_is_replaced_once_its_lease_expires(
    courier, smtp, settings, server_kept_the_first_copy: bool
) -> None:
    lease = {"FOLLOWUP_LEASE_SECONDS": "4"}
    settings.FOLLOWUP_LEASE = dt.timedelta(seconds=4)
    followup = FollowUpFactory()
    smtp.hold_next(keep=server_kept_the_first_copy)
    doomed = courier.start_worker(**lease)

    _dispatch()
    wait_until(smtp.holding.is_set, what="the worker to be mid-send")
    doomed.kill()
    doomed.wait()
    smtp.release()

    assert _status(followup) == FollowUpStatus.SENDING
    assert _dispatch() == 0  # the dead worker's lease still holds
    courier.start_worker(**lease)
    wait_until(lambda: timezone.now() > followup.lease_expires_at, what="the lease to expire")
    assert _dispatch() == 1
    wait_until(lambda: _status(followup) == FollowUpStatus.SENT, what="the second attempt")

    assert followup.attempts == 2
    # The documented duplicate window: a copy the server accepted just before
    # the worker died is sent again, with the same Message-ID.
    copies = 2 if server_kept_the_first_copy else 1
    assert smtp.message_ids() == [followup.message_id] * copies


def test_two_dispatchers_on_a_thousand_due_rows_send_each_email_exactly_once(courier, smtp) -> None:
    followups = due_followups(1000)
    courier.start_worker(threads=8)
    start = threading.Barrier(2)
    claimed: list[list[courier_service.Claim]] = [[], []]

    def dispatcher(number: int) -> None:
        start.wait()
        try:
            while batch := courier_service.followups_claim(now=timezone.now(), limit=25):
                claimed[number].extend(batch)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    first, second = ({claim.followup_id for claim in batch} for batch in claimed)
    assert first and second, "both dispatchers took a share"
    assert first.isdisjoint(second)
    assert first | second == {followup.pk for followup in followups}
    wait_until(
        lambda: not FollowUp.objects.exclude(status=FollowUpStatus.SENT).exists(),
        timeout=300,
        what="all thousand emails",
    )
    sent_once = Counter(smtp.message_ids())
    assert len(sent_once) == 1000
    assert set(sent_once.values()) == {1}


def test_smtp_451_then_250_is_retried_and_sent(courier, smtp) -> None:
    smtp.refusals.append("451 4.3.0 Mailbox busy, try again later")
    followup = FollowUpFactory()
    courier.start_worker()

    _dispatch()
    wait_until(lambda: _status(followup) == FollowUpStatus.PENDING and followup.attempts == 1)

    assert followup.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert followup.next_attempt_at > timezone.now()
    assert _dispatch() == 0  # not before its backoff has passed
    FollowUp.objects.filter(pk=followup.pk).update(next_attempt_at=timezone.now())
    assert _dispatch() == 1
    wait_until(lambda: _status(followup) == FollowUpStatus.SENT, what="the retry")
    assert followup.attempts == 2
    assert smtp.message_ids() == [followup.message_id]


def test_smtp_550_fails_after_one_try_and_shows_on_the_outbox_page(
    courier, smtp, client, clinician
) -> None:
    smtp.refusals.append("550 5.1.1 No such user here")
    followup = FollowUpFactory()
    courier.start_worker()

    _dispatch()
    wait_until(lambda: _status(followup) == FollowUpStatus.FAILED, what="the failure")

    assert followup.attempts == 1
    assert smtp.messages == []
    client.force_login(clinician)
    html = client.get(reverse("followups:outbox"), {"status": "failed"}).content.decode()
    assert "550 5.1.1 No such user here" in html
    assert reverse("followups:outbox_retry", args=[followup.pk]) in html
