"""Reading settings from the environment, failing loudly with the variable's name."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()
NOTSET = environ.Env.NOTSET


def read(name: str, parse: Callable[..., Any], default: Any = NOTSET) -> Any:
    """Parse one variable; any failure names the variable and what was wrong."""
    try:
        return parse(name, default=default)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ImproperlyConfigured(f"{name} is not valid: {error}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_bool(name: str, default: bool) -> bool:
    """Unlike env.bool, a typo such as DEBUG=ture is an error, not False."""
    value = env.str(name, default=str(default)).strip().lower()
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value (use true or false)")
    return value in _TRUE


def read_database(name: str, default: str) -> dict[str, Any]:
    url = env.str(name, default=default)
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// URL, for example "
            "postgres://user:password@127.0.0.1:5432/clinic"
        )
    config = read(name, env.db_url, default=default)
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database after the host, as in .../clinic")
    return config


def read_redis_url(name: str, default: str) -> str:
    url = env.str(name, default=default)
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name} must be a redis://host:port/db or unix:///path/to/redis.sock URL"
        )
    return url


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a Unix-socket Redis URL differently from redis-py."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def read_time_zone(name: str, default: str) -> str:
    zone = env.str(name, default=default)
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={zone!r} is not a known time zone, such as America/New_York"
        ) from None
    return zone


def read_time_of_day(name: str, default: str) -> datetime.time:
    value = env.str(name, default=default)
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a time of day such as 09:00") from None


def embedded_database_url(base_dir: Path, database: str) -> str:
    """The URL of the embedded PostgreSQL that `make run` and `make test` start."""
    socket_dir = quote(str(base_dir / "var" / "pg"), safe="")
    return f"postgres://postgres@/{socket_dir}/{database}"


def embedded_redis_url(base_dir: Path) -> str:
    return f"unix://{base_dir / 'var' / 'redis' / 'redis.sock'}?db=0"
