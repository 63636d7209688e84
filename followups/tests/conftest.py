"""Fixtures for the follow-up tests; the real-process helpers live in `processes.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic.celery import app as celery_app
from followups.tests.processes import CourierProcesses, SmtpSink, SpareRedis, smtp_server


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback; this process and the workers send to it."""
    with smtp_server() as (sink, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.fixture
def courier(transactional_db, smtp, settings, tmp_path) -> Iterator[CourierProcesses]:
    """Celery workers and beat on the test database, sending to `smtp`.

    Needs a transactional test: the workers only see committed rows. Stopped
    before the test database is flushed.
    """
    celery_app.control.purge()
    processes = CourierProcesses(smtp_port=settings.EMAIL_PORT, directory=tmp_path)
    yield processes
    processes.stop_all()


@pytest.fixture
def spare_redis(tmp_path) -> Iterator[SpareRedis]:
    redis = SpareRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()
