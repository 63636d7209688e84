from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_is_200_when_database_redis_and_a_worker_answer(
    client, celery_worker_process
) -> None:
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "redis": True, "worker": True}


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_worker_when_none_answers(client) -> None:
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": True,
        "redis": True,
        "worker": False,
    }


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["redis"] is False


def test_healthz_needs_no_login_and_is_never_cached(client, db) -> None:
    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
