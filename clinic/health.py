"""What /healthz reports: can the app reach its database, Redis and a worker."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from clinic.celery import app as celery_app

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return False


def redis_is_up() -> bool:
    try:
        cache.set("healthz:ping", "pong", timeout=10)
        return cache.get("healthz:ping") == "pong"
    except Exception:
        logger.warning("health check: redis unreachable", exc_info=True)
        return False


def worker_is_up() -> bool:
    timeout = settings.HEALTH_CHECK_TIMEOUT.total_seconds()
    try:
        return bool(celery_app.control.ping(timeout=timeout))
    except Exception:
        logger.warning("health check: celery ping failed", exc_info=True)
        return False


def health_report() -> dict[str, bool]:
    redis_up = redis_is_up()
    # Without Redis the ping would only wait on broker retries.
    return {"database": database_is_up(), "redis": redis_up, "worker": redis_up and worker_is_up()}
