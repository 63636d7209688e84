"""The pieces `make bench` starts: bench databases, gunicorn, manage.py calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE_URL = f"http://127.0.0.1:{PORT}"
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
# Production settings (DEBUG off) behind a TLS proxy, plus bench.settings' extras.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-any-real-deployment-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://clinic.example.org",
    "LOG_LEVEL": "WARNING",
}


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def database_url(name: str) -> str:
    return f"{SERVER_URL}/{name}"


def environment(database: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": database_url(database),
        "REDIS_URL": REDIS_URL,
        **extra,
    }


def manage(database: str, *args: str, demo: bool = False, check: bool = True) -> str:
    """Run manage.py; seeding commands need DEBUG on and the plain settings."""
    extra = {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "clinic.settings"} if demo else {}
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(database, **extra),
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def manifest(database: str) -> dict | None:
    """The pages and fresh sessions, or None when the database has no bench data."""
    try:
        return json.loads(manage(database, "bench_manifest", demo=True))
    except RuntimeError:
        return None


def database_ensure(name: str, scale: float) -> dict:
    """Seed the database unless an earlier run already did."""
    existing = manifest(name) if _database_exists(name) else None
    if existing is not None:
        manage(name, "migrate", "--noinput", demo=True)  # indexes added since seeding
        say(manage(name, "dashboard_refresh").strip())  # what the beat would have done
        say(f"{name}: already seeded (today {existing['today']}), reused")
        return manifest(name)
    _database_create(name)
    manage(name, "migrate", "--noinput", demo=True)
    started = time.monotonic()
    say(f"{name}: seeding scale {scale} (minutes at scale 1)")
    say(manage(name, "bench_seed", "--scale", str(scale), demo=True).strip())
    say(f"{name}: seeded in {time.monotonic() - started:.0f} s")
    return manifest(name)


def _server_connection() -> psycopg.Connection:
    connection = psycopg.connect(f"{SERVER_URL}/postgres")
    connection.autocommit = True
    return connection


def _database_exists(name: str) -> bool:
    with _server_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _database_create(name: str) -> None:
    connection = _server_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


@contextmanager
def gunicorn(database: str) -> Iterator[None]:
    """gunicorn as the README runs it in production, on loopback."""
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "clinic.wsgi",
        "--workers",
        str(GUNICORN_WORKERS),
        "--bind",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(  # noqa: S603
        command, cwd=BASE_DIR, env=environment(database), stdout=subprocess.DEVNULL
    )
    try:
        _wait_until_up()
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up() -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(_floor_request(), timeout=2):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # still starting
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 30 s")


def _floor_request() -> urllib.request.Request:
    # Behind the TLS proxy, as every bench request is; plain HTTP would be redirected.
    return urllib.request.Request(  # noqa: S310
        f"{BASE_URL}/bench/floor/", headers={"X-Forwarded-Proto": "https"}
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
